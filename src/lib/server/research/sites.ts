// The numbers behind 解剖麻雀 (research) site choice for a topic (a request category) and period: per grid the
// topic's requests, overdue, repeats, evaluations, related hazards, Gi* and last leader visit.
// The choice itself is pure domain code (domain/research.ts) and also runs in the browser.
import { lastDays } from '../../domain/calendar';
import { badParam } from '../../domain/apierror';
import { selectSites, type ResearchOptions, type SiteCandidate, type TopicContext } from '../../domain/research';
import type { Queryable } from '../db/client';
import { HAZARD_UNRECTIFIED_SQL, overdueSql } from '../db/fragments';
import { analyze } from '../hotspots/analysis';
import { gridSet } from '../hotspots/data';
import type { HotspotFilter } from '../hotspots/filters';

export interface SiteData { ctx: TopicContext; candidates: SiteCandidate[]; grids: { code: string; bin: number }[] }

export async function siteData(db: Queryable, f: HotspotFilter, now = new Date()): Promise<SiteData> {
	if (f.source !== 'requests' || !f.category) throw badParam('category', '解剖麻雀选点需要选择一个诉求类别（category），例如 property（物业管理）');
	const set = await gridSet(db);
	const analysis = await analyze(db, f, now);
	const from = lastDays(f.days, now).from;
	const [topic] = await db.sql<{ name: string }>`SELECT name FROM categories WHERE code = ${f.category}`;
	const subtypes = await db.sql<{ code: string; name: string }>`
		SELECT code, name FROM categories WHERE code = ${f.category} OR parent_code = ${f.category} ORDER BY code`;
	const leaf = subtypes.length > 1 ? subtypes.filter((s) => s.code !== f.category) : subtypes;
	const rows = await db.sql<{ g: string; c: string; n: number; overdue: number; evaluated: number; unsatisfied: number }>`
		SELECT grid_code AS g, category_code AS c, count(*) AS n,
		       count(*) FILTER (WHERE ${overdueSql(now, '')}) AS overdue,
		       count(*) FILTER (WHERE satisfaction IS NOT NULL) AS evaluated,
		       count(*) FILTER (WHERE satisfaction = 'unsatisfied') AS unsatisfied
		FROM requests WHERE reported_at >= ${from} AND reported_at < ${now} AND (category_code = ${f.category} OR category_code LIKE ${f.category} || '.%')
		GROUP BY 1, 2`;
	// households (or addresses) reporting the same kind twice or more in the period
	const repeats = await db.sql<{ g: string; n: number }>`
		SELECT g, count(*) AS n FROM (
		  SELECT grid_code AS g FROM requests WHERE reported_at >= ${from} AND reported_at < ${now} AND (category_code = ${f.category} OR category_code LIKE ${f.category} || '.%')
		  GROUP BY grid_code, coalesce(household_id::text, address), category_code HAVING count(*) >= 2) x GROUP BY g`;
	const hazards = await db.sql<{ g: string; n: number }>`
		SELECT h.grid_code AS g, count(*) AS n FROM hazards h
		WHERE h.status IN ${HAZARD_UNRECTIFIED_SQL} AND h.severity >= 3
		  AND h.type = ANY(${HAZARD_OF[f.category.split('.')[0]] ?? []}::text[])
		GROUP BY 1`;
	const visits = await db.sql<{ g: string; days: number }>`
		SELECT s.grid_code AS g, floor(extract(epoch FROM (${now}::timestamptz - max(coalesce(v.finished_at, v.planned_date::timestamptz)))) / 86400)::int AS days
		FROM visit_stops s JOIN visits v ON v.id = s.visit_id WHERE v.status = 'done' AND s.grid_code IS NOT NULL GROUP BY 1`;

	const n = set.grids.length;
	const acc = set.grids.map(() => ({ count: 0, overdue: 0, evaluated: 0, unsatisfied: 0, mix: leaf.map(() => 0) }));
	const districtMix = leaf.map(() => 0);
	let evaluated = 0, unsatisfied = 0;
	for (const r of rows) {
		const i = set.index.get(r.g);
		if (i === undefined) continue;
		const a = acc[i];
		a.count += r.n; a.overdue += r.overdue; a.evaluated += r.evaluated; a.unsatisfied += r.unsatisfied;
		const k = leaf.findIndex((s) => s.code === r.c);
		if (k >= 0) { a.mix[k] += r.n; districtMix[k] += r.n; }
		evaluated += r.evaluated; unsatisfied += r.unsatisfied;
	}
	const by = <T extends { g: string }>(list: T[]) => new Map(list.map((x) => [x.g, x]));
	const [rep, haz, vis] = [by(repeats), by(hazards), by(visits)];
	const candidates: SiteCandidate[] = [];
	for (let i = 0; i < n; i++) {
		const g = set.grids[i], a = acc[i], gr = analysis.grids[i];
		if (!a.count) continue;
		candidates.push({
			code: g.code, name: g.name, street: g.street, streetName: g.streetName, setting: g.setting, lon: g.lon, lat: g.lat,
			households: g.households, count: a.count, overdue: a.overdue, repeat: rep.get(g.code)?.n ?? 0, evaluated: a.evaluated, unsatisfied: a.unsatisfied,
			hazards: haz.get(g.code)?.n ?? 0, z: gr.z, bin: gr.bin, mix: a.mix, lastVisitDays: vis.get(g.code)?.days ?? null
		});
	}
	const ctx: TopicContext = {
		topic: topic?.name ?? f.category, periodDays: f.days, subtypes: leaf.map((s) => s.name), districtMix,
		districtSatisfaction: evaluated ? 1 - unsatisfied / evaluated : 1, districtUnsatisfied: evaluated ? unsatisfied / evaluated : 0
	};
	return { ctx, candidates, grids: analysis.grids.map((g) => ({ code: g.code, bin: g.bin })) };
}

/** Hazard types that belong to a request topic (its serious open hazards count as acute). */
const HAZARD_OF: Record<string, string[]> = {
	property: ['fire_access', 'e_bike', 'dilapidated'], safety: ['gas', 'e_bike', 'fire_access', 'dilapidated'],
	municipal: ['road', 'flooding'], rural: ['dilapidated', 'flooding'], environment: [], welfare: [], dispute: [], market: [], education: [], wish: []
};

export async function chooseSites(db: Queryable, f: HotspotFilter, options: ResearchOptions, now = new Date()) {
	const data = await siteData(db, f, now);
	try {
		return { ...data, choice: selectSites(data.candidates, data.ctx, options) };
	} catch (e) {
		throw badParam(/权重/.test((e as Error).message) ? 'weights' : 'k', (e as Error).message);
	}
}
