// A campaign's dashboard: targets, checks, findings and the found hazards by status, per grid, per
// street (rolled up from the grids: a household is in one street) and per responsible unit (责任单位,
// the hazards' department once 交办; 未交办 before). Counted as the reader sees them (row-level
// security); the figures come from domain/campaign.ts's campaignFigures, the one definition.
import { campaignFigures, noHazards, type CampaignCounts, type CampaignFigures } from '../../domain/campaign';
import { HAZARD_STATUSES, type HazardStatus } from '../../domain/hazard';
import type { Queryable } from '../db/client';

export interface FigureRow extends CampaignFigures { key: string; name: string }

export interface CampaignDashboard { total: CampaignFigures; grids: FigureRow[]; streets: FigureRow[]; units: FigureRow[] }

/** the street of a grid code (district 6 + street 3) */
const STREET_CODE_LENGTH = 9;

const add = (a: CampaignCounts, b: CampaignCounts): CampaignCounts => ({
	targets: a.targets + b.targets, checked: a.checked + b.checked, findings: a.findings + b.findings,
	hazards: Object.fromEntries(HAZARD_STATUSES.map((s) => [s, a.hazards[s] + b.hazards[s]])) as Record<HazardStatus, number>
});
const empty = (): CampaignCounts => ({ targets: 0, checked: 0, findings: 0, hazards: noHazards() });

export async function campaignDashboard(db: Queryable, campaignId: number): Promise<CampaignDashboard> {
	const [grids, hazards, units] = await Promise.all([
		db.sql<{ code: string; name: string; targets: number; checked: number; findings: number }>`
			WITH c AS (SELECT area_codes FROM campaigns WHERE id = ${campaignId}),
			t AS (SELECT h.grid_code, count(*)::int AS n FROM households h, c
			      WHERE h.grid_code LIKE ANY (SELECT a || '%' FROM unnest(c.area_codes) a) GROUP BY h.grid_code),
			k AS (SELECT grid_code, count(*)::int AS checked, count(*) FILTER (WHERE failed > 0)::int AS findings
			      FROM campaign_checks WHERE campaign_id = ${campaignId} GROUP BY grid_code)
			SELECT g.code, g.name, coalesce(t.n, 0) AS targets, coalesce(k.checked, 0) AS checked, coalesce(k.findings, 0) AS findings
			FROM t FULL JOIN k ON k.grid_code = t.grid_code JOIN grids g ON g.code = coalesce(t.grid_code, k.grid_code)
			ORDER BY g.code`,
		db.sql<{ grid_code: string; status: HazardStatus; n: number }>`
			SELECT k.grid_code, z.status, count(*)::int AS n FROM hazards z JOIN campaign_checks k ON k.id = z.campaign_check_id
			WHERE k.campaign_id = ${campaignId} GROUP BY k.grid_code, z.status`,
		db.sql<{ id: number | null; name: string | null; status: HazardStatus; n: number }>`
			SELECT z.department_id AS id, d.name, z.status, count(*)::int AS n
			FROM hazards z JOIN campaign_checks k ON k.id = z.campaign_check_id LEFT JOIN departments d ON d.id = z.department_id
			WHERE k.campaign_id = ${campaignId} GROUP BY z.department_id, d.name, z.status`
	]);
	const byGrid = new Map<string, CampaignCounts & { name: string }>();
	for (const g of grids) byGrid.set(g.code, { name: g.name, targets: g.targets, checked: g.checked, findings: g.findings, hazards: noHazards() });
	for (const h of hazards) {
		const g = byGrid.get(h.grid_code) ?? { name: h.grid_code, ...empty() };
		g.hazards[h.status] += h.n;
		byGrid.set(h.grid_code, g);
	}
	const streetCodes = [...new Set([...byGrid.keys()].map((c) => c.slice(0, STREET_CODE_LENGTH)))];
	const streetNames = new Map((await db.sql<{ code: string; name: string }>`SELECT code, name FROM areas WHERE code = ANY (${streetCodes}::text[])`).map((a) => [a.code, a.name]));
	const byStreet = new Map<string, CampaignCounts>();
	let total = empty();
	for (const [code, g] of byGrid) {
		const s = code.slice(0, STREET_CODE_LENGTH);
		byStreet.set(s, add(byStreet.get(s) ?? empty(), g));
		total = add(total, g);
	}
	const byUnit = new Map<string, { name: string; counts: CampaignCounts }>();
	for (const u of units) {
		const key = u.id === null ? 'none' : String(u.id);
		const row = byUnit.get(key) ?? { name: u.name ?? '未交办', counts: empty() };
		row.counts.hazards[u.status] += u.n;
		byUnit.set(key, row);
	}
	return {
		total: campaignFigures(total),
		grids: [...byGrid].map(([key, g]) => ({ key, ...campaignFigures(g), name: g.name })),
		streets: [...byStreet].map(([key, s]) => ({ key, name: streetNames.get(key) ?? key, ...campaignFigures(s) })),
		// a unit has no targets of its own: only its hazards' figures mean anything there
		units: [...byUnit].map(([key, u]) => ({ key, name: u.name, ...campaignFigures(u.counts) }))
	};
}
