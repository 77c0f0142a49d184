// The hazard loop (0020) on both back ends: 发现 from the field with photos (idempotent), every
// legal move and what it writes to the columns the KPI reads, every illegal move refused by the
// server and by the database, 复查 by the person who recorded 整改完成 refused (server, function,
// event row, status row), the before/after photos, and who may see and move what (row-level security).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiError } from '../../src/lib/domain/apierror';
import { HAZARD_STATUSES, type HazardStatus } from '../../src/lib/domain/hazard';
import { HAZARD_ACTIONS, HAZARD_TRANSITIONS, rectifyDeadline, reinspectDeadline, type HazardActor } from '../../src/lib/domain/hazardflow';
import { parseNewHazard } from '../../src/lib/domain/hazardinput';
import type { PhotoInput } from '../../src/lib/domain/photos';
import { asUser } from '../../src/lib/server/access/userdb';
import { hazardDetail } from '../../src/lib/server/hazards/detail';
import { hazardQueue } from '../../src/lib/server/hazards/list';
import { readHazardPhoto } from '../../src/lib/server/hazards/photos';
import { reportHazard } from '../../src/lib/server/hazards/report';
import { moveHazard, offeredHazardMoves } from '../../src/lib/server/hazards/transition';
import { describeBackends, unique } from './helpers/backends';
import { insertLoopFixture, RL, type People } from './requests.fixture';

const NOW = new Date('2025-06-02T02:00:00Z');
const previousDataDir = process.env.DATA_DIR;
process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'hazards-test-'));
afterAll(() => {
	process.env.DATA_DIR = previousDataDir;
});

const photo = (tag: string): PhotoInput => ({ type: 'image/jpeg', bytes: new TextEncoder().encode(tag.padEnd(32, '.')) });

