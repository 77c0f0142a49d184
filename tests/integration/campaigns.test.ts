// 专项行动 on both back ends: a leader defines a campaign in their jurisdiction (not outside it); a
// grid worker's check is recorded once per idempotency key and once per household; each "否" is a
// hazard through the report path, linked to the check and its household; a worker cannot check
// outside their grids nor outside the campaign's period; the dashboard's figures equal direct counts.
import { beforeAll, expect, it } from 'vitest';
import { describeBackends } from './helpers/backends';
import { ensureSecondPlace } from './helpers/fixtures';
import type { SessionUser } from '../../src/lib/server/auth/user';
import { asUser } from '../../src/lib/server/access/userdb';
import { parseCampaign, parseCampaignCheck } from '../../src/lib/domain/campaign';
import { createCampaign, endCampaign, recordCampaignCheck, runningForWorker, targetsForWorker } from '../../src/lib/server/campaigns/campaigns';
import { campaignDashboard } from '../../src/lib/server/campaigns/dashboard';
import { localDate } from '../../src/lib/domain/time';

const user = (id: number, role: SessionUser['role']): SessionUser => ({ id, username: `u${id}`, displayName: `u${id}`, role, departmentId: null, title: null });
const worker = user(9331, 'grid_manager'), otherWorker = user(9332, 'grid_manager'), leader = user(9333, 'leader'), far = user(9334, 'leader'), admin = user(9335, 'admin');
const actor = (u: SessionUser) => ({ id: u.id, role: u.role, departmentId: null });
const D = '990433';
const today = localDate(new Date());
const later = localDate(new Date(Date.now() + 20 * 86_400_000));
const checklist = [
	{ question: '燃气软管是否完好？', hazardType: 'gas' },
	{ question: '是否安装燃气报警器？', hazardType: 'gas' },
	{ question: '楼道是否无电动车停放充电？', hazardType: 'e_bike' }
];
const campaign = (areaCodes: string[]) => parseCampaign({ name: '燃气安全入户排查', startsOn: today, endsOn: later, areaCodes, hazardTypes: ['gas', 'e_bike'], checklist });

