// The request loop on both back ends: every legal and illegal move, the database's own
// enforcement, version conflicts, idempotent retries, guards and authority.
import { asUser } from '../../src/lib/server/access/userdb';
import { beforeAll, expect, it } from 'vitest';
import { ApiError } from '../../src/lib/domain/apierror';
import { parseNewRequest } from '../../src/lib/domain/requestinput';
import { ALL_ACTIONS, ALL_STATUSES, TRANSITIONS, type Actor, type RequestAction, type RequestStatus } from '../../src/lib/domain/workflow';
import type { Db } from '../../src/lib/server/db/client';
import { reportRequest, nearbyDuplicates } from '../../src/lib/server/requests/report';
import { moveRequest, type MoveInput } from '../../src/lib/server/requests/transition';
import { askExtension } from '../../src/lib/server/requests/cases';
import { describeBackends, unique } from './helpers/backends';
import { overdueAtSql, overdueSql } from '../../src/lib/server/db/fragments';
import { sql } from '../../src/lib/server/db/sql';
import { insertLoopFixture, RL, type People } from './requests.fixture';

const NOW = new Date('2025-06-02T02:00:00Z'); // a Monday, 10:00 CST

describeBackends('request loop', (getDb) => {
	let p: People;
	let admin: Actor, zj: Actor, cg: Actor, xf: Actor, gmA: Actor, gmB: Actor;
	beforeAll(async () => {
		p = await insertLoopFixture(getDb(), NOW);
		anchor = (await reportRequest(asUser(getDb(), { id: p.gmA, role: 'grid_manager' }), { id: p.gmA, role: 'grid_manager', departmentId: null },
			parseNewRequest({ categoryCode: 'property.elevator', description: '原诉求：3栋电梯停运', lon: RL.pointA[0], lat: RL.pointA[1] }), null, null, NOW)).id;
		admin = { id: p.admin, role: 'admin', departmentId: null };
		zj = { id: p.zj, role: 'department_staff', departmentId: p.zhujian };
		cg = { id: p.cg, role: 'department_staff', departmentId: p.chengguan };
		xf = { id: p.xf, role: 'department_staff', departmentId: p.xiaofang };
		gmA = { id: p.gmA, role: 'grid_manager', departmentId: null };
		gmB = { id: p.gmB, role: 'grid_manager', departmentId: null };
	});

	const report = async (db: Db, extra: Record<string, unknown> = {}, key: string | null = null) =>
		reportRequest(asUser(db, { ...gmA, role: gmA.role }), gmA, parseNewRequest({ categoryCode: 'property.elevator', description: '3栋电梯停运', lon: RL.pointA[0], lat: RL.pointA[1], ...extra }), null, key, NOW);

	async function move(id: number, actor: Actor, action: string, extra: Partial<MoveInput> = {}) {
		const [{ version }] = await getDb().sql<{ version: number }>`SELECT version FROM requests WHERE id = ${id}`;
		// as the server runs it: as the actor, under row-level security
		return moveRequest(asUser(getDb(), actor), actor, { requestId: id, action, version, reason: '测试原因', now: NOW, ...extra });
	}

	type Step = [RequestAction, () => Actor, () => Partial<MoveInput>];
	const none = () => ({});
	/** The shortest legal walk from reported to each status, with the actor of each step. */
	const d: Step = ['dispatch', () => admin, () => ({ departmentId: p.zhujian })];
	const a: Step = ['accept', () => zj, none];
	const r: Step = ['resolve', () => zj, none];
	const unsat: Step = ['evaluate', () => gmA, () => ({ satisfaction: 'unsatisfied', solved: false })];
	/** an open request of the same kind that duplicates are merged into (合并) */
	let anchor = 0;
	const mergeStep: Step = ['merge', () => admin, () => ({ into: anchor })];
	const PATHS: Record<RequestStatus, Step[]> = {
		voided: [['void', () => admin, none]], merged: [mergeStep],
		reported: [], dispatched: [d], returned: [d, ['return', () => zj, none]], accepted: [d, a],
		escalated: [d, a, ['escalate', () => zj, () => ({ departments: [p.chengguan, p.xiaofang] })]], resolved: [d, a, r],
		evaluated: [d, a, r, unsat], reopened: [d, a, r, unsat, ['reopen', () => gmA, none]], closed: [d, a, r, unsat, ['close', () => gmA, none]]
	};

	async function requestIn(status: RequestStatus): Promise<number> {
		const { id } = await report(getDb());
		for (const [action, actor, extra] of PATHS[status]) await move(id, actor(), action, extra());
		const [row] = await getDb().sql`SELECT status FROM requests WHERE id = ${id}`;
		expect(row.status).toBe(status);
		return id;
	}

	it('walks the whole loop with 退单, 吹哨 to two departments, 返工, and records who/when/why for every move', async () => {
		const db = getDb();
		const r = await report(db);
		expect(r).toMatchObject({ status: 'reported', version: 1, gridCode: RL.gridA });
		const steps: [Actor, string, Partial<MoveInput>][] = [
			[admin, 'dispatch', { departmentId: p.chengguan }], [cg, 'return', { reason: '非本部门职责' }],
			[admin, 'redispatch', { departmentId: p.zhujian }], [zj, 'accept', {}],
			[zj, 'escalate', { departments: [p.chengguan, p.xiaofang], reason: '需多部门联合处置' }],
			[cg, 'checkin', {}], [xf, 'checkin', {}], [zj, 'resolve', {}],
			[gmA, 'evaluate', { satisfaction: 'unsatisfied', solved: false }], [gmA, 'reopen', { reason: '群众不满意' }],
			[zj, 'accept', {}], [zj, 'resolve', {}], [gmA, 'evaluate', { satisfaction: 'satisfied', solved: true }], [gmA, 'close', {}]
		];
		for (const [actor, action, extra] of steps) await move(r.id, actor, action, extra);
		const [req] = await db.sql`SELECT * FROM requests WHERE id = ${r.id}`;
		expect(req).toMatchObject({ status: 'closed', version: 15, department_id: p.zhujian, satisfaction: 'satisfied', solved: true, reopen_count: 1 });
		// deadlines from the rule (1 and 7 working days after 派单 on a Monday)
		expect(new Date(req.accept_deadline).toISOString()).toBe('2025-06-03T02:00:00.000Z');
		expect(new Date(req.resolve_deadline).toISOString()).toBe('2025-06-11T02:00:00.000Z');
		const events = await db.sql`SELECT action, from_status, to_status, actor_id, reason, at FROM request_events WHERE request_id = ${r.id} ORDER BY id`;
		expect(events.map((e) => e.action)).toEqual(['report', ...steps.map((s) => s[1])]);
		expect(events.every((e) => e.actor_id && e.reason && e.at)).toBe(true);
		const whistles = await db.sql`SELECT department_id, checked_in_by FROM whistle_summons WHERE request_id = ${r.id} ORDER BY department_id`;
		expect(whistles).toEqual([{ department_id: p.chengguan, checked_in_by: p.cg }, { department_id: p.xiaofang, checked_in_by: p.xf }]);
	});

	it('deadlines belong to the stage: 改派 and 返工 restart the accept deadline, 接单 starts the resolve deadline', async () => {
		const db = getDb();
		const at = (iso: string) => new Date(iso);
		const { id } = await report(db);
		const step = async (actor: Actor, action: string, when: string, extra: Partial<MoveInput> = {}) => {
			const [{ version }] = await db.sql<{ version: number }>`SELECT version FROM requests WHERE id = ${id}`;
			await moveRequest(asUser(db, actor), actor, { requestId: id, action, version, reason: '测试原因', now: at(when), ...extra });
		};
		const overdue = async (when: string) => {
			const [now] = await db.run<{ o: boolean }>(sql`SELECT ${overdueSql(at(when))} AS o FROM requests r WHERE r.id = ${id}`);
			const [then] = await db.run<{ o: boolean }>(sql`SELECT ${overdueAtSql(at(when))} AS o FROM requests r WHERE r.id = ${id}`);
			return [now.o, then.o];
		};
		const deadlines = async () => (await db.sql<{ a: Date | null; r: Date | null }>`SELECT accept_deadline AS a, resolve_deadline AS r FROM requests WHERE id = ${id}`)
			.map((d) => [d.a && new Date(d.a).toISOString(), d.r && new Date(d.r).toISOString()])[0];

		await step(admin, 'dispatch', '2025-06-02T02:00:00Z', { departmentId: p.chengguan }); // Mon 10:00 Beijing
		expect(await deadlines()).toEqual(['2025-06-03T02:00:00.000Z', null]); // no resolve deadline before 接单
		await step(cg, 'return', '2025-06-02T04:00:00Z', { reason: '非本部门职责' });
		// still waiting for 接单 after 退单: overdue once the accept deadline has passed, by both readings
		expect(await overdue('2025-06-03T03:00:00Z')).toEqual([true, true]);
		await step(admin, 'redispatch', '2025-06-04T02:00:00Z', { departmentId: p.zhujian }); // Wed 10:00
		expect(await deadlines()).toEqual(['2025-06-05T02:00:00.000Z', null]); // 改派 restarted it
		expect(await overdue('2025-06-04T03:00:00Z')).toEqual([false, false]);
		await step(zj, 'accept', '2025-06-04T04:00:00Z'); // Wed 12:00 → resolve by the 7th working day, Fri 06-13 12:00
		expect(await deadlines()).toEqual(['2025-06-05T02:00:00.000Z', '2025-06-13T04:00:00.000Z']);
		expect(await overdue('2025-06-06T03:00:00Z')).toEqual([false, false]); // past the accept deadline, but accepted
		await step(zj, 'resolve', '2025-06-06T02:00:00Z');
		await step(gmA, 'evaluate', '2025-06-20T02:00:00Z', { satisfaction: 'unsatisfied', solved: false });
		await step(gmA, 'reopen', '2025-06-23T02:00:00Z', { reason: '群众不满意' }); // Mon 10:00, after the old deadlines
		// 返工 starts a new accept deadline: not overdue at once (request 43282 was)
		expect(await deadlines()).toEqual(['2025-06-24T02:00:00.000Z', '2025-06-13T04:00:00.000Z']);
		expect(await overdue('2025-06-23T03:00:00Z')).toEqual([false, false]);
		expect(await overdue('2025-06-24T03:00:00Z')).toEqual([true, true]);
		// looking back from today, the history still knows it was overdue on 06-03 and not on 06-04
		const [back] = await db.run<{ a: boolean; b: boolean }>(sql`SELECT ${overdueAtSql(at('2025-06-03T03:00:00Z'))} AS a,
			${overdueAtSql(at('2025-06-04T03:00:00Z'))} AS b FROM requests r WHERE r.id = ${id}`);
		expect(back).toEqual({ a: true, b: false });
	});

	it('allows every legal move in TRANSITIONS', async () => {
		for (const from of ALL_STATUSES) {
			for (const [action, to] of Object.entries(TRANSITIONS[from])) {
				const id = await requestIn(from);
				const actor = { dispatch: admin, redispatch: admin, accept: zj, return: zj, resolve: zj, escalate: zj, checkin: cg, evaluate: gmA, close: gmA, reopen: gmA, void: admin, merge: admin, extend: admin }[action]!;
				const extra: Partial<MoveInput> = action === 'escalate' ? { departments: [p.chengguan] } : action === 'redispatch' || action === 'dispatch' ? { departmentId: p.zhujian } : action === 'evaluate' ? { satisfaction: 'basic', solved: true } : action === 'merge' ? { into: anchor } : {};
				// 延期 approves what the department asked
				if (action === 'extend') await askExtension(asUser(getDb(), zj), zj, id, { days: 2, reason: '需要采购配件' }, NOW);
				if (from === 'escalated' && action === 'resolve') {
					await move(id, cg, 'checkin');
					await move(id, xf, 'checkin');
				}
				const res = await move(id, actor, action, extra);
				expect(res.status, `${from} --${action}→`).toBe(to);
			}
		}
	});

	it('refuses every illegal move with a message naming the state and what is allowed, and writes nothing', async () => {
		let refused = 0;
		for (const from of ALL_STATUSES) {
			const id = await requestIn(from);
			const before = await getDb().sql`SELECT count(*)::int AS n FROM request_events WHERE request_id = ${id}`;
			for (const action of ALL_ACTIONS.filter((a) => !(a in TRANSITIONS[from]))) {
				const err = await move(id, admin, action).catch((e) => e);
				expect(err, `${from} --${action}→`).toBeInstanceOf(ApiError);
				expect(err.status).toBe(422);
				expect(err.message).toContain(`（${from}）`);
				expect(err.message).toContain('允许的操作');
				refused++;
			}
			const after = await getDb().sql`SELECT count(*)::int AS n FROM request_events WHERE request_id = ${id}`;
			expect(after).toEqual(before);
		}
		expect(refused).toBe(ALL_STATUSES.length * ALL_ACTIONS.length - 18);
	});

	it('enforces the loop in the database itself, bypassing the application', async () => {
		const db = getDb();
		const id = await requestIn('dispatched');
		await expect(db.sql`UPDATE requests SET status = 'closed' WHERE id = ${id}`).rejects.toThrow(/request_transition/);
		await expect(db.sql`SELECT request_transition(${id}, 'close', NULL, ${p.admin}, NULL, now(), 'x', NULL, '{}')`).rejects.toThrow(/当前状态 dispatched 不允许 close；允许：accept、return/);
		await expect(db.sql`INSERT INTO request_events (request_id, from_status, to_status, action, at) VALUES (${id}, 'dispatched', 'closed', 'accept', now())`).rejects.toThrow();
		await expect(db.sql`SELECT request_transition(${id}, 'accept', 99, ${p.zj}, NULL, now(), 'x', NULL, '{}')`).rejects.toThrow(/已被他人更新/);
		const [row] = await db.sql`SELECT status, version FROM requests WHERE id = ${id}`;
		expect(row).toEqual({ status: 'dispatched', version: 2 });
		// a move that fails after its event row was written leaves neither behind
		const esc = await requestIn('accepted');
		await expect(db.sql`SELECT request_transition(${esc}, 'escalate', NULL, ${p.zj}, NULL, now(), 'x', NULL, ${JSON.stringify({ departments: [999999], whistle_deadline: NOW })})`).rejects.toThrow();
		const [n] = await db.sql`SELECT count(*)::int AS n FROM whistle_summons WHERE request_id = ${esc}`;
		expect(n.n).toBe(0);
	});

	it('guards: no joint 办结 before every summoned department has reported, no 返工 after a satisfied rating', async () => {
		const id = await requestIn('escalated');
		await move(id, cg, 'checkin');
		await expect(move(id, zj, 'resolve')).rejects.toMatchObject({ status: 422, message: expect.stringContaining('1 个部门未报到') });
		await expect(move(id, cg, 'checkin')).rejects.toMatchObject({ status: 422, message: expect.stringContaining('已经报到') });
		await expect(move(id, zj, 'checkin')).rejects.toMatchObject({ status: 403 }); // 住建 was not summoned
		const ok = await requestIn('resolved');
		await move(ok, gmA, 'evaluate', { satisfaction: 'satisfied', solved: true });
		await expect(move(ok, gmA, 'reopen')).rejects.toMatchObject({ status: 422, message: expect.stringContaining('不满意') });
	});

	it('checks who may act: another department cannot accept, another grid manager cannot evaluate', async () => {
		// they cannot even see the request (row-level security): "not found", not "forbidden"
		const id = await requestIn('dispatched');
		await expect(move(id, cg, 'accept')).rejects.toMatchObject({ status: 404 });
		const res = await requestIn('resolved');
		await expect(move(res, gmB, 'evaluate', { satisfaction: 'satisfied', solved: true })).rejects.toMatchObject({ status: 404 });
	});

	it('bad input names the field: missing version, missing rating, missing reason, unknown department', async () => {
		const id = await requestIn('dispatched');
		await expect(moveRequest(asUser(getDb(), zj), zj, { requestId: id, action: 'accept', version: null })).rejects.toMatchObject({ status: 428, field: 'version' });
		await expect(move(id, zj, 'return', { reason: '' })).rejects.toMatchObject({ status: 400, field: 'reason' });
		const r = await requestIn('resolved');
		await expect(move(r, gmA, 'evaluate', {})).rejects.toMatchObject({ status: 400, field: 'satisfaction' });
		const q = await requestIn('reported');
		await expect(move(q, admin, 'dispatch', { departmentId: 424242 })).rejects.toMatchObject({ status: 400, field: 'departmentId' });
		await expect(report(getDb(), { lon: 100, lat: 20 })).rejects.toMatchObject({ status: 400, field: 'lon' });
		await expect(report(getDb(), { categoryCode: 'property' })).rejects.toMatchObject({ status: 400, field: 'categoryCode' });
	});

	it('two people acting on the same version at once: exactly one wins, the other gets a conflict', async () => {
		const id = await requestIn('dispatched');
		const [{ version }] = await getDb().sql`SELECT version FROM requests WHERE id = ${id}`;
		const results = await Promise.allSettled([
			moveRequest(asUser(getDb(), zj), zj, { requestId: id, action: 'accept', version, now: NOW }),
			moveRequest(asUser(getDb(), zj), zj, { requestId: id, action: 'return', version, reason: '不归我们管', now: NOW })
		]);
		const won = results.filter((r) => r.status === 'fulfilled');
		const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect(won).toHaveLength(1);
		expect(lost).toHaveLength(1);
		expect(lost[0].reason).toMatchObject({ status: 409, code: 'conflict' });
		expect(lost[0].reason.message).toContain('请刷新');
		const [n] = await getDb().sql`SELECT count(*)::int AS n FROM request_events WHERE request_id = ${id}`;
		expect(n.n).toBe(3);
	});

	it('a retried move or report with the same idempotency key creates nothing twice (in sequence and at once)', async () => {
		const db = getDb();
		const key = unique('report-');
		const [first, again] = [await report(db, {}, key), await report(db, {}, key)];
		expect(again).toEqual({ ...first, replayed: true });
		const both = await Promise.all([report(db, {}, unique('r2-')), report(db, {}, unique('r3-'))]);
		expect(new Set(both.map((b) => b.id)).size).toBe(2);
		const id = await requestIn('dispatched');
		const [{ version }] = await db.sql`SELECT version FROM requests WHERE id = ${id}`;
		const k = unique('accept-');
		const input = { requestId: id, action: 'accept', version, idempotencyKey: k, now: NOW };
		const concurrent = await Promise.all([moveRequest(db, zj, input), moveRequest(db, zj, input)]);
		expect(concurrent.map((c) => c.status)).toEqual(['accepted', 'accepted']);
		expect(concurrent.filter((c) => c.replayed)).toHaveLength(1);
		const later = await moveRequest(db, zj, input);
		expect(later).toMatchObject({ replayed: true, version: version + 1 });
		const [n] = await db.sql`SELECT count(*)::int AS n FROM request_events WHERE request_id = ${id} AND action = 'accept'`;
		expect(n.n).toBe(1);
		await expect(moveRequest(db, zj, { ...input, action: 'return', reason: 'x' })).rejects.toMatchObject({ status: 422, code: 'idempotency_key_reused' });
	});

	it('an idempotency key reused with another body, or by another user, is a 422 and loses nothing', async () => {
		const db = getDb();
		const key = unique('reuse-');
		const first = await report(db, {}, key);
		// the same fields in another order are the same body
		const same = await reportRequest(asUser(db, gmA), gmA, parseNewRequest({ lat: RL.pointA[1], lon: RL.pointA[0], description: '3栋电梯停运', categoryCode: 'property.elevator' }), null, key, NOW);
		expect(same).toEqual({ ...first, replayed: true });
		await expect(report(db, { description: '另一件事：路灯坏了' }, key)).rejects.toMatchObject({ status: 422, code: 'idempotency_key_reused', field: 'Idempotency-Key' });
		// gmB cannot see gmA's request: before, this ended in a unique violation (500)
		const other = reportRequest(asUser(db, gmB), gmB, parseNewRequest({ categoryCode: 'property.elevator', description: '3栋电梯停运', lon: RL.pointB[0], lat: RL.pointB[1] }), null, key, NOW);
		await expect(other).rejects.toMatchObject({ status: 422, code: 'idempotency_key_reused' });
		const [n] = await db.sql`SELECT count(*)::int AS n FROM request_events WHERE idempotency_key = ${key}`;
		expect(n.n).toBe(1);

		const id = await requestIn('dispatched');
		const k = unique('mv-');
		const accepted = await move(id, zj, 'accept', { idempotencyKey: k });
		expect(accepted).toMatchObject({ status: 'accepted', replayed: false });
		await expect(move(id, cg, 'accept', { idempotencyKey: k })).rejects.toMatchObject({ status: 422, code: 'idempotency_key_reused' });
		await expect(move(id, zj, 'accept', { idempotencyKey: k, reason: '另一个原因' })).rejects.toMatchObject({ status: 422, code: 'idempotency_key_reused' });
		// another user's retry never gets the first answer, even for a request both can see
		await expect(move(id, admin, 'accept', { idempotencyKey: k })).rejects.toMatchObject({ status: 422 });
	});

	it('offers nearby open requests of the same category as possible duplicates', async () => {
		const db = getDb();
		const dup = await nearbyDuplicates(db, RL.pointA[0] + 0.0005, RL.pointA[1], 'property.elevator', 100);
		expect(dup.length).toBeGreaterThan(0);
		expect(dup[0].distance).toBeLessThanOrEqual(100);
		expect(await nearbyDuplicates(db, RL.pointB[0], RL.pointB[1], 'property.elevator', 100)).toEqual([]);
	});

	it('petitions need a 包案 leader; disputes go to the least-loaded mediator; wishes are claimed by name', async () => {
		const db = getDb();
		await expect(report(db, { kind: 'petition' })).rejects.toMatchObject({ status: 400, field: 'leaderId' });
		const pet = await report(db, { kind: 'petition', leaderId: p.leader, petitioners: 5 });
		const [row] = await db.sql`SELECT kind, channel, leader_id, details FROM requests WHERE id = ${pet.id}`;
		expect(row).toEqual({ kind: 'petition', channel: 'petition', leader_id: p.leader, details: { petitioners: 5 } });
		const d1 = await report(db, { kind: 'dispute', categoryCode: 'dispute.neighbour' });
		const d2 = await report(db, { kind: 'dispute', categoryCode: 'dispute.neighbour' });
		const ms = await db.sql`SELECT mediator_id FROM requests WHERE id IN (${d1.id}, ${d2.id}) ORDER BY id`;
		expect(ms.map((m) => m.mediator_id)).toEqual([p.mediator1, p.mediator2]);
		const med = { id: p.mediator1, role: 'mediator', departmentId: null };
		await move(d1.id, admin, 'dispatch', { departmentId: p.chengguan });
		await move(d1.id, med, 'accept'); // the assigned mediator takes it
		const wish = await report(db, { kind: 'wish', categoryCode: 'wish.help' });
		await move(wish.id, admin, 'dispatch', { departmentId: p.chengguan });
		await expect(move(wish.id, cg, 'accept')).rejects.toMatchObject({ field: 'claimedBy' });
		await move(wish.id, cg, 'accept', { claimedBy: '青年志愿者协会' });
		const [w] = await db.sql`SELECT claimed_by, status FROM requests WHERE id = ${wish.id}`;
		expect(w).toEqual({ claimed_by: '青年志愿者协会', status: 'accepted' });
	});
});