describeBackends('hazard loop', (getDb) => {
	let p: People;
	let admin: HazardActor, zj: HazardActor, cg: HazardActor, gmA: HazardActor, gmB: HazardActor, leader: HazardActor;
	beforeAll(async () => {
		p = await insertLoopFixture(getDb(), NOW);
		admin = { id: p.admin, role: 'admin', departmentId: null };
		zj = { id: p.zj, role: 'department_staff', departmentId: p.zhujian };
		cg = { id: p.cg, role: 'department_staff', departmentId: p.chengguan };
		gmA = { id: p.gmA, role: 'grid_manager', departmentId: null };
		gmB = { id: p.gmB, role: 'grid_manager', departmentId: null };
		leader = { id: p.leader, role: 'leader', departmentId: null };
		// the fixture's leader has no jurisdiction: give the test district
		await getDb().sql`UPDATE users SET jurisdiction_code = ${RL.district} WHERE id = ${p.leader}`;
	});

	const input = (extra: Record<string, unknown> = {}) =>
		parseNewHazard({ type: 'road', severity: 3, title: '路面塌陷', lon: RL.pointA[0], lat: RL.pointA[1], ...extra });
	const report = (photos: PhotoInput[] = [photo('found')], key: string | null = null, extra: Record<string, unknown> = {}) =>
		reportHazard(asUser(getDb(), gmA), gmA, input(extra), photos, key, NOW);
	const version = async (id: number) => (await getDb().sql<{ version: number }>`SELECT version FROM hazards WHERE id = ${id}`)[0].version;
	const move = async (id: number, actor: HazardActor, action: string, extra: Record<string, unknown> = {}) =>
		moveHazard(asUser(getDb(), actor), actor, { hazardId: id, action, version: await version(id), now: NOW, ...extra });
	const row = async (id: number) => (await getDb().sql`
		SELECT status, department_id, rectify_deadline, rectified_at, reinspect_deadline, reinspected_at, version FROM hazards WHERE id = ${id}`)[0];

	/** The actor and extra fields of each move in the ordinary walk. */
	const step: Record<string, [() => HazardActor, Record<string, unknown>]> = {
		assign: [() => admin, { departmentId: 0 }], start: [() => zj, {}], rectify: [() => zj, { photos: [photo('after')] }],
		close: [() => gmA, {}], reopen: [() => gmA, { note: '仍有裂缝' }]
	};
	const doStep = (id: number, action: string) => {
		const [who, extra] = step[action];
		return move(id, who(), action, action === 'assign' ? { departmentId: p.zhujian } : extra);
	};
	/** A new hazard in `status`, reached by the ordinary walk (open: already assigned). */
	const hazardIn = async (status: HazardStatus, assigned = true): Promise<number> => {
		const { id } = await report([]);
		if (!assigned) return id;
		const path = { open: ['assign'], rectifying: ['assign', 'start'], rectified: ['assign', 'start', 'rectify'], verified: ['assign', 'start', 'rectify', 'close'] }[status];
		for (const a of path) await doStep(id, a);
		return id;
	};

	it('发现: a grid worker reports in their grid with photos; the grid comes from the point; the rule sets a first deadline', async () => {
		const r = await report([photo('one'), photo('two')]);
		expect(r).toMatchObject({ status: 'open', version: 1, gridCode: RL.gridA, replayed: false, code: expect.stringMatching(/^YH20250602\d{6}$/) });
		const d = (await hazardDetail(asUser(getDb(), gmA), r.id, NOW))!;
		expect(d).toMatchObject({ status: 'open', type: 'road', severity: 3, title: '路面塌陷', departmentId: null, gridName: '第一网格', overdue: false });
		expect(d.rectifyDeadline).toEqual(rectifyDeadline('road', 3, NOW));
		expect(d.events).toMatchObject([{ action: 'report', from: null, to: 'open', actorId: p.gmA }]);
		expect(d.photos.map((x) => x.kind)).toEqual(['found', 'found']);
		const bytes = await readHazardPhoto(asUser(getDb(), gmA), r.id, d.photos[1].id);
		expect(new TextDecoder().decode(bytes!.bytes)).toMatch(/^two/);
	});

	it('refuses a report outside the worker\'s grids naming the grid, and bad input naming the field', async () => {
		await expect(report([], null, { lon: RL.pointB[0], lat: RL.pointB[1] })).rejects.toMatchObject({ status: 403, field: 'lon', message: expect.stringContaining(`第二网格（${RL.gridB}）`) });
		await expect(report([], null, { lon: 120, lat: 30 })).rejects.toMatchObject({ status: 400, field: 'lon' });
		expect(() => parseNewHazard({ type: 'meteor', title: 'x', lon: 1, lat: 1 })).toThrow(expect.objectContaining({ field: 'type' }));
		expect(() => parseNewHazard({ type: 'gas', severity: 7, title: 'x', lon: 1, lat: 1 })).toThrow(expect.objectContaining({ field: 'severity' }));
		expect(() => parseNewHazard({ type: 'gas', title: '', lon: 1, lat: 1 })).toThrow(expect.objectContaining({ field: 'title' }));
		expect(() => parseNewHazard({ type: 'gas', title: 'x' })).toThrow(expect.objectContaining({ field: 'lon' }));
		await expect(reportHazard(asUser(getDb(), gmA), gmA, input(), [{ type: 'image/gif', bytes: new Uint8Array(4) }], null, NOW)).rejects.toMatchObject({ status: 400, field: 'photos' });
	});

	it('a retried report with the same Idempotency-Key creates one hazard; another body under it is refused', async () => {
		const key = unique('hz-');
		const first = await report([photo('a')], key);
		const again = await report([photo('a')], key);
		expect(again).toEqual({ ...first, replayed: true });
		const [n] = await getDb().sql`SELECT count(*)::int AS n FROM hazard_events WHERE idempotency_key = ${key}`;
		expect(n.n).toBe(1);
		await expect(report([photo('b')], key)).rejects.toMatchObject({ status: 422, code: 'idempotency_key_reused' });
	});

	it('allows every legal move and keeps the KPI columns meaning what they meant', async () => {
		let legal = 0;
		for (const from of HAZARD_STATUSES) {
			for (const [action, to] of Object.entries(HAZARD_TRANSITIONS[from])) {
				const id = await hazardIn(from);
				const res = await doStep(id, action);
				expect(res.status, `${from} --${action}→`).toBe(to);
				const r = await row(id);
				expect(r.status).toBe(to);
				if (action === 'assign') expect(r).toMatchObject({ department_id: p.zhujian, rectify_deadline: rectifyDeadline('road', 3, NOW) });
				if (action === 'rectify') expect(r).toMatchObject({ rectified_at: NOW, reinspect_deadline: reinspectDeadline(NOW), reinspected_at: null });
				if (action === 'close') expect(r).toMatchObject({ rectified_at: NOW, reinspected_at: NOW });
				if (action === 'reopen') expect(r).toMatchObject({ rectified_at: null, reinspect_deadline: null, reinspected_at: null, rectify_deadline: rectifyDeadline('road', 3, NOW) });
				legal++;
			}
		}
		expect(legal).toBe(5);
	});

	it('records the whole loop with who, the deadlines and the before/after photos, failed 复查 included', async () => {
		const id = await hazardIn('rectified');
		await move(id, gmA, 'reopen', { note: '仍有裂缝' });
		await move(id, zj, 'rectify', { photos: [photo('after2')] });
		await move(id, leader, 'close');
		const d = (await hazardDetail(asUser(getDb(), zj), id, NOW))!;
		expect(d.events.map((e) => [e.action, e.from, e.to])).toEqual([
			['report', null, 'open'], ['assign', 'open', 'open'], ['start', 'open', 'rectifying'], ['rectify', 'rectifying', 'rectified'],
			['reopen', 'rectified', 'rectifying'], ['rectify', 'rectifying', 'rectified'], ['close', 'rectified', 'verified']
		]);
		expect(d.events[4]).toMatchObject({ note: '仍有裂缝', deadline: rectifyDeadline('road', 3, NOW) });
		expect(d.events[1]).toMatchObject({ department: '区住建局', deadline: rectifyDeadline('road', 3, NOW) });
		expect(d.photos.map((x) => x.kind)).toEqual(['after', 'after']);
		expect(d.department).toBe('区住建局');
	});

	it('refuses every illegal move, naming the state and what is allowed, and writes nothing', async () => {
		let refused = 0;
		for (const from of HAZARD_STATUSES) {
			const id = await hazardIn(from);
			const before = await row(id);
			for (const action of HAZARD_ACTIONS.filter((a) => !(a in HAZARD_TRANSITIONS[from]))) {
				const err = await move(id, admin, action).catch((e) => e);
				expect(err, `${from} --${action}→`).toBeInstanceOf(ApiError);
				expect(err).toMatchObject({ status: 422, code: 'illegal_transition', field: 'action' });
				expect(err.message).toContain(`（${from}）`);
				expect(err.message).toContain('允许的操作');
				refused++;
			}
			expect(await row(id)).toEqual(before);
		}
		expect(refused).toBe(15);
	});

	it('guards: no start before 交办, no 整改完成 without an after-photo, a 复查不通过 says why', async () => {
		const unassigned = await hazardIn('open', false);
		await expect(move(unassigned, admin, 'start')).rejects.toMatchObject({ status: 422, code: 'guard', message: expect.stringContaining('交办') });
		await expect(move(unassigned, admin, 'assign')).rejects.toMatchObject({ status: 400, field: 'departmentId' });
		const rectifying = await hazardIn('rectifying');
		await expect(move(rectifying, zj, 'rectify')).rejects.toMatchObject({ status: 422, field: 'photos', message: expect.stringContaining('整改后照片') });
		await expect(move(rectifying, zj, 'rectify', { photos: [{ type: 'image/gif', bytes: new Uint8Array(3) }] })).rejects.toMatchObject({ status: 400, field: 'photos' });
		const rectified = await hazardIn('rectified');
		await expect(move(rectified, gmA, 'reopen')).rejects.toMatchObject({ status: 400, field: 'note' });
		await expect(move(rectified, gmA, 'close', { version: 1 })).rejects.toMatchObject({ status: 409, field: 'version' });
		await expect(moveHazard(asUser(getDb(), gmA), gmA, { hazardId: rectified, action: 'close', version: null })).rejects.toMatchObject({ status: 428 });
	});

	it('refuses a 复查 by the person who recorded 整改完成, in the server and in the database', async () => {
		const id = await hazardIn('rectifying');
		// an admin may do every move, but not check their own work
		await move(id, admin, 'rectify', { photos: [photo('self')] });
		for (const a of ['close', 'reopen']) {
			await expect(move(id, admin, a, { note: 'x' })).rejects.toMatchObject({ status: 422, code: 'guard', message: expect.stringContaining('登记人以外') });
		}
		const d = (await hazardDetail(asUser(getDb(), admin), id, NOW))!;
		expect(offeredHazardMoves(admin, d)).toEqual([]);
		expect(offeredHazardMoves(gmA, d)).toEqual(['close', 'reopen']);
		const db = getDb();
		await expect(db.sql`SELECT hazard_transition(${id}, 'close', NULL, ${p.admin}, NULL, now(), 'x', NULL, NULL)`).rejects.toThrow(/登记人以外/);
		await expect(db.sql`INSERT INTO hazard_events (hazard_id, from_status, to_status, action, actor_id, at) VALUES (${id}, 'rectified', 'verified', 'close', ${p.admin}, now())`).rejects.toThrow(/登记人以外/);
		await expect(asUser(db, admin).sql`UPDATE hazards SET status = 'verified' WHERE id = ${id}`).rejects.toThrow(/登记人以外/);
		expect((await row(id)).status).toBe('rectified');
		// another person may
		expect((await move(id, gmA, 'close')).status).toBe('verified');
	});

	it('enforces the loop in the database itself, bypassing the application', async () => {
		const db = getDb();
		const id = await hazardIn('open');
		await expect(db.sql`UPDATE hazards SET status = 'verified' WHERE id = ${id}`).rejects.toThrow(/不能从 open 直接变为 verified/);
		await expect(db.sql`SELECT hazard_transition(${id}, 'close', NULL, ${p.admin}, NULL, now(), 'x', NULL, NULL)`).rejects.toThrow(/当前状态 open 不允许 close；允许：assign、start/);
		await expect(db.sql`INSERT INTO hazard_events (hazard_id, from_status, to_status, action, at) VALUES (${id}, 'open', 'verified', 'start', now())`).rejects.toThrow();
		await expect(db.sql`SELECT hazard_transition(${id}, 'start', 99, ${p.zj}, NULL, now(), 'x', NULL, NULL)`).rejects.toThrow(/已被他人更新/);
		const unassigned = await hazardIn('open', false);
		await expect(db.sql`SELECT hazard_transition(${unassigned}, 'start', NULL, ${p.zj}, NULL, now(), 'x', NULL, NULL)`).rejects.toThrow(/尚未交办/);
		await expect(db.sql`SELECT hazard_transition(${unassigned}, 'assign', NULL, ${p.admin}, NULL, now(), 'x', NULL, now())`).rejects.toThrow(/责任部门/);
		expect(await row(id)).toMatchObject({ status: 'open', version: 2 });
		// history is never rewritten by the app
		await expect(asUser(db, admin).sql`UPDATE hazard_events SET note = 'x' WHERE hazard_id = ${id}`).rejects.toThrow(/permission denied/);
		await expect(asUser(db, admin).sql`DELETE FROM hazard_photos`).rejects.toThrow(/permission denied/);
	});

	it('row-level security: another grid\'s worker and another department neither see nor move it; the assigned department does', async () => {
		const id = await hazardIn('open');
		expect(await hazardDetail(asUser(getDb(), gmB), id, NOW)).toBeNull();
		await expect(move(id, gmB, 'close')).rejects.toMatchObject({ status: 404 });
		expect(await hazardDetail(asUser(getDb(), cg), id, NOW)).toBeNull();
		await expect(move(id, cg, 'start')).rejects.toMatchObject({ status: 404 });
		// the hazard's department sees it and its history, and may start it
		expect((await hazardDetail(asUser(getDb(), zj), id, NOW))!.events).toHaveLength(2);
		// a department is not the grid's worker: 复查 and 交办 are not its to make
		await expect(move(id, zj, 'assign', { departmentId: p.chengguan })).rejects.toMatchObject({ status: 403 });
		expect((await move(id, zj, 'start')).status).toBe('rectifying');
		await move(id, zj, 'rectify', { photos: [photo('a')] });
		await expect(move(id, gmB, 'close')).rejects.toMatchObject({ status: 404 });
		await expect(move(id, zj, 'close')).rejects.toMatchObject({ status: 422 });
		// photos follow their hazard
		const [ph] = await getDb().sql<{ id: number }>`SELECT id FROM hazard_photos WHERE hazard_id = ${id}`;
		expect(await readHazardPhoto(asUser(getDb(), gmB), id, ph.id)).toBeNull();
		expect(await readHazardPhoto(asUser(getDb(), gmA), id, ph.id)).not.toBeNull();
	});

	it('the queues: the grid worker\'s open hazards, the department\'s assigned ones, the unassigned for the command centre', async () => {
		const a = await hazardIn('rectifying');
		const u = await hazardIn('open', false);
		const grid = await hazardQueue(asUser(getDb(), gmA), 'grid', { grids: [RL.gridA] }, NOW);
		expect(grid.map((h) => h.id)).toEqual(expect.arrayContaining([a, u]));
		const dept = await hazardQueue(asUser(getDb(), zj), 'department', { departmentId: p.zhujian }, NOW);
		expect(dept.map((h) => h.id)).toContain(a);
		expect(dept.map((h) => h.id)).not.toContain(u);
		expect(await hazardQueue(asUser(getDb(), cg), 'department', { departmentId: p.chengguan }, NOW)).toEqual([]);
		const open = await hazardQueue(asUser(getDb(), admin), 'unassigned', {}, NOW);
		expect(open.map((h) => h.id)).toContain(u);
		expect(open.map((h) => h.id)).not.toContain(a);
	});

	it('a hazard found from a request or a 敲门 household names its source; one the reporter cannot see is refused and nothing is written', async () => {
		const db = getDb();
		const [{ id: reqA }] = await db.sql<{ id: number }>`INSERT INTO requests (code, category_code, channel, status, title, grid_code, reported_at, geom)
			VALUES (${unique('HS')}, 'property.elevator', 'grid', 'reported', '楼道堆放杂物', ${RL.gridA}, ${NOW}, ST_SetSRID(ST_MakePoint(${RL.pointA[0]}, ${RL.pointA[1]}), 4326)) RETURNING id`;
		const [{ id: reqB }] = await db.sql<{ id: number }>`INSERT INTO requests (code, category_code, channel, status, title, grid_code, reported_at, geom)
			VALUES (${unique('HS')}, 'property.elevator', 'grid', 'reported', '别人的网格', ${RL.gridB}, ${NOW}, ST_SetSRID(ST_MakePoint(${RL.pointB[0]}, ${RL.pointB[1]}), 4326)) RETURNING id`;
		const fromRequest = await report([], null, { sourceRequestId: reqA, type: 'fire_access', title: '楼道堆放杂物堵塞消防通道' });
		const fromKnock = await report([], null, { sourceHouseholdId: p.households[0] });
		const rows = await db.sql`SELECT id, source_request_id, source_household_id FROM hazards WHERE id IN (${fromRequest.id}, ${fromKnock.id}) ORDER BY id`;
		expect(rows).toEqual([
			{ id: fromRequest.id, source_request_id: reqA, source_household_id: null },
			{ id: fromKnock.id, source_request_id: null, source_household_id: p.households[0] }
		]);
		expect((await hazardDetail(asUser(db, gmA), fromRequest.id, NOW))).toMatchObject({ sourceRequestId: reqA, sourceRequestCode: expect.any(String) });
		const before = (await db.sql`SELECT count(*)::int AS n FROM hazards`)[0].n;
		await expect(report([], null, { sourceRequestId: reqB })).rejects.toMatchObject({ status: 400, field: 'sourceRequestId' });
		expect((await db.sql`SELECT count(*)::int AS n FROM hazards`)[0].n).toBe(before);
		expect(() => input({ sourceHouseholdId: 'x' })).toThrow(/sourceHouseholdId/);
	});
});
