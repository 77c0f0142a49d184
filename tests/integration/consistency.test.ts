// One figure, every page (issue 15): on the seeded demo district, on both back ends, for the
// district and two streets and for two periods (the last 30 days and last calendar month), the
// KPIs that /api/kpi and /kpi compute equal the big screen's, the map's per-grid overdue counts,
// the request list's totals behind each number, and the rows of the request-list export.
import { beforeAll, expect, it } from 'vitest';
import { seedDemoDistrict } from '../../db/seed/ensure';
import { lastDays, localDate, startOfLocalDay } from '../../src/lib/domain/calendar';
import { DEFAULT_VISIT_DAYS, KPI_BY_KEY, type KpiKey } from '../../src/lib/domain/kpi';
import { parseRequestFilter } from '../../src/lib/domain/requestfilter';
import { exportRequestList } from '../../src/lib/server/export/requestList';
import { listPlaces } from '../../src/lib/server/kpi/drill';
import { computeKpis } from '../../src/lib/server/kpi/kpi';
import { gridStats } from '../../src/lib/server/queries/grids';
import { listRequests } from '../../src/lib/server/requests/list';
import { PERIOD_DAYS, screenSummary } from '../../src/lib/server/screen/summary';
import { describeBackends } from './helpers/backends';

const NOW = new Date();

/** The calendar month before NOW's, as Beijing dates. */
function lastMonth(): { from: string; to: string } {
	const firstOfThis = localDate(NOW).slice(0, 8) + '01';
	const lastOfPrev = localDate(new Date(startOfLocalDay(new Date(`${firstOfThis}T00:00:00+08:00`)).getTime() - 1));
	return { from: lastOfPrev.slice(0, 8) + '01', to: lastOfPrev };
}

// requests are the unit of these KPIs: the list behind a number holds exactly that many
const PER_REQUEST: KpiKey[] = ['close_rate', 'ontime_rate', 'overdue'];
// these count dispatches, evaluations or summoned departments: a request may stand for several
const PER_EVENT: KpiKey[] = ['accept_rate', 'solved_rate', 'satisfaction_rate', 'whistle_rate'];

