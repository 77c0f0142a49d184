// The big screen's aggregates on the seeded demo district, on both back ends: they agree with the
// KPI module, and nothing personal is in them — no household head name, no phone, no user name.
import { lastDays, localDate } from '../../src/lib/domain/calendar';
import { parseRequestFilter } from '../../src/lib/domain/requestfilter';
import { beforeAll, expect, it } from 'vitest';
import { seedDemoDistrict } from '../../db/seed/ensure';
import { computeKpis } from '../../src/lib/server/kpi/kpi';
import { screenMayOpen } from '../../src/lib/server/screen/access';
import { gridDensity, gridHotspots, PERIOD_DAYS, screenSummary, type ScreenSummary } from '../../src/lib/server/screen/summary';
import { analyze } from '../../src/lib/server/hotspots/analysis';
import { parseHotspotFilter } from '../../src/lib/server/hotspots/filters';
import { describeBackends } from './helpers/backends';

const NOW = new Date();

describeBackends('screen aggregates', (getDb) => {
	let district: ScreenSummary;
	let street: ScreenSummary;
	let text: string;
	beforeAll(async () => {
		const db = getDb();
		await seedDemoDistrict(db, { households: 3000, now: NOW });
		district = await screenSummary(db, null, NOW);
		street = await screenSummary(db, district.streets[0].code, NOW);
		text = JSON.stringify([district, street, await gridDensity(db)]);
	}, 240_000);

	it('shows the district KPIs of the KPI module, with the previous period beside them', async () => {
		// 近30天 as /kpi reads it (from/to are Beijing dates, today included), not 720 hours back
		const f = parseRequestFilter(new URLSearchParams(`from=${localDate(lastDays(PERIOD_DAYS, NOW).from)}`), NOW);
		expect(f.to).toEqual(lastDays(PERIOD_DAYS, NOW).to);
		const k = await computeKpis(getDb(), { area: district.area.code, department: null, pairing: null, from: f.from, to: f.to }, { now: NOW });
		expect(district.kpis.map((x) => [x.key, x.value])).toEqual(k.values.map((v) => [v.key, v.value]));
		expect(district.open).toBe(k.open);
		expect(district.kpis.find((x) => x.key === 'satisfaction_rate')!.prev).not.toBeNull();
		expect(district.trend).toHaveLength(14);
	});

	it('counts each Beijing day of the trend and today as the requests’ own times say, for the district and a street', async () => {
		const rows = await getDb().sql<{ grid: string; reported: Date; resolved: Date | null }>`SELECT grid_code AS grid, reported_at AS reported, resolved_at AS resolved FROM requests`;
		for (const s of [district, street]) {
			const mine = rows.filter((r) => r.grid.startsWith(s.area.code));
			const days = [...s.trend.map((t) => t.day), localDate(NOW).slice(5)];
			// the 15 days end today, one after another
			for (let i = 0; i < days.length; i++) expect(days[i], s.area.name).toBe(localDate(new Date(NOW.getTime() - (days.length - 1 - i) * 86_400_000)).slice(5));
			const count = (at: (r: (typeof mine)[number]) => Date | null, day: string) => mine.filter((r) => at(r) && localDate(at(r)!).slice(5) === day && NOW.getTime() - at(r)!.getTime() < 20 * 86_400_000).length;
			const want = days.map((d) => [d, count((r) => r.reported, d), count((r) => r.resolved, d)]);
			const got = [...s.trend.map((t) => [t.day, t.reported, t.resolved]), [days.at(-1), s.today.reported, s.today.resolved]];
			expect(got, s.area.name).toEqual(want);
		}
		// the district's days are not all empty (a street of the small demo may have none)
		expect(district.trend.reduce((n, t) => n + t.reported + t.resolved, 0)).toBeGreaterThan(0);
	});

	it('outlines exactly the grids the hotspot analysis finds hot (Gi* ≥ 95 % after FDR), codes only', async () => {
		const hot = await gridHotspots(getDb(), NOW);
		const a = await analyze(getDb(), parseHotspotFilter(new URLSearchParams(), new Set()), NOW);
		expect(hot).toEqual(a.grids.filter((g) => g.bin >= 2).map((g) => g.code));
		expect(hot.length).toBeGreaterThan(0);
		for (const code of hot) expect(code).toMatch(/^\d{15}$/);
	});

	it('ranks streets and departments and lists each kind of alert that exists', () => {
		expect(district.streets.length).toBeGreaterThan(2);
		expect(district.departments.length).toBeGreaterThan(2);
		expect(street.streets.every((s) => s.code.length === 12)).toBe(true);
		const kinds = new Set(district.alerts.items.map((a) => a.kind));
		expect([...kinds].every((k) => ['overdue', 'whistle', 'hazard'].includes(k))).toBe(true);
		expect(kinds.has('overdue')).toBe(district.alerts.overdue > 0);
		expect(kinds.has('whistle')).toBe(district.alerts.whistle > 0);
		expect(kinds.has('hazard')).toBe(district.alerts.hazard > 0);
	});

	it('carries no household name, phone or ID number, and no user name', async () => {
		const db = getDb();
		// a name that is also a place, category or department name is not personal
		const [{ places }] = await db.sql<{ places: string }>`SELECT string_agg(name, '|') AS places FROM
			(SELECT name FROM areas UNION ALL SELECT name FROM grids UNION ALL SELECT name FROM categories UNION ALL SELECT name FROM departments) x`;
		const people = await db.sql<{ v: string }>`
			SELECT DISTINCT v FROM (SELECT head_name AS v FROM households UNION ALL SELECT phone FROM households
				UNION ALL SELECT id_number FROM households UNION ALL SELECT display_name FROM users UNION ALL SELECT phone FROM users
				UNION ALL SELECT reporter_name FROM requests UNION ALL SELECT reporter_phone FROM requests) x WHERE v IS NOT NULL AND length(v) >= 2`;
		expect(people.length).toBeGreaterThan(1000);
		const leaked = people.map((p) => p.v).filter((v) => text.includes(v) && !places.includes(v));
		expect(leaked).toEqual([]);
		expect(text).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
	});
});

it('the screen credential may open the screen, its aggregates and the map geometry only', () => {
	for (const ok of ['/screen', '/api/screen/summary', '/api/live', '/api/map/grids', '/api/map/basemap', '/_app/immutable/x.js', '/logout']) expect(screenMayOpen(ok), ok).toBe(true);
	for (const no of ['/', '/api/requests', '/api/requests/1', '/api/map/features/households/1/2/3/4', '/api/map/tiles/households/1/2/3', '/kpi', '/api/kpi', '/workspace', '/api/screenx', '/screenx'])
		expect(screenMayOpen(no), no).toBe(false);
});
