// A street's ranking of grid workers (/workers) as .xlsx or CSV: every worker, in the page's order
// and with its ranks, not only the page shown. Rates are numbers in percent with one decimal (the
// same figure the page shows), counts are numbers; a rate with nothing to divide is an empty cell.
import type { Cell } from '../../domain/csv';
import { contentDisposition, FORMAT_TYPE } from '../../domain/exportspec';
import { KPI_BY_KEY, RAG_LABEL } from '../../domain/kpi';
import { percentNumber } from '../../domain/numbers';
import { localDate } from '../../domain/time';
import { WORKER_KPIS, type RankedWorker } from '../../domain/workers';
import { recordExport } from '../access/audit';
import type { Queryable } from '../db/client';
import { sheetStream } from './streams';
import { trackStream } from '../ops/metrics';

export const WORKER_RANKING_HEADER = [
	'排名', '并列', '网格员', '账号', '网格', '上报数', '走访次数', '走访户数',
	...WORKER_KPIS.map((k) => (KPI_BY_KEY[k].kind === 'rate' ? `${KPI_BY_KEY[k].label}(%)` : KPI_BY_KEY[k].label)), '评级'
];
const WIDTHS = [6, 6, 10, 22, 30, 8, 9, 9, 10, 12, 8, 16, 6];

export function workerRankingRow(w: RankedWorker): Cell[] {
	return [
		w.rank?.rank ?? null, w.rank?.tied ? '并列' : '', w.name, w.username, w.grids.map((g) => g.name).join('、'), w.reports, w.knocks, w.reached,
		...w.values.map((v) => (v.value === null ? null : KPI_BY_KEY[v.key].kind === 'rate' ? Number(percentNumber(v.value)) : v.value)),
		RAG_LABEL[w.rag]
	];
}

/** The file, after one audit row (export) in the exporting user's name. */
export async function exportWorkerRanking(db: Queryable, userId: number, street: { code: string; name: string }, rows: RankedWorker[],
	format: 'csv' | 'xlsx', options: { describe?: string; now?: Date } = {}) {
	await recordExport(db, userId, `workers.${format}`, rows.length, { street: street.code, query: options.describe ?? '' });
	async function* batches(): AsyncGenerator<Cell[][]> {
		yield rows.map(workerRankingRow);
	}
	const day = localDate(options.now ?? new Date());
	const body = trackStream('export', sheetStream({ name: '网格员排名', header: WORKER_RANKING_HEADER, widths: WIDTHS, batches: batches() }, format));
	return {
		body, rows: rows.length,
		headers: {
			'content-type': FORMAT_TYPE[format],
			'content-disposition': contentDisposition(`workers-${street.code}-${day}.${format}`, `${street.name}网格员排名-${day}.${format}`),
			'cache-control': 'no-store',
			'x-export-rows': String(rows.length)
		}
	};
}
