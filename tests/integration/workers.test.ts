// 网格员工作情况 on a hand-counted fixture: two streets, three workers, five requests walked at known
// times in June 2026, five households. Every expected number is worked out in the comments.
import { beforeAll, expect, it } from 'vitest';
import { formatKpi } from '../../src/lib/domain/kpi';
import { rankLabel } from '../../src/lib/domain/numbers';
import { handledBy, reportedBy, type WorkerFigures } from '../../src/lib/domain/workers';
import type { SessionUser } from '../../src/lib/server/auth/user';
import { asUser } from '../../src/lib/server/access/userdb';
import { exportWorkerRanking, WORKER_RANKING_HEADER } from '../../src/lib/server/export/workerRanking';
import { kpiTargets } from '../../src/lib/server/kpi/targets';
import { handledFrom, workerFigures, type WorkerPeriod } from '../../src/lib/server/workers/figures';
import { streetRanking, workerFor, workerPage } from '../../src/lib/server/workers/workers';
import { describeBackends } from './helpers/backends';

const t = (s: string) => new Date(`2026-${s.replace(' ', 'T')}:00+08:00`);
const NOW = t('06-30 10:00');
const JUNE = { from: t('06-01 00:00'), to: t('07-01 00:00'), now: NOW, days: 90 };
const D = '990401', S1 = '990401001', S2 = '990401002';
const G1 = '990401001001001', G2 = '990401001001002', G3 = '990401002001001';
const W1 = 9401, W2 = 9402, W3 = 9403;
const user = (id: number, role: SessionUser['role'], jurisdiction: string | null = null): SessionUser =>
	({ id, username: `u${id}`, displayName: `u${id}`, role, departmentId: null, title: null, jurisdiction });
const admin = user(9406, 'admin'), leader1 = user(9404, 'leader', S1), leader2 = user(9405, 'leader', S2), w1 = user(W1, 'grid_manager');

const sq = (x: number) => `SRID=4326;MULTIPOLYGON(((${x} 28.2,${x + 0.01} 28.2,${x + 0.01} 28.21,${x} 28.21,${x} 28.2)))`;
const pt = (x: number) => `SRID=4326;POINT(${x + 0.005} 28.205)`;

