// The /requests list as .xlsx or CSV (导出 Excel / 导出 CSV): the rows the list shows, in its
// order (most urgent first), with labels instead of codes and CST times, a page at a time through
// the shared sheet writers, so a list of any length streams whole. Reporter names are not in the
// file; the list's other columns carry no personal data.
import type { RequestFilter } from '../../domain/requestfilter';
import { localDate } from '../../domain/time';
import type { Cell } from '../../domain/csv';
import { contentDisposition, FORMAT_TYPE } from '../../domain/exportspec';
import { PRIORITY, REQUEST_KIND, REQUEST_STATUS, SATISFACTION } from '../../domain/labels';
import { recordExport } from '../access/audit';
import type { Queryable } from '../db/client';
import { listRequests, readRequests, type RequestRow } from '../requests/list';
import { EXPORT_BATCH } from './export';
import { sheetStream } from './streams';
import { trackStream } from '../ops/metrics';

export const REQUEST_LIST_HEADER = ['编号', '类型', '类别', '标题', '状态', '紧急程度', '网格', '责任部门', '上报时间', '接单时限', '办结时限', '是否超期', '满意度', '经度', '纬度'];
const WIDTHS = [20, 8, 12, 36, 8, 8, 20, 16, 17, 17, 17, 8, 8, 11, 11];

export function requestListRow(r: RequestRow): Cell[] {
	return [
		r.code, REQUEST_KIND[r.kind] ?? r.kind, r.categoryName, r.title, REQUEST_STATUS[r.status] ?? r.status, PRIORITY[r.priority] ?? r.priority,
		r.gridName, r.department, r.reportedAt && new Date(r.reportedAt), r.acceptDeadline && new Date(r.acceptDeadline),
		r.resolveDeadline && new Date(r.resolveDeadline), r.overdue ? '超期' : '', r.satisfaction ? SATISFACTION[r.satisfaction] : '',
		Number(r.lon.toFixed(6)), Number(r.lat.toFixed(6))
	];
}

export interface RequestListFile {
	body: ReadableStream<Uint8Array>;
	rows: number;
	headers: Record<string, string>;
}

/**
 * Pages follow the list's own order with a fixed clock, so overdue and hours-left rank every page
 * alike; the urgency order has no index, so paging by offset costs no more than a keyset would.
 */
export async function exportRequestList(db: Queryable, userId: number, filter: RequestFilter, grids: string[] | null, format: 'csv' | 'xlsx',
	options: { describe?: string; batchSize?: number; now?: Date } = {}): Promise<RequestListFile> {
	const now = options.now ?? new Date();
	const size = options.batchSize ?? EXPORT_BATCH;
	const first = await listRequests(db, { ...filter, limit: size, offset: 0 }, grids, now);
	await recordExport(db, userId, `requests.${format}`, first.total, { query: options.describe ?? '' });
	async function* batches(): AsyncGenerator<Cell[][]> {
		let page = first.rows;
		for (let offset = 0; ; ) {
			yield page.map(requestListRow);
			if (page.length < size) return;
			offset += size;
			page = await readRequests(db, { ...filter, limit: size, offset }, grids, now);
			if (page.length === 0) return;
		}
	}
	const body = trackStream('export', sheetStream({ name: '诉求清单', header: REQUEST_LIST_HEADER, widths: WIDTHS, batches: batches() }, format));
	return {
		body, rows: first.total,
		headers: {
			'content-type': FORMAT_TYPE[format],
			'content-disposition': contentDisposition(`requests.${format}`, `诉求清单-${localDate(now)}.${format}`),
			'cache-control': 'no-store',
			'x-export-rows': String(first.total)
		}
	};
}
