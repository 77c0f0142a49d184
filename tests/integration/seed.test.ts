// The demo district, seeded small into each back end, checked with PostGIS itself.
import { beforeAll, expect, it } from 'vitest';
import { seedDemoDistrict, ensureDemoDistrict } from '../../db/seed/ensure';
import { describeBackends } from './helpers/backends';
import { careList } from '../../src/lib/server/care/list';

const NOW = new Date('2026-11-21T00:00:00+08:00');

describeBackends('demo district seed', (getDb) => {
	let counts: Record<string, number>;
	beforeAll(async () => {
		({ counts } = await seedDemoDistrict(getDb(), { households: 3000, now: NOW }));
	});

	it('fills every table with the asked-for scale', () => {
		expect(counts.households).toBe(3000);
		expect(counts.areas).toBe(1 + 8 + 80);
		expect(counts.grids).toBeGreaterThan(520);
		expect(counts.requests).toBeGreaterThan(700);
		expect(counts.request_events).toBeGreaterThan(counts.requests * 4);
		// 75 from the generator, the rest found by the two 专项行动 (db/seed/campaigns.ts)
		expect(counts.hazards).toBeGreaterThan(75);
	});

	it('seeds two 专项行动 with checks that keep their rules (loaded with triggers off) and the hazards they found', async () => {
		const [c] = await getDb().sql<Record<string, number>>`SELECT
			(SELECT count(*)::int FROM campaigns) AS campaigns,
			(SELECT count(*)::int FROM hazards WHERE campaign_check_id IS NULL) AS plain,
			(SELECT count(*)::int FROM campaign_checks k JOIN campaigns c ON c.id = k.campaign_id JOIN households h ON h.id = k.household_id
			  WHERE k.grid_code <> h.grid_code OR NOT h.grid_code LIKE ANY (SELECT a || '%' FROM unnest(c.area_codes) a)
			     OR (k.checked_at AT TIME ZONE 'Asia/Shanghai')::date NOT BETWEEN c.starts_on AND c.ends_on OR k.checked_at > ${NOW}
			     OR k.failed <> (SELECT count(*) FROM jsonb_array_elements(k.answers) x WHERE x = 'false'::jsonb)
			     OR jsonb_array_length(k.answers) <> jsonb_array_length(c.checklist)) AS broken,
			(SELECT sum(failed)::int FROM campaign_checks) AS failed,
			(SELECT count(*)::int FROM hazards WHERE campaign_check_id IS NOT NULL) AS found,
			(SELECT count(*)::int FROM hazards WHERE campaign_check_id IS NOT NULL AND (rectified_at > ${NOW} OR reinspected_at > ${NOW})) AS future`;
		expect(c).toMatchObject({ campaigns: 2, plain: 75, broken: 0, future: 0 });
		expect(c.found).toBe(c.failed);
		expect(c.found).toBeGreaterThan(0);
	});

	it('gives the care households a plausible state: some visited on time, some 临期, some 逾期', async () => {
		expect(counts.care_visits).toBeGreaterThan(1000);
		const care = await careList(getDb(), { prefix: '' }, { now: NOW });
		expect(care.overdue).toBeGreaterThan(0);
		expect(care.due).toBeGreaterThan(0);
		expect(care.households - care.total, 'on time').toBeGreaterThan(care.total);
	});

	it('tiles each community exactly with its grids: no gaps, no overlaps, all valid', async () => {
		const db = getDb();
		const [gap] = await db.sql`SELECT max(ST_Area(ST_SymDifference(a.geom, u.geom))) AS worst FROM areas a
			JOIN (SELECT community_code, ST_Union(geom) AS geom FROM grids GROUP BY community_code) u ON u.community_code = a.code`;
		expect(gap.worst).toBeLessThan(1e-12);
		const [overlap] = await db.sql`SELECT count(*) AS n FROM grids a JOIN grids b
			ON a.code < b.code AND a.geom && b.geom AND ST_Area(ST_Intersection(a.geom, b.geom)) > 1e-12`;
		expect(overlap.n).toBe(0);
		const [invalid] = await db.sql`SELECT count(*) AS n FROM areas WHERE NOT ST_IsValid(geom)`;
		expect(invalid.n).toBe(0);
	});

	it('tiles each street with its communities and the district with its streets', async () => {
		const [worst] = await getDb().sql`SELECT max(ST_Area(ST_SymDifference(p.geom, c.geom))) AS d FROM areas p
			JOIN (SELECT parent_code, ST_Union(geom) AS geom FROM areas WHERE parent_code IS NOT NULL GROUP BY parent_code) c ON c.parent_code = p.code`;
		expect(worst.d).toBeLessThan(1e-12);
	});

	it('puts every household, hazard and request inside the grid it is filed under', async () => {
		for (const table of ['households', 'hazards', 'requests']) {
			const [row] = await getDb().query(`SELECT count(*) AS n FROM ${table} t JOIN grids g ON g.code = t.grid_code WHERE NOT ST_Intersects(g.geom, t.geom)`);
			expect(row.n, table).toBe(0);
		}
	});

	it('keeps foreign keys whole although PGlite loads with triggers off', async () => {
		const [row] = await getDb().sql`SELECT
			(SELECT count(*) FROM request_events e LEFT JOIN requests r ON r.id = e.request_id WHERE r.id IS NULL) +
			(SELECT count(*) FROM households h LEFT JOIN buildings b ON b.id = h.building_id WHERE b.id IS NULL) +
			(SELECT count(*) FROM requests r LEFT JOIN grids g ON g.code = r.grid_code WHERE g.code IS NULL) AS orphans`;
		expect(row.orphans).toBe(0);
	});

	it('records one event per transition, the last matching the status', async () => {
		const [row] = await getDb().sql`SELECT count(*) AS n FROM requests r
			WHERE r.status <> (SELECT e.to_status FROM request_events e WHERE e.request_id = r.id ORDER BY e.at DESC, e.id DESC LIMIT 1)`;
		expect(row.n).toBe(0);
	});

	it('rebuilt the secondary indexes it dropped for the load', async () => {
		const rows = await getDb().sql`SELECT indexname FROM pg_indexes WHERE tablename = 'households' ORDER BY 1`;
		expect(rows.map((r) => r.indexname)).toEqual(['households_building_idx', 'households_geom_idx', 'households_grid_idx', 'households_last_visit_idx', 'households_pkey']);
	});

	it('leaves a seeded database alone on the next start', async () => {
		expect(await ensureDemoDistrict(getDb(), () => {}, { households: 500 })).toBe(false);
		const [row] = await getDb().sql`SELECT count(*) AS n FROM households`;
		expect(row.n).toBe(3000);
	});
});

describeBackends('demo district: 微心愿 counts', (getDb) => {
	it('counts posted, claimed and fulfilled wishes of the demo district in SQL', async () => {
		const { wishCounts } = await import('../../src/lib/server/kpi/kpi');
		await seedDemoDistrict(getDb(), { households: 3000, now: NOW });
		const all = { area: null, department: null, pairing: null, from: new Date('2024-01-01'), to: NOW };
		const counts = await wishCounts(getDb(), all);
		const [check] = await getDb().sql`SELECT count(*) AS posted, count(*) FILTER (WHERE claimed_by IS NOT NULL) AS claimed,
			count(*) FILTER (WHERE status IN ('resolved', 'evaluated', 'closed')) AS fulfilled FROM requests WHERE kind = 'wish'`;
		expect(counts.posted).toBe(check.posted);
		expect(counts.posted).toBeGreaterThan(0);
		expect(counts.claimed).toBe(check.claimed);
		expect(counts.fulfilled).toBe(check.fulfilled);
		expect(counts.fulfilled).toBeLessThanOrEqual(counts.claimed);
	});
});