async function fixture(db: import('../../src/lib/server/db/client').Db) {
	for (const [code, level, parent, x] of [[D, 'district', null, 0], [S1, 'street', D, 0], [S1 + '001', 'community', S1, 0], [S2, 'street', D, 0.02], [S2 + '001', 'community', S2, 0.02]] as const) {
		await db.sql`INSERT INTO areas (code, level, name, parent_code, setting, geom, label_point) VALUES (${code}, ${level}, ${'测' + code}, ${parent}, 'urban', ${sq(113 + x)}, ${pt(113 + x)})`;
	}
	for (const [code, x] of [[G1, 0], [G2, 0.01], [G3, 0.02]] as const) {
		await db.sql`INSERT INTO grids (code, community_code, name, geom, label_point) VALUES (${code}, ${code.slice(0, 12)}, ${'网格' + code.slice(-1)}, ${sq(113 + x)}, ${pt(113 + x)})`;
	}
	await db.exec(`INSERT INTO users (id, username, display_name, role, jurisdiction_code) VALUES
		(9401, 'wk_w1', '甲', 'grid_manager', NULL), (9402, 'wk_w2', '乙', 'grid_manager', NULL), (9403, 'wk_w3', '丙', 'grid_manager', NULL),
		(9404, 'wk_l1', '街道一', 'leader', '${S1}'), (9405, 'wk_l2', '街道二', 'leader', '${S2}'), (9406, 'wk_admin', '管', 'admin', NULL);
		INSERT INTO user_grids VALUES (9401, '${G1}'), (9402, '${G2}'), (9403, '${G3}');
		INSERT INTO categories (code, parent_code, name) VALUES ('wk', NULL, '巡查大类'), ('wk.a', 'wk', '小类A'), ('wk2', NULL, '环境'), ('wk2.b', 'wk2', '小类B');`);
	// [id, grid, category, status, reported, dispatch, accept deadline, accept (who, when), resolve deadline, resolved, reporter]
	const R: [number, string, string, string, string, string, string, [number | null, string] | null, string | null, string | null, number | null][] = [
		// R1 (G1, by W1): accepted in time, resolved on time
		[94001, G1, 'wk.a', 'resolved', '06-02 09:00', '06-02 10:00', '06-03 10:00', [null, '06-02 12:00'], '06-11 12:00', '06-05 10:00', W1],
		// R2 (G1, by W1): accepted late, resolved late
		[94002, G1, 'wk2.b', 'resolved', '06-03 09:00', '06-03 10:00', '06-04 10:00', [null, '06-05 10:00'], '06-14 10:00', '06-20 10:00', W1],
		// R3 (G3, street 2, by W3): accepted in time, unresolved past its deadline: overdue now
		[94003, G3, 'wk.a', 'accepted', '06-10 09:00', '06-10 10:00', '06-11 10:00', [null, '06-10 11:00'], '06-19 11:00', null, W3],
		// R4 (G2, by W2): dispatched, never accepted: overdue now
		[94004, G2, 'wk.a', 'dispatched', '06-15 09:00', '06-15 10:00', '06-16 10:00', null, null, null, W2],
		// R5 (G1, from the hotline): dispatched and accepted in May, resolved late in June
		[94005, G1, 'wk.a', 'resolved', '05-20 09:00', '05-20 10:00', '05-21 10:00', [null, '05-20 12:00'], '05-29 12:00', '06-02 10:00', null],
		// R6 (G1, from the hotline): dispatched Thu 06-25, never accepted: overdue now
		[94006, G1, 'wk.a', 'dispatched', '06-25 09:00', '06-25 10:00', '06-26 10:00', null, null, null, null]
	];
	for (const [id, grid, cat, status, rep, disp, accDl, acc, resDl, res, reporter] of R) {
		await db.sql`INSERT INTO requests (id, code, category_code, channel, status, title, grid_code, reported_at, dispatched_at, accepted_at, resolved_at, accept_deadline, resolve_deadline, geom)
			VALUES (${id}, ${'WK' + id}, ${cat}, ${reporter ? 'grid' : 'hotline_12345'}, ${status}, '测试', ${grid}, ${t(rep)}, ${t(disp)}, ${acc ? t(acc[1]) : null}, ${res ? t(res) : null},
			  ${t(accDl)}, ${resDl ? t(resDl) : null}, ${pt(113)})`;
		const ev = (from: string | null, to: string, action: string, actor: number | null, at: string, payload: object = {}) =>
			db.sql`INSERT INTO request_events (request_id, from_status, to_status, action, actor_id, at, payload) VALUES (${id}, ${from}, ${to}, ${action}, ${actor}, ${t(at)}, ${JSON.stringify(payload)})`;
		await ev(null, 'reported', 'report', reporter, rep);
		await ev('reported', 'dispatched', 'dispatch', 9406, disp, { accept_deadline: t(accDl).toISOString() });
		if (acc) await ev('dispatched', 'accepted', 'accept', acc[0], acc[1], { resolve_deadline: t(resDl!).toISOString() });
		if (res) await ev('accepted', 'resolved', 'resolve', null, res);
	}
	// households: G1 four (h1 knocked twice in June, h2 once, h3 in April, h4 never), G2 one (January)
	const [{ id: b1 }] = await db.sql<{ id: number }>`INSERT INTO buildings (grid_code, name, kind, geom) VALUES (${G1}, '1栋', 'apartment', ${pt(113)}) RETURNING id`;
	const [{ id: b2 }] = await db.sql<{ id: number }>`INSERT INTO buildings (grid_code, name, kind, geom) VALUES (${G2}, '2栋', 'apartment', ${pt(113.01)}) RETURNING id`;
	const knocks: [number, string, [number, string][]][] = [
		[b1, G1, [[W1, '06-05 10:00'], [W1, '06-20 10:00']]], [b1, G1, [[W1, '06-10 10:00']]], [b1, G1, [[W1, '04-15 10:00']]], [b1, G1, []], [b2, G2, [[W2, '01-10 10:00']]]
	];
	for (const [b, grid, visits] of knocks) {
		const last = visits.length ? t(visits.at(-1)![1]) : null;
		const [{ id }] = await db.sql<{ id: number }>`INSERT INTO households (building_id, grid_code, address, head_name, size, last_visit_at, geom)
			VALUES (${b}, ${grid}, '1号', '张三', 2, ${last}, ${pt(113)}) RETURNING id`;
		for (const [who, at] of visits) await db.sql`INSERT INTO door_knocks (household_id, visitor_id, visited_at) VALUES (${id}, ${who}, ${t(at)})`;
	}
}

const shown = (f: WorkerFigures) => ({ reports: f.reports, knocks: f.knocks, reached: f.reached, ...Object.fromEntries(f.values.map((v) => [v.key, `${formatKpi(v)} ${v.num}/${v.den ?? '-'} ${v.rag}`])) });