describeBackends('one figure everywhere', (getDb) => {
	let scopes: { code: string; name: string }[];
	let admin: number;
	beforeAll(async () => {
		const db = getDb();
		await seedDemoDistrict(db, { households: 3000, now: NOW });
		const district = await db.sql<{ code: string; name: string }>`SELECT code, name FROM areas WHERE level = 'district' ORDER BY code LIMIT 1`;
		const streets = await db.sql<{ code: string; name: string }>`SELECT code, name FROM areas WHERE level = 'street' ORDER BY code LIMIT 2`;
		scopes = [...district, ...streets];
		[{ id: admin }] = await db.sql<{ id: number }>`SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1`;
	}, 600_000);

	const periods = () => [
		{ name: '近30天', from: localDate(lastDays(PERIOD_DAYS, NOW).from), to: localDate(NOW) },
		{ name: '上月', ...lastMonth() }
	];
	const filter = (area: string, p: { from: string; to: string }, extra = '') =>
		parseRequestFilter(new URLSearchParams(`area=${area}&from=${p.from}&to=${p.to}&limit=1${extra}`), NOW);

	it('the request list behind every KPI number holds that number (district, two streets, two periods)', async () => {
		const db = getDb();
		let compared = 0;
		for (const s of scopes) {
			for (const p of periods()) {
				const f = filter(s.code, p);
				const k = await computeKpis(db, { area: s.code, department: null, pairing: null, from: f.from, to: f.to }, { now: NOW });
				for (const v of k.values.filter((x) => KPI_BY_KEY[x.key].subject === 'requests')) {
					const where = `${s.name} ${p.name} ${v.key}`;
					const den = (await listRequests(db, filter(s.code, p, `&kpi=${v.key}&part=den`), null, NOW)).total;
					const num = (await listRequests(db, filter(s.code, p, `&kpi=${v.key}&part=num`), null, NOW)).total;
					if (PER_REQUEST.includes(v.key)) {
						expect(v.key === 'overdue' ? num : den, `${where}: list total`).toBe(v.key === 'overdue' ? v.num : v.den);
						if (v.key !== 'overdue') expect(num, `${where}: numerator list`).toBe(v.num);
					} else {
						expect(PER_EVENT).toContain(v.key);
						// every request listed stands for at least one counted event, none is missing
						expect(den, `${where}: requests behind the denominator`).toBeLessThanOrEqual(v.den ?? 0);
						expect(den > 0, `${where}: a list exactly when there is a denominator`).toBe((v.den ?? 0) > 0);
						expect(num, `${where}: requests behind the numerator`).toBeLessThanOrEqual(v.num);
					}
					compared++;
				}
			}
		}
		expect(compared).toBe(scopes.length * 2 * (PER_REQUEST.length + PER_EVENT.length));
	});

	it('the households and hazards behind 入户走访覆盖率 and 隐患整改率 are as many as the numbers (district, two streets, two periods)', async () => {
		const db = getDb();
		let compared = 0;
		for (const s of scopes) {
			for (const p of periods()) {
				const f = filter(s.code, p);
				const k = await computeKpis(db, { area: s.code, department: null, pairing: null, from: f.from, to: f.to }, { now: NOW });
				for (const v of k.values.filter((x) => KPI_BY_KEY[x.key].subject !== 'requests')) {
					const where = `${s.name} ${p.name} ${v.key}`;
					const den = (await listPlaces(db, filter(s.code, p, `&kpi=${v.key}&part=den`), { now: NOW })).total;
					const num = (await listPlaces(db, filter(s.code, p, `&kpi=${v.key}&part=num`), { now: NOW })).total;
					expect([num, den], where).toEqual([v.num, v.den]);
					if (v.key === 'visit_coverage') expect(den, `${where}: a district has households`).toBeGreaterThan(0);
					compared++;
				}
			}
		}
		expect(compared).toBe(scopes.length * 2 * 2);
	});

	it('the big screen shows the KPIs of /kpi for 近30天, for the district and each street', async () => {
		const db = getDb();
		const p = periods()[0];
		for (const s of scopes) {
			const f = filter(s.code, p);
			const k = await computeKpis(db, { area: s.code, department: null, pairing: null, from: f.from, to: f.to }, { now: NOW });
			const screen = await screenSummary(db, s.code, NOW);
			expect(screen.kpis.map((x) => [x.key, x.num, x.den]), s.name).toEqual(k.values.map((v) => [v.key, v.num, v.den]));
			expect(screen.open, s.name).toBe(k.open);
		}
	});

	it('the map’s overdue per grid adds up to 超期数 of /kpi, and the export holds the list’s rows', async () => {
		const db = getDb();
		const stats = (await gridStats(db, 'overdue')).meta;
		const p = periods()[0];
		for (const s of scopes) {
			const f = filter(s.code, p, '&kpi=overdue');
			const k = await computeKpis(db, { area: s.code, department: null, pairing: null, from: f.from, to: f.to }, { now: NOW });
			const onMap = stats.grids.filter((g) => g.code.startsWith(s.code)).reduce((sum, g) => sum + (g.value ?? 0), 0);
			expect(onMap, `${s.name}: map`).toBe(k.values.find((v) => v.key === 'overdue')!.num);
			const file = await exportRequestList(db, admin, f, null, 'csv', { now: NOW });
			const text = await new Response(file.body).text();
			const lines = text.split('\r\n').filter((l) => l.length > 0);
			expect(file.rows, `${s.name}: export`).toBe(onMap);
			expect(lines.length - 1, `${s.name}: CSV data rows`).toBe(onMap);
		}
	});

	it('the map’s 近90天走访覆盖率 counts add up to 入户走访覆盖率 of /kpi over 90 days, in every grid', async () => {
		const db = getDb();
		const stats = (await gridStats(db, 'coverage')).meta;
		const { from, to } = lastDays(DEFAULT_VISIT_DAYS, NOW);
		for (const s of scopes) {
			const k = await computeKpis(db, { area: s.code, department: null, pairing: null, from, to }, { now: NOW, visitDays: DEFAULT_VISIT_DAYS, source: 'direct' });
			const cov = k.values.find((v) => v.key === 'visit_coverage')!;
			const mine = stats.grids.filter((g) => g.code.startsWith(s.code));
			expect(mine.reduce((n, g) => n + g.households, 0), `${s.name}: households`).toBe(cov.den);
			expect(mine.reduce((n, g) => n + g.visited90, 0), `${s.name}: visited`).toBe(cov.num);
			expect(cov.num, `${s.name}: some visited`).toBeGreaterThan(0);
		}
		// grid by grid, against the households themselves
		const since = lastDays(DEFAULT_VISIT_DAYS, NOW).from;
		const rows = await db.sql<{ code: string; n: number; visited: number }>`
			SELECT grid_code AS code, count(*)::int AS n, (count(*) FILTER (WHERE last_visit_at > ${since}))::int AS visited FROM households GROUP BY 1`;
		const byCode = new Map(rows.map((r) => [r.code, r]));
		for (const g of stats.grids) expect([g.code, g.households, g.visited90]).toEqual([g.code, byCode.get(g.code)?.n ?? 0, byCode.get(g.code)?.visited ?? 0]);
	});
});
