// Hotspots on a seeded district, on both back ends: DBSCAN labels against PostGIS
// ST_ClusterDBSCAN on the same projected points, Gi* against an independent computation written
// entirely in SQL (counts, rates, ST_DWithin neighbours, sums), planted hotspots found, 解剖麻雀
// research sites, recurrence and saved research topics with refused bad input.
import { lastDays } from '../../src/lib/domain/calendar';
import { beforeAll, expect, it } from 'vitest';
import { generateDistrict } from '../../db/seed/generate';
import { seedDemoDistrict } from '../../db/seed/ensure';
import { canonicalLabels, dbscan, projectLocal } from '../../src/lib/domain/dbscan';
import { giStar, distanceBandWeights } from '../../src/lib/domain/gistar';
import { analyze, gridWeights, rates } from '../../src/lib/server/hotspots/analysis';
import { localMoran, ownValueHigh } from '../../src/lib/domain/lisa';
import { gridSet, loadPoints } from '../../src/lib/server/hotspots/data';
import { parseHotspotFilter } from '../../src/lib/server/hotspots/filters';
import { parseResearchTopic, saveResearchTopic, getResearchTopic, researchTopicExists, researchTopicSites } from '../../src/lib/server/research/topics';
import { recurrences } from '../../src/lib/server/hotspots/recurrence';
import { chooseSites } from '../../src/lib/server/research/sites';
import { ApiError } from '../../src/lib/domain/apierror';
import { describeBackends } from './helpers/backends';
import * as sitesRoute from '../../src/routes/api/research/sites/+server';
import * as oldSitesRoute from '../../src/routes/api/hotspots/sites/+server';
import * as topicsRoute from '../../src/routes/api/research/topics/+server';
import * as oldTopicsRoute from '../../src/routes/api/research-plans/+server';
import * as topicRoute from '../../src/routes/api/research/topics/[id]/+server';
import * as oldTopicRoute from '../../src/routes/api/research-plans/[id]/+server';

const NOW = new Date('2026-11-21T00:00:00+08:00');
const HOUSEHOLDS = 12000;
const district = generateDistrict({ households: HOUSEHOLDS, now: NOW });
const CATEGORIES = new Set(['property', 'property.elevator', 'safety']);
const filter = (q: Record<string, string>) => parseHotspotFilter(new URLSearchParams(q), CATEGORIES);