describeBackends('campaigns', (getDb) => {
	let a: { grid: string; street: string }, b: { grid: string; street: string };
	let hh: number[] = [];
	let mine = 0, both = 0;
	beforeAll(async () => {
		const db = getDb();
		b = await ensureSecondPlace(db, D);
		a = { grid: `${D}001001001`, street: `${D}001` };
		await db.exec(`
			INSERT INTO users (id, username, display_name, role, jurisdiction_code) VALUES
			  (9331, 'ca_w', '网格员', 'grid_manager', NULL), (9332, 'ca_o', '另一网格员', 'grid_manager', NULL),
			  (9333, 'ca_l', '街道书记', 'leader', '${a.street}'), (9334, 'ca_f', '外区领导', 'leader', '990499'),
			  (9335, 'ca_a', '管理员', 'admin', NULL);
			INSERT INTO user_grids (user_id, grid_code) VALUES (9331, '${a.grid}'), (9332, '${b.grid}');
			INSERT INTO buildings (grid_code, name, kind, geom) VALUES
			  ('${a.grid}', '排查楼A', 'apartment', ST_SetSRID(ST_MakePoint(112.902, 28.202), 4326)),
			  ('${b.grid}', '排查楼B', 'apartment', ST_SetSRID(ST_MakePoint(112.915, 28.205), 4326));
			INSERT INTO households (building_id, grid_code, address, head_name, size, geom)
			  SELECT b.id, v.grid, v.address, v.head, v.size, ST_SetSRID(ST_MakePoint(v.lon, v.lat), 4326)
			  FROM (VALUES ('${a.grid}', '排查楼A', '排查路 1 号', '甲', 2, 112.901, 28.201), ('${a.grid}', '排查楼A', '排查路 2 号', '乙', 3, 112.902, 28.202),
			               ('${a.grid}', '排查楼A', '排查路 3 号', '丙', 1, 112.903, 28.203), ('${b.grid}', '排查楼B', '排查路 9 号', '丁', 2, 112.915, 28.205))
			    AS v (grid, building, address, head, size, lon, lat) JOIN buildings b ON b.name = v.building;`);
		hh = (await db.sql<{ id: number }>`SELECT id FROM households WHERE address LIKE '排查路%' ORDER BY address`).map((r) => r.id);
	});

	it('a leader defines a campaign in their jurisdiction, not outside it; unknown areas are named', async () => {
		mine = await createCampaign(asUser(getDb(), leader), leader.id, campaign([a.street]));
		expect(mine).toBeGreaterThan(0);
		await expect(createCampaign(asUser(getDb(), leader), leader.id, campaign([b.street]))).rejects.toMatchObject({ status: 403, field: 'areaCodes' });
		await expect(createCampaign(asUser(getDb(), far), far.id, campaign([a.street]))).rejects.toMatchObject({ status: 403 });
		await expect(createCampaign(asUser(getDb(), admin), admin.id, campaign([`${D}009`]))).rejects.toThrow(`没有这些区域：${D}009`);
		// a grid worker defines nothing, whatever the server forgot
		await expect(getDb().transaction(async (tx) => {
			await tx.sql`SELECT set_config('role', 'grid_app', true), set_config('app.user_id', '9331', true)`;
			await tx.sql`INSERT INTO campaigns (name, starts_on, ends_on, area_codes, hazard_types, checklist) VALUES ('x', ${today}::date, ${later}::date, ${[a.grid]}::text[], '{gas}', ${JSON.stringify(checklist)}::jsonb)`;
		})).rejects.toThrow(/row-level security/);
		both = await createCampaign(asUser(getDb(), admin), admin.id, campaign([a.street, b.street]));
		const running = await runningForWorker(asUser(getDb(), worker), worker.id);
		expect(running.map((c) => [c.id, c.targets])).toEqual([[mine, 3], [both, 3]]);
	});

	it('records a check once per key; a "否" is a hazard linked to the check and household; a household is checked once', async () => {
		const input = parseCampaignCheck({ campaignId: mine, householdId: hh[0], answers: [true, false, true], notes: '软管老化' });
		const first = await recordCampaignCheck(asUser(getDb(), worker), actor(worker), input, 'ca-key-1');
		expect(first).toMatchObject({ replayed: false, failed: 1, householdId: hh[0] });
		expect(first.hazards).toHaveLength(1);
		const again = await recordCampaignCheck(asUser(getDb(), worker), actor(worker), input, 'ca-key-1');
		expect(again).toMatchObject({ id: first.id, replayed: true, hazards: first.hazards });
		const [h] = await getDb().sql`SELECT type, status, grid_code, source_household_id, campaign_check_id, title,
			(SELECT count(*)::int FROM hazard_events e WHERE e.hazard_id = hazards.id AND e.action = 'report') AS reports FROM hazards WHERE id = ${first.hazards[0].id}`;
		expect(h).toMatchObject({ type: 'gas', status: 'open', grid_code: a.grid, source_household_id: hh[0], campaign_check_id: Number(first.id), reports: 1 });
		expect(h.title).toContain('是否安装燃气报警器');
		// the same key with another body, the same household again
		await expect(recordCampaignCheck(asUser(getDb(), worker), actor(worker), { ...input, answers: [true, true, true] }, 'ca-key-1')).rejects.toMatchObject({ status: 422 });
		await expect(recordCampaignCheck(asUser(getDb(), worker), actor(worker), input, 'ca-key-2')).rejects.toMatchObject({ status: 409, field: 'householdId' });
		// answers that do not fit the checklist
		await expect(recordCampaignCheck(asUser(getDb(), worker), actor(worker), { ...input, householdId: hh[1], answers: [true, true] }, null)).rejects.toMatchObject({ status: 400, field: 'answers' });
		const ok = await recordCampaignCheck(asUser(getDb(), worker), actor(worker), { ...input, householdId: hh[1], answers: [true, true, true] }, null);
		expect(ok.hazards).toEqual([]);
		expect((await targetsForWorker(asUser(getDb(), worker), worker.id, mine)).map((t) => t.checkedAt !== null)).toEqual([false, true, true]);
	});

	it('a worker cannot check outside their grids, even in a campaign that covers them; nor after the campaign ended', async () => {
		const outside = parseCampaignCheck({ campaignId: both, householdId: hh[3], answers: [false, true, true] });
		await expect(recordCampaignCheck(asUser(getDb(), worker), actor(worker), outside, null)).rejects.toMatchObject({ field: 'householdId' });
		// row-level security refuses the row itself, whatever the server sent
		await expect(getDb().transaction(async (tx) => {
			await tx.sql`SELECT set_config('role', 'grid_app', true), set_config('app.user_id', '9331', true)`;
			await tx.sql`INSERT INTO campaign_checks (campaign_id, household_id, grid_code, worker_id, checked_at, answers) VALUES (${both}, ${hh[3]}, ${a.grid}, 9331, now(), '[true,true,true]')`;
		})).rejects.toThrow(/row-level security/);
		expect((await getDb().sql`SELECT count(*)::int AS n FROM campaign_checks WHERE household_id = ${hh[3]}`)[0].n).toBe(0);
		// the other worker may, in their own grid
		const theirs = await recordCampaignCheck(asUser(getDb(), otherWorker), actor(otherWorker), outside, null);
		expect(theirs.hazards).toHaveLength(1);
		await endCampaign(asUser(getDb(), admin), both, new Date(Date.now() - 1000));
		await expect(recordCampaignCheck(asUser(getDb(), worker), actor(worker), parseCampaignCheck({ campaignId: both, householdId: hh[2], answers: [true, true, true] }), null))
			.rejects.toMatchObject({ status: 422, message: expect.stringContaining('已提前结束') });
	});

	it('the dashboard figures equal direct counts', async () => {
		const d = await campaignDashboard(asUser(getDb(), admin), both);
		const [direct] = await getDb().sql<{ targets: number; checked: number; findings: number; found: number }>`
			SELECT (SELECT count(*)::int FROM households WHERE grid_code LIKE ${a.street + '%'} OR grid_code LIKE ${b.street + '%'}) AS targets,
			       (SELECT count(*)::int FROM campaign_checks WHERE campaign_id = ${both}) AS checked,
			       (SELECT count(*)::int FROM campaign_checks WHERE campaign_id = ${both} AND failed > 0) AS findings,
			       (SELECT count(*)::int FROM hazards z JOIN campaign_checks k ON k.id = z.campaign_check_id WHERE k.campaign_id = ${both}) AS found`;
		expect(d.total).toMatchObject({ ...direct, coverage: direct.checked / direct.targets, closed: 0, closureRate: 0 });
		expect(d.streets.map((s) => [s.key, s.targets, s.checked])).toEqual([[a.street, 3, 0], [b.street, 1, 1]]);
		expect(d.units).toEqual([expect.objectContaining({ key: 'none', name: '未交办', found: 1 })]);
		const m = await campaignDashboard(asUser(getDb(), leader), mine);
		expect(m.total).toMatchObject({ targets: 3, checked: 2, findings: 1, found: 1, hazards: { open: 1, rectifying: 0, rectified: 0, verified: 0 } });
	});
});
