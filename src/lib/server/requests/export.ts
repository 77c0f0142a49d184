// The current filtered list as .xlsx (exceljs) or CSV, with every text cell made formula-safe.
import { formatCst, safeText, toCsv, type Cell } from '../../domain/csv';
import { PRIORITY, REQUEST_KIND, REQUEST_STATUS, SATISFACTION } from '../../domain/labels';
import type { RequestRow } from './list';

export const EXPORT_HEADER = ['编号', '类型', '类别', '标题', '状态', '紧急程度', '网格', '责任部门', '上报时间', '接单时限', '办结时限', '是否超期', '满意度', '经度', '纬度'];

export function exportRows(rows: RequestRow[]): Cell[][] {
	return rows.map((r) => [
		r.code, REQUEST_KIND[r.kind] ?? r.kind, r.categoryName, r.title, REQUEST_STATUS[r.status] ?? r.status, PRIORITY[r.priority] ?? r.priority,
		r.gridName, r.department, r.reportedAt && new Date(r.reportedAt), r.acceptDeadline && new Date(r.acceptDeadline),
		r.resolveDeadline && new Date(r.resolveDeadline), r.overdue ? '超期' : '', r.satisfaction ? SATISFACTION[r.satisfaction] : '',
		Number(r.lon.toFixed(6)), Number(r.lat.toFixed(6))
	]);
}

export function csvBody(rows: RequestRow[]): string {
	return toCsv(EXPORT_HEADER, exportRows(rows));
}

export async function xlsxBody(rows: RequestRow[]): Promise<Uint8Array> {
	const { default: ExcelJS } = await import('exceljs');
	const wb = new ExcelJS.Workbook();
	const ws = wb.addWorksheet('诉求清单');
	ws.addRow(EXPORT_HEADER).font = { bold: true };
	for (const r of exportRows(rows)) {
		// dates as CST text: Excel has no time zones and the office reads Beijing time
		ws.addRow(r.map((c) => (c instanceof Date ? formatCst(c) : typeof c === 'string' ? safeText(c) : (c ?? null))));
	}
	ws.columns.forEach((col, i) => (col.width = [20, 8, 12, 36, 8, 8, 20, 16, 17, 17, 17, 8, 8, 11, 11][i]));
	ws.views = [{ state: 'frozen', ySplit: 1 }];
	return new Uint8Array(await wb.xlsx.writeBuffer());
}
