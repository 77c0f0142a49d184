// 专项行动 of the demo district (issue 19; the seeds' 屈原 "天然气入户" and 株洲 fire-safety checks):
// "燃气安全入户排查" running in the first street (30 days, about two thirds of the way through) and
// "消防通道专项整治" finished last week in the second. Checks, findings and their hazards are written
// in bulk SQL, deterministic from the household ids (hashtext), so the seed stays fast:
// coverage about 65 % / 80 %, findings about 7 % / 9 % of checks, most hazards 销号 in the older one.
// Hazards are written as the seed's other hazards are (no event rows), with the state, deadlines
// and responsible unit a real loop would have left.
import type { Db } from '../../src/lib/server/db/client';
import { HAZARD_TYPES } from '../../src/lib/domain/hazard';
import { REINSPECT_DAYS, rectifyDays } from '../../src/lib/domain/hazardflow';
import type { CampaignInput } from '../../src/lib/domain/campaign';

const DAY = 86_400_000;

interface SeedCampaign {
	input: Omit<CampaignInput, 'startsOn' | 'endsOn' | 'areaCodes'>;
	/** which street (0-based, by code) */
	street: number;
	/** days before now the campaign started; it lasts 30 days */
	startedDaysAgo: number;
	/** per mille of the area's households checked, and of checks with a finding */
	coverage: number;
	findings: number;
	/** cumulative per-cent thresholds of the hazards' state now: verified, rectified, rectifying (rest open) */
	states: [number, number, number];
	/** 责任单位 by hazard type (departments.code) */
	units: Record<string, string>;
}

const CAMPAIGNS: SeedCampaign[] = [
	{
		input: {
			name: '燃气安全入户排查', target: 'household', hazardTypes: ['gas'],
			checklist: [
				{ question: '燃气软管是否在使用期限内且无老化、龟裂？', hazardType: 'gas' },
				{ question: '是否安装燃气泄漏报警器并能正常报警？', hazardType: 'gas' },
				{ question: '灶具是否有熄火保护装置？', hazardType: 'gas' },
				{ question: '燃气表、阀门周边是否无杂物堆放？', hazardType: 'gas' },
				{ question: '厨房是否保持通风，未封闭改作卧室？', hazardType: 'gas' }
			]
		},
		street: 0, startedDaysAgo: 20, coverage: 650, findings: 70, states: [45, 65, 85], units: { gas: 'ranqi' }
	},
	{
		input: {
			name: '消防通道专项整治', target: 'household', hazardTypes: ['fire_access', 'e_bike'],
			checklist: [
				{ question: '楼道、消防通道是否畅通，无杂物堆放？', hazardType: 'fire_access' },
				{ question: '是否无电动车在楼道或室内停放、充电？', hazardType: 'e_bike' },
				{ question: '是否无飞线充电、私拉电线？', hazardType: 'e_bike' },
				{ question: '消防车通道是否未被车辆占用？', hazardType: 'fire_access' }
			]
		},
		street: 1, startedDaysAgo: 38, coverage: 800, findings: 90, states: [85, 92, 96], units: { fire_access: 'xiaofang', e_bike: 'xiaofang' }
	}
];

