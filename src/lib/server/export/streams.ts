// The file writers every export shares: a sheet (header, then rows a batch at a time) as CSV or
// .xlsx, and text chunks as a byte stream. Each is pull-driven or committed row by row, so an
// export of any size never sits in memory whole.
import { PassThrough, Readable } from 'node:stream';
import { csvLine, type Cell } from '../../domain/csv';

export interface Sheet {
	/** the worksheet's name in .xlsx */
	name: string;
	header: string[];
	/** column widths in .xlsx (characters); unset = Excel's default */
	widths?: number[];
	/** the rows, a batch at a time, read only as the client takes them */
	batches: AsyncGenerator<Cell[][]>;
}

/** RFC 4180 CSV with a UTF-8 BOM (so Excel reads Chinese) and CRLF line ends. */
export async function* csvChunks(sheet: Sheet): AsyncGenerator<string> {
	yield '\uFEFF' + csvLine(sheet.header) + '\r\n';
	for await (const batch of sheet.batches) if (batch.length) yield batch.map((r) => csvLine(r) + '\r\n').join('');
}

/** Pull-driven: the next chunk is made only when the client has taken the last one; a client that goes away stops the reads. */
export function textStream(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
	const utf8 = new TextEncoder();
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			const { value, done } = await chunks.next();
			if (done) controller.close();
			else controller.enqueue(utf8.encode(value));
		},
		async cancel() {
			await chunks.return(undefined);
		}
	});
}

/**
 * A date as Excel's date serial of its Beijing wall-clock time (Excel has no time zones and the
 * office reads Beijing time; exceljs writes a Date by its UTC fields, so it is shifted 8 h). Text is
 * written as is: a string cell in .xlsx is never a formula, so the CSV's apostrophe has no place here.
 */
const xlsxCell = (c: Cell) => (c instanceof Date ? new Date(c.getTime() + 8 * 3_600_000) : (c ?? null));
const DATE_FORMAT = 'yyyy-mm-dd hh:mm';

/** exceljs's streaming writer: each row is committed (written and dropped) as it is added. */
export function xlsxStream(sheet: Sheet): ReadableStream<Uint8Array> {
	const out = new PassThrough();
	(async () => {
		const { default: ExcelJS } = await import('exceljs');
		const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
		const ws = wb.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
		if (sheet.widths) ws.columns = sheet.widths.map((width) => ({ width }));
		const head = ws.addRow(sheet.header);
		head.font = { bold: true };
		head.commit();
		for await (const batch of sheet.batches) {
			for (const r of batch) {
				const row = ws.addRow(r.map(xlsxCell));
				r.forEach((c, i) => { if (c instanceof Date) row.getCell(i + 1).numFmt = DATE_FORMAT; });
				row.commit();
			}
		}
		ws.commit();
		await wb.commit();
	})().catch((e) => {
		console.error('[export] xlsx failed:', e);
		out.destroy(e);
	});
	return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

/** A sheet as a CSV or .xlsx byte stream. */
export const sheetStream = (sheet: Sheet, format: 'csv' | 'xlsx'): ReadableStream<Uint8Array> =>
	format === 'csv' ? textStream(csvChunks(sheet)) : xlsxStream(sheet);
