import { describe, expect, it } from 'vitest';
import { kpiValue } from '../../src/lib/domain/kpi';
import { rankLabel } from '../../src/lib/domain/numbers';
import {
	assertMayRankStreet, assertMayViewWorker, handledBy, pageOf, parseRankingQuery, parseWorkerPeriod, rankWorkers, reportedBy, workerIdParam,
	type WorkerFigures
} from '../../src/lib/domain/workers';

const worker = { id: 7, grids: ['430199001001001', '430199001001002'] };
const req = (gridCode: string, ...events: [string, number | null][]) => ({ gridCode, events: events.map(([action, actorId]) => ({ action, actorId })) });

describe('handled by a worker (经办)', () => {
	it('every request of their grids, whoever accepted or resolved it', () => {
		expect(handledBy(worker, req('430199001001002', ['report', 1], ['dispatch', 2], ['accept', 99]))).toBe(true);
	});
	it('nothing outside their grids, whatever they did to it', () => {
		expect(handledBy(worker, req('430199002001001', ['report', 7], ['evaluate', 7], ['close', 7]))).toBe(false);
	});
	it('reported by: the actor of the report event, nothing else', () => {
		expect(reportedBy(7, req('430199002001001', ['report', 7]))).toBe(true);
		expect(reportedBy(7, req('430199001001001', ['report', null], ['accept', 7]))).toBe(false);
	});
});

const fig = (id: number, username: string, reports: number, ontime: [number, number], overdue = 0): WorkerFigures => ({
	id, name: username, username, grids: [], reports, knocks: 0, reached: 0,
	values: [kpiValue('accept_rate', 0, 0), kpiValue('ontime_rate', ...ontime), kpiValue('overdue', overdue, null), kpiValue('visit_coverage', 0, 0)],
	open: 0, rag: 'none', score: 0
});

describe('ranking a street', () => {
	const ws = [fig(1, 'a', 5, [9, 10]), fig(2, 'b', 8, [0, 0], 3), fig(3, 'c', 5, [10, 10], 1), fig(4, 'd', 8, [9, 10]), fig(5, 'e', 1, [1, 2])];
	it('standard competition ranks with ties, best first ("并列第 1", then 第 3)', () => {
		const r = rankWorkers(ws, 'reports');
		expect(r.map((w) => [w.username, rankLabel(w.rank!)])).toEqual([['b', '并列第1'], ['d', '并列第1'], ['a', '并列第3'], ['c', '并列第3'], ['e', '第5']]);
	});
	it('a rate with nothing to divide comes last, unranked', () => {
		const r = rankWorkers(ws, 'ontime_rate');
		expect(r.map((w) => [w.username, w.rank && rankLabel(w.rank)])).toEqual([['c', '第1'], ['a', '并列第2'], ['d', '并列第2'], ['e', '第4'], ['b', null]]);
	});
	it('超期数 ranks the fewest first', () => {
		expect(rankWorkers(ws, 'overdue').map((w) => w.username)).toEqual(['a', 'd', 'e', 'c', 'b']);
	});
	it('pages without a silent cap, and says when a page is past the end', () => {
		const rows = Array.from({ length: 120 }, (_, i) => i);
		expect(pageOf(rows, 3)).toMatchObject({ page: 3, pages: 3, total: 120, rows: rows.slice(100) });
		expect(() => pageOf(rows, 4)).toThrow('页码（page）超出范围：共 3 页，收到第 4 页');
		expect(pageOf([], 1)).toMatchObject({ pages: 1, total: 0 });
	});
	it('bad parameters are refused naming the field', () => {
		expect(() => parseRankingQuery(new URLSearchParams('street=4301'))).toThrow(/街道代码（street）/);
		expect(() => parseRankingQuery(new URLSearchParams('sort=name'))).toThrow(/sort/);
		expect(() => parseRankingQuery(new URLSearchParams('page=0'))).toThrow(/page/);
		expect(parseRankingQuery(new URLSearchParams('street=430199001'))).toEqual({ street: '430199001', sort: 'score', page: 1 });
	});
	it('the period is 近 30 天 unless chosen', () => {
		const now = new Date('2026-12-01T10:00:00+08:00');
		const p = parseWorkerPeriod(new URLSearchParams(), now);
		expect([p.from.toISOString(), p.to.toISOString(), p.days]).toEqual(['2026-11-01T16:00:00.000Z', '2026-12-01T16:00:00.000Z', 90]);
		expect(() => parseWorkerPeriod(new URLSearchParams('from=2026-13-01'), now)).toThrow(/from/);
	});
});

describe('who sees a worker', () => {
	it('themself, the leaders of an area holding all their grids, admins; nobody else', () => {
		expect(() => assertMayViewWorker({ id: 7, role: 'grid_manager' }, worker)).not.toThrow();
		expect(() => assertMayViewWorker({ id: 8, role: 'grid_manager' }, worker)).toThrow('网格员只能查看本人的工作情况');
		expect(() => assertMayViewWorker({ id: 1, role: 'admin' }, worker)).not.toThrow();
		expect(() => assertMayViewWorker({ id: 2, role: 'leader', jurisdiction: '430199001' }, worker)).not.toThrow();
		expect(() => assertMayViewWorker({ id: 2, role: 'leader', jurisdiction: '430199002' }, worker)).toThrow(/无权查看该网格员/);
		expect(() => assertMayViewWorker({ id: 3, role: 'department_staff' }, worker)).toThrow(/无权查看/);
	});
	it('a street ranking for its leaders and above', () => {
		expect(() => assertMayRankStreet({ id: 2, role: 'leader', jurisdiction: '430199' }, '430199003')).not.toThrow();
		expect(() => assertMayRankStreet({ id: 2, role: 'leader', jurisdiction: '430199001' }, '430199003')).toThrow(/无权查看街道 430199003/);
		expect(() => assertMayRankStreet({ id: 7, role: 'grid_manager' }, '430199001')).toThrow(/网格员只能查看本人/);
	});
	it('/workers/me is the signed-in grid worker', () => {
		expect(workerIdParam('me', { id: 7, role: 'grid_manager' })).toBe(7);
		expect(() => workerIdParam('me', { id: 1, role: 'admin' })).toThrow(/只属于网格员/);
		expect(() => workerIdParam('x', { id: 1, role: 'admin' })).toThrow(/id/);
	});
});