/** Writes the demo campaigns with their checks and hazards; returns how many checks. */
export async function seedCampaigns(db: Db, now: Date): Promise<number> {
	const streets = (await db.sql<{ code: string }>`SELECT code FROM areas WHERE level = 'street' ORDER BY code`).map((s) => s.code);
	const days = Object.fromEntries(HAZARD_TYPES.map((t) => [t, rectifyDays(t, 1)]));
	let checks = 0;
	for (const s of CAMPAIGNS) {
		const street = streets[s.street % streets.length];
		const start = new Date(now.getTime() - s.startedDaysAgo * DAY);
		const day = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
		const [{ id }] = await db.sql<{ id: number }>`
			INSERT INTO campaigns (name, starts_on, ends_on, area_codes, hazard_types, target, checklist, created_by, created_at, updated_at)
			VALUES (${s.input.name}, ${day(start)}::date, ${day(new Date(start.getTime() + 29 * DAY))}::date, ${[street]}::text[],
			        ${s.input.hazardTypes}::text[], 'household', ${JSON.stringify(s.input.checklist)}::jsonb,
			        (SELECT id FROM users WHERE role = 'leader' ORDER BY id LIMIT 1), ${start}, ${start})
			RETURNING id`;
		// whole days already past (today excluded, so no check lies in the future), at 9–17 h Beijing time
		const elapsed = Math.max(1, Math.min(30, s.startedDaysAgo));
		const n = s.input.checklist.length;
		const [{ count }] = await db.sql<{ count: number }>`
			WITH k AS (
				INSERT INTO campaign_checks (campaign_id, household_id, grid_code, worker_id, checked_at, answers, failed)
				SELECT ${id}, h.id, h.grid_code, w.user_id,
				       (${day(start)}::date::timestamp AT TIME ZONE 'Asia/Shanghai')
				         + (abs(hashtext(h.id::text || 'd')) % ${elapsed}) * interval '1 day' + (9 + abs(hashtext(h.id::text || 'h')) % 8) * interval '1 hour',
				       a.answers, a.failed
				FROM households h
				JOIN LATERAL (SELECT min(ug.user_id) AS user_id FROM user_grids ug JOIN users u ON u.id = ug.user_id
				              WHERE ug.grid_code = h.grid_code AND u.role = 'grid_manager') w ON w.user_id IS NOT NULL
				CROSS JOIN LATERAL (
					SELECT jsonb_agg(NOT (f.found AND (i = f.item OR (i = (f.item + 1) % ${n} AND f.second))) ORDER BY i) AS answers,
					       CASE WHEN f.found THEN 1 + f.second::int ELSE 0 END AS failed
					FROM (SELECT abs(hashtext(h.id::text || 'f' || ${id}::text)) % 1000 < ${s.findings} AS found,
					             abs(hashtext(h.id::text || 'i')) % ${n} AS item,
					             abs(hashtext(h.id::text || 'j')) % 5 = 0 AS second) f, generate_series(0, ${n - 1}) i
					GROUP BY f.found, f.item, f.second) a
				WHERE h.grid_code LIKE ${street + '%'} AND abs(hashtext(h.id::text || 'c' || ${id}::text)) % 1000 < ${s.coverage}
				RETURNING 1)
			SELECT count(*)::int AS count FROM k`;
		checks += count;
		await db.sql`
			WITH f AS (
				SELECT k.id AS check_id, k.household_id, k.grid_code, k.worker_id, k.checked_at AS found_at, h.building_id, h.geom,
				       c.item ->> 'hazardType' AS type, c.item ->> 'question' AS question,
				       nextval(pg_get_serial_sequence('hazards', 'id')) AS hid,
				       abs(hashtext(k.id::text || 's' || c.idx::text)) % 100 AS r,
				       (${JSON.stringify(days)}::jsonb ->> (c.item ->> 'hazardType'))::int AS rect_days
				FROM campaign_checks k
				JOIN households h ON h.id = k.household_id
				CROSS JOIN LATERAL jsonb_array_elements(k.answers) WITH ORDINALITY a(v, idx)
				JOIN LATERAL (SELECT e AS item, o AS idx FROM campaigns cc, jsonb_array_elements(cc.checklist) WITH ORDINALITY x(e, o) WHERE cc.id = k.campaign_id) c ON c.idx = a.idx
				WHERE k.campaign_id = ${id} AND a.v = 'false'::jsonb),
			s AS (
				SELECT f.*, CASE WHEN r < ${s.states[0]} THEN 'verified' WHEN r < ${s.states[1]} THEN 'rectified' WHEN r < ${s.states[2]} THEN 'rectifying' ELSE 'open' END AS status,
				       least(found_at + (1 + r % 4) * interval '1 day', ${now}::timestamptz - interval '2 hours') AS fixed_at
				FROM f)
			INSERT INTO hazards (id, code, type, severity, status, title, description, grid_code, building_id, found_at, rectify_deadline,
			  rectified_at, reinspect_deadline, reinspected_at, geom, department_id, created_by, source_household_id, campaign_check_id)
			SELECT hid, 'YH' || to_char(found_at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(hid::text, 6, '0'), type, 1, status,
			       -- as findingTitle (domain/campaign.ts) words it
			       ${s.input.name} || '：' || question || '（否）', NULL, grid_code, building_id, found_at, found_at + rect_days * interval '1 day',
			       CASE WHEN status IN ('rectified', 'verified') THEN fixed_at END,
			       CASE WHEN status IN ('rectified', 'verified') THEN fixed_at + ${REINSPECT_DAYS} * interval '1 day' END,
			       CASE WHEN status = 'verified' THEN least(fixed_at + interval '1 day', ${now}::timestamptz - interval '1 hour') END,
			       geom,
			       -- 交办 within two days of the finding: only the last two days' wait for the command centre
			       CASE WHEN status <> 'open' OR found_at < ${now}::timestamptz - interval '2 days' THEN (SELECT id FROM departments WHERE code = ${JSON.stringify(s.units)}::jsonb ->> type) END,
			       worker_id, household_id, check_id
			FROM s`;
	}
	return checks;
}