describeBackends('workers', (getDb) => {
	beforeAll(async () => fixture(getDb()));

	it("a worker's figures equal the hand count (reports, knocks, coverage, 受理率, 按期办结率, 超期数)", async () => {
		const db = asUser(getDb(), admin);
		const targets = await kpiTargets(db);
		const page = await workerPage(db, await workerFor(db, admin, W1), JUNE, targets);
		// reports R1, R2; knocks h1 ×2 + h2 = 3 on 2 households; coverage h1 h2 h3 of 4 (90 days);
		// handled (grid G1) R1 R2 R5 R6: dispatches in June R1 ✓ R2 ✗ R6 ✗ = 1/3 (R5's was in May);
		// resolved in June R1 ✓ R2 ✗ R5 ✗ = 1/3; overdue now R6 = 1 (red: > 2 per 1 000 of 4 households)
		expect(shown(page.figures)).toEqual({
			reports: 2, knocks: 3, reached: 2, accept_rate: '33.3% 1/3 red', ontime_rate: '33.3% 1/3 red', overdue: '1 1/- red', visit_coverage: '75.0% 3/4 green'
		});
		expect(page.figures.open).toBe(1);
		expect(page.byCategory).toEqual([{ code: 'wk', name: '巡查大类', n: 1 }, { code: 'wk2', name: '环境', n: 1 }]);
		// weeks Mon–Sun: 06-01…07, 06-08…14, 06-15…21, 06-22…28, 06-29…30; each counted like a period
		expect(page.weeks.map((w) => [w.period.label, w.figures.reports, w.figures.knocks])).toEqual([['06-01', 2, 1], ['06-08', 0, 1], ['06-15', 0, 1], ['06-22', 0, 0], ['06-29', 0, 0]]);
		expect(page.weeks[0].figures.values[1]).toMatchObject({ key: 'ontime_rate', num: 1, den: 2 });
	});

	it('the daily rollups give every worker the figures the direct count gives, for each reader and period', async () => {
		const periods: [string, WorkerPeriod][] = [
			['June, running', JUNE],
			['its first week, past', { ...JUNE, to: t('06-08 00:00') }],
			['May, past', { from: t('05-01 00:00'), to: t('06-01 00:00'), now: NOW, days: 90 }],
			['the last two days, running', { ...JUNE, from: t('06-29 00:00') }],
			['June, 30-day coverage', { ...JUNE, days: 30 }]
		];
		for (const [viewer, ids] of [[admin, [W1, W2, W3]], [leader1, [W1, W2]], [leader2, [W3]], [w1, [W1]]] as const) {
			const db = asUser(getDb(), viewer);
			const targets = await kpiTargets(db);
			const workers = await Promise.all(ids.map((id) => workerFor(db, viewer, id)));
			for (const [label, p] of periods) {
				const as = (source: 'rollups' | 'direct') => workerFigures(db, workers, p, targets, { source });
				expect(await as('rollups'), `${viewer.username}, ${label}`).toEqual(await as('direct'));
			}
		}
		// a period that is not whole Beijing days is counted directly
		const db = asUser(getDb(), admin);
		const odd = { ...JUNE, from: t('06-01 08:00') };
		const workers = [await workerFor(db, admin, W1)];
		await expect(workerFigures(db, workers, odd, await kpiTargets(db), { source: 'rollups' })).rejects.toThrow(/whole Beijing days/);
		expect(await workerFigures(db, workers, odd, await kpiTargets(db))).toEqual(await workerFigures(db, workers, odd, await kpiTargets(db), { source: 'direct' }));
	});

	it('"handled by" in SQL is the domain rule, request by request', async () => {
		const db = getDb();
		const rows = await db.sql<{ worker: number; request_id: number }>`SELECT ug.user_id AS worker, r.id AS request_id FROM ${handledFrom([W1, W2, W3], [G1, G2, G3])} ORDER BY 1, 2`;
		const events = await db.sql<{ request_id: number; action: string; actor_id: number | null; grid_code: string }>`
			SELECT e.request_id, e.action, e.actor_id, r.grid_code FROM request_events e JOIN requests r ON r.id = e.request_id WHERE r.code LIKE 'WK%'`;
		const requests = [...new Set(events.map((e) => Number(e.request_id)))].sort();
		const actors = (id: number) => ({ gridCode: events.find((e) => Number(e.request_id) === id)!.grid_code,
			events: events.filter((e) => Number(e.request_id) === id).map((e) => ({ action: e.action, actorId: e.actor_id })) });
		const expected = [[W1, [G1]], [W2, [G2]], [W3, [G3]]].flatMap(([id, grids]) =>
			requests.filter((r) => handledBy({ id: id as number, grids: grids as string[] }, actors(r))).map((r) => [id, r]));
		expect(rows.map((r) => [Number(r.worker), Number(r.request_id)])).toEqual(expected);
		expect(expected).toEqual([[W1, 94001], [W1, 94002], [W1, 94005], [W1, 94006], [W2, 94004], [W3, 94003]]);
		expect(requests.filter((r) => reportedBy(W1, actors(r)))).toEqual([94001, 94002]);
	});

	it("a street's ranking: every worker, competition ranks with ties, sorted", async () => {
		const db = asUser(getDb(), leader1);
		const targets = await kpiTargets(db);
		const q = { street: S1, sort: 'score' as const, page: 1 };
		const { ranking } = await streetRanking(db, leader1, q, JUNE, targets);
		// W1 score: mean(1/3, 1/3, 3/4) − 1 overdue / 1 open = −0.5278; W2: mean(0/1, 0/1 coverage) − 1/1 = −1
		expect(ranking.rows.map((w) => [w.username, rankLabel(w.rank!), w.score.toFixed(4)])).toEqual([['wk_w1', '第1', '-0.5278'], ['wk_w2', '第2', '-1.0000']]);
		expect([ranking.total, ranking.pages, ranking.street.name]).toEqual([2, 1, '测990401001']);
		const overdue = await streetRanking(db, leader1, { ...q, sort: 'overdue' }, JUNE, targets);
		expect(overdue.ranking.rows.map((w) => rankLabel(w.rank!))).toEqual(['并列第1', '并列第1']);
		const ontime = await streetRanking(db, leader1, { ...q, sort: 'ontime_rate' }, JUNE, targets);
		expect(ontime.ranking.rows.map((w) => [w.username, w.rank && rankLabel(w.rank)])).toEqual([['wk_w1', '第1'], ['wk_w2', null]]);
	});

	it('scope: a worker sees only themself, a street leader their street, anyone else 403', async () => {
		const db = getDb();
		await expect(workerFor(asUser(db, w1), w1, W1)).resolves.toMatchObject({ id: W1, grids: [{ code: G1 }] });
		await expect(workerFor(asUser(db, w1), w1, W2)).rejects.toMatchObject({ status: 403, message: '网格员只能查看本人的工作情况' });
		await expect(workerFor(asUser(db, leader1), leader1, W2)).resolves.toMatchObject({ id: W2 });
		await expect(workerFor(asUser(db, leader1), leader1, W3)).rejects.toMatchObject({ status: 403 });
		await expect(workerFor(asUser(db, leader2), leader2, W1)).rejects.toMatchObject({ status: 403 });
		await expect(workerFor(asUser(db, admin), admin, 9404)).rejects.toMatchObject({ status: 404 });
		const targets = await kpiTargets(db);
		const q = { street: S1, sort: 'score' as const, page: 1 };
		await expect(streetRanking(asUser(db, leader2), leader2, q, JUNE, targets)).rejects.toMatchObject({ status: 403, field: 'street' });
		await expect(streetRanking(asUser(db, w1), w1, q, JUNE, targets)).rejects.toMatchObject({ status: 403 });
		// under row-level security the worker's own page, their street leader's and the admin's agree
		const pageAs = async (u: SessionUser) => shown((await workerPage(asUser(db, u), await workerFor(asUser(db, u), u, W1), JUNE, targets)).figures);
		expect(await pageAs(w1)).toEqual(await pageAs(admin));
		expect(await pageAs(leader1)).toEqual(await pageAs(admin));
	});

	it('exports the whole ranking as CSV with Chinese headers and real numbers, audited', async () => {
		const db = asUser(getDb(), admin);
		const { all, ranking } = await streetRanking(db, admin, { street: S1, sort: 'score', page: 1 }, JUNE, await kpiTargets(db));
		const file = await exportWorkerRanking(db, admin.id, ranking.street, all, 'csv', { now: NOW });
		const text = await new Response(file.body).text();
		const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
		expect(lines[0]).toBe(WORKER_RANKING_HEADER.join(','));
		expect(lines[0]).toBe('排名,并列,网格员,账号,网格,上报数,走访次数,走访户数,受理率(%),按期办结率(%),超期数,入户走访覆盖率(%),评级');
		expect(lines.slice(1)).toEqual(['1,,甲,wk_w1,网格1,2,3,2,33.3,33.3,1,75,红', '2,,乙,wk_w2,网格2,1,0,0,0,,1,0,红']);
		expect(file.headers['content-disposition']).toContain(encodeURIComponent('测990401001网格员排名-2026-06-30.csv'));
		const [audit] = await getDb().sql`SELECT action, subject, rows FROM audit_log WHERE user_id = ${admin.id} ORDER BY id DESC LIMIT 1`;
		expect(audit).toEqual({ action: 'export', subject: 'workers.csv', rows: 2 });
	});
});