describeBackends('hotspots', (getDb) => {
	beforeAll(async () => {
		await seedDemoDistrict(getDb(), { households: HOUSEHOLDS, now: NOW });
	}, 240_000);

	it('DBSCAN labels equal ST_ClusterDBSCAN on the same points, border points included', async () => {
		const db = getDb();
		const set = await gridSet(db);
		const pts = await loadPoints(db, filter({ days: '730' }), set, NOW);
		const xy = projectLocal(pts.lonLat);
		const x = Array.from(xy.filter((_, i) => i % 2 === 0)), y = Array.from(xy.filter((_, i) => i % 2 === 1));
		expect(x.length).toBeGreaterThan(2000);
		for (const [eps, minPoints] of [[40, 4], [80, 10], [150, 25]]) {
			const rows = await db.sql<{ c: number | null }>`
				SELECT ST_ClusterDBSCAN(ST_MakePoint(x, y), ${eps}::float8, ${minPoints}::int) OVER (ORDER BY i) AS c
				FROM unnest(${x}::float8[], ${y}::float8[]) WITH ORDINALITY AS t(x, y, i) ORDER BY i`;
			const ours = dbscan(xy, { eps, minPoints });
			expect(ours.clusters).toBeGreaterThan(0);
			expect(ours.labels).toEqual(canonicalLabels(rows.map((r) => r.c)));
		}
	});

	it('Gi* per grid equals an independent SQL computation (distance band, ST_DWithin)', async () => {
		const db = getDb();
		const f = filter({ category: 'property', days: '365', weighting: 'distance', band: '1500' });
		const a = await analyze(db, f, NOW);
		const set = await gridSet(db);
		const ll = new Float64Array(set.grids.flatMap((g) => [g.lon, g.lat]));
		const xy = projectLocal(ll);
		const codes = set.grids.map((g) => g.code);
		const x = codes.map((_, i) => xy[2 * i]), y = codes.map((_, i) => xy[2 * i + 1]);
		const from = lastDays(365, NOW).from; // 近365天: Beijing calendar days, today included
		// the rates are empirical-Bayes smoothed (Marshall 1991), recomputed here in SQL
		const rows = await db.sql<{ code: string; z: number }>`
			WITH g AS (SELECT code, x, y FROM unnest(${codes}::text[], ${x}::float8[], ${y}::float8[]) AS t(code, x, y)),
			hh AS (SELECT grid_code, count(*) AS n FROM households GROUP BY 1),
			rq AS (SELECT grid_code, count(*) AS n FROM requests WHERE reported_at >= ${from} AND reported_at < ${NOW}
			         AND (category_code = 'property' OR category_code LIKE 'property.%') GROUP BY 1),
			v0 AS (SELECT g.code, ST_MakePoint(g.x, g.y) AS pt, coalesce(rq.n, 0)::float8 AS o, coalesce(hh.n, 0)::float8 AS p
			      FROM g LEFT JOIN hh ON hh.grid_code = g.code LEFT JOIN rq ON rq.grid_code = g.code),
			e AS (SELECT sum(o) FILTER (WHERE p > 0) / sum(p) AS theta, sum(p) AS sp, count(*) FILTER (WHERE p > 0) AS np FROM v0),
			e2 AS (SELECT e.theta, greatest(0, sum(v0.p * (v0.o / v0.p - e.theta) ^ 2) FILTER (WHERE v0.p > 0) / e.sp - e.theta / (e.sp / e.np)) AS phi
			       FROM v0, e GROUP BY e.theta, e.sp, e.np),
			v AS (SELECT code, pt, 100 * CASE WHEN p > 0 THEN (phi / (phi + theta / p)) * (o / p) + (theta / p / (phi + theta / p)) * theta ELSE theta END AS val
			      FROM v0, e2),
			s AS (SELECT count(*)::float8 AS n, avg(val)::float8 AS m, sqrt(sum(val * val)::float8 / count(*) - avg(val)::float8 ^ 2) AS sd FROM v),
			w AS (SELECT a.code, sum(b.val)::float8 AS wx, count(*)::float8 AS wi FROM v a JOIN v b ON ST_DWithin(a.pt, b.pt, 1500) GROUP BY a.code)
			SELECT w.code, (w.wx - s.m * w.wi) / (s.sd * sqrt((s.n * w.wi - w.wi * w.wi) / (s.n - 1))) AS z FROM w, s ORDER BY w.code`;
		expect(rows.length).toBe(a.grids.length);
		rows.forEach((r, i) => {
			expect(r.code).toBe(a.grids[i].code);
			expect(a.grids[i].z).toBeCloseTo(r.z, 9);
		});
		// and the pure function on the same rates gives the same (no hidden state in analyze)
		const counts = a.grids.map((g) => g.count);
		expect(giStar(rates(counts, set), distanceBandWeights(xy, 1500)).z[5]).toBe(a.grids[5].z);
	});

	it('finds the planted property hotspots: 99 % grids inside them, FDR keeps fewer or equal', async () => {
		const db = getDb();
		const a = await analyze(db, filter({ category: 'property', days: '365' }), NOW);
		const planted = new Set(district.hotspots.filter((h) => h.categories.some((c) => c.startsWith('property'))).flatMap((h) => [...h.grids].map((g) => district.geo.grids[g].code)));
		const hot = a.grids.filter((g) => g.bin === 3);
		expect(hot.length).toBeGreaterThan(3);
		expect(hot.filter((g) => planted.has(g.code)).length / hot.length).toBeGreaterThan(0.6);
		const raw = await analyze(db, filter({ category: 'property', days: '365', fdr: '0' }), NOW);
		expect(a.grids.filter((g) => g.bin > 0).length).toBeLessThanOrEqual(raw.grids.filter((g) => g.bin > 0).length);
		expect(a.clusters.length).toBeGreaterThan(0);
		expect(new Set(a.grids.map((g) => g.pattern)).size).toBeGreaterThan(1);
	});

	it('LISA per grid equals localMoran on the same smoothed rates and weights; a grid whose own rate is low is never counted a hot spot', async () => {
		const db = getDb();
		const set = await gridSet(db);
		const a = await analyze(db, filter({ category: 'property', days: '365' }), NOW);
		const lisa = localMoran(a.grids.map((g) => g.smoothed), gridWeights(set, a.filter), { fdr: true });
		expect(a.grids.map((g) => g.lisa)).toEqual([...lisa.cluster]);
		expect(a.grids.map((g) => g.quadrant)).toEqual([...lisa.quadrant]);
		const mean = a.grids.reduce((s, g) => s + g.smoothed, 0) / a.grids.length;
		for (const g of a.grids) expect(ownValueHigh(g.quadrant), g.code).toBe(g.smoothed > mean);
		// the planted property hotspots come out 高值聚集
		expect(a.grids.filter((g) => g.lisa === 1).length).toBeGreaterThan(3);
		// every significant 低值被高值包围 grid has a rate below the mean and neighbours above it
		for (const g of a.grids.filter((x) => x.lisa === 2)) expect(g.smoothed).toBeLessThan(mean);
	});

	it('chooses 5 物业管理 sites with reasons and a contrast, and saves them as a research topic', async () => {
		const db = getDb();
		// a small district (12 000 households): a year of data and ≥ 3 requests make a candidate
		const r = await chooseSites(db, filter({ category: 'property', days: '365' }), { k: 5, minCount: 3 }, NOW);
		expect(r.choice.picks.length).toBe(5);
		expect(r.choice.picks[0].reason).toMatch(/^近365天物业管理诉求\d+件（每百户[\d.]+件），全区(并列)?第\d+；超期\d+件/);
		expect(r.choice.contrast?.reason).toMatch(/^对照点：/);
		const [leader] = await db.sql<{ id: number }>`SELECT id FROM users WHERE role = 'leader' ORDER BY id LIMIT 1`;
		const sites = [...r.choice.picks, r.choice.contrast!].map((p) => ({ gridCode: p.code, role: p.role, reason: p.reason }));
		const id = await saveResearchTopic(db, leader.id, parseResearchTopic({ topic: '物业管理调研', notes: '', settings: { k: 5 }, sites }));
		const topic = await getResearchTopic(db, id, { id: leader.id, role: 'leader' });
		expect(topic.sites.map((s) => s.role)).toEqual(['study', 'study', 'study', 'study', 'study', 'contrast']);
		expect(topic.settings).toEqual({ k: 5 });
		// handed to the visit planner: the leader's topics with their sites as stops
		const handed = (await researchTopicSites(db, leader.id)).find((t) => t.id === id);
		expect(handed?.sites.map((s) => [s.grid_code, s.role])).toEqual(topic.sites.map((s) => [s.gridCode, s.role]));
		expect(await researchTopicExists(db, id)).toBe(true);
	});

	it('refuses bad research topics naming the field and writes nothing', async () => {
		const db = getDb();
		const [before] = await db.sql<{ n: number }>`SELECT count(*) AS n FROM research_plans`;
		const err = (fn: () => unknown) => { try { fn(); } catch (e) { return e as ApiError; } return null; };
		expect(err(() => parseResearchTopic({ topic: '', sites: [] }))?.field).toBe('topic');
		expect(err(() => parseResearchTopic({ topic: 'x', sites: [{ gridCode: '12', reason: 'r' }] }))?.field).toBe('sites[0].gridCode');
		const [leader] = await db.sql<{ id: number }>`SELECT id FROM users WHERE role = 'leader' ORDER BY id LIMIT 1`;
		const [g] = await db.sql<{ code: string }>`SELECT code FROM grids LIMIT 1`;
		await expect(saveResearchTopic(db, leader.id, parseResearchTopic({ topic: 'x', sites: [{ gridCode: g.code, reason: 'a' }, { gridCode: '999999999999999', reason: 'b' }] })))
			.rejects.toMatchObject({ field: 'sites[1].gridCode', message: '网格 999999999999999 不存在' });
		const [after] = await db.sql<{ n: number }>`SELECT count(*) AS n FROM research_plans`;
		expect(after.n).toBe(before.n);
		expect(() => filter({ days: '3' })).toThrow('统计天数 days 必须在 7–730 之间，收到 3');
		expect(() => filter({ category: 'nope' })).toThrow('未知的诉求类别 category：“nope”');
	});

	it('lists recurring households/places with the expected next report', async () => {
		const rows = await recurrences(getDb(), { days: 730, minCount: 2, category: null, limit: 50 }, NOW);
		expect(rows.length).toBeGreaterThan(0);
		expect(rows[0].count).toBeGreaterThanOrEqual(2);
		expect(rows.every((r, i) => i === 0 || r.count <= rows[i - 1].count)).toBe(true);
		expect(rows.every((r) => r.lon > 100 && r.categoryName.length > 0)).toBe(true);
	});
	it('the old URLs (/api/hotspots/sites, /api/research-plans[/:id]) answer with the research handlers', () => {
		expect(oldSitesRoute.GET).toBe(sitesRoute.GET);
		expect([oldTopicsRoute.GET, oldTopicsRoute.POST]).toEqual([topicsRoute.GET, topicsRoute.POST]);
		expect(oldTopicRoute.GET).toBe(topicRoute.GET);
	});
});
