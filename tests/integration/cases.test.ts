// 立案审核 and 督办 (issue 19) on both back ends: 作废 and 合并 (who, from where, into what), 延期
// asked / approved / refused (the new deadline in 超期 and 按期办结率, direct and rollups alike),
// 督办 and 催办 with their notices and escalation, and the database refusing what the app would.
import { beforeAll, expect, it } from 'vitest';
import { ApiError } from '../../src/lib/domain/apierror';
import { addWorkingDays } from '../../src/lib/domain/calendar';
import { parseExtensionAsk } from '../../src/lib/domain/cases';
import { parseNewRequest } from '../../src/lib/domain/requestinput';
import type { Actor } from '../../src/lib/domain/workflow';
import { asUser } from '../../src/lib/server/access/userdb';
import { overdueAtSql, overdueSql } from '../../src/lib/server/db/fragments';
import { sql } from '../../src/lib/server/db/sql';
import { computeKpis } from '../../src/lib/server/kpi/kpi';
import { pendingExtensions } from '../../src/lib/server/requests/workspace';
import { approveExtension, askExtension, caseInfo, endSupervision, mergeCandidates, mySupervisions, refuseExtension, supervise, urge } from '../../src/lib/server/requests/cases';
import { reportRequest } from '../../src/lib/server/requests/report';
import { moveRequest, type MoveInput } from '../../src/lib/server/requests/transition';
import { describeBackends } from './helpers/backends';
import { insertLoopFixture, RL, type People } from './requests.fixture';

const NOW = new Date('2025-06-02T02:00:00Z'); // a Monday, 10:00 Beijing time
const at = (iso: string) => new Date(iso);

describeBackends('立案审核 and 督办', (getDb) => {
	let p: People;
	let admin: Actor, zj: Actor, cg: Actor, gmA: Actor, leader: Actor;
	beforeAll(async () => {
		const db = getDb();
		p = await insertLoopFixture(db, NOW);
		admin = { id: p.admin, role: 'admin', departmentId: null };
		zj = { id: p.zj, role: 'department_staff', departmentId: p.zhujian };
		cg = { id: p.cg, role: 'department_staff', departmentId: p.chengguan };
		gmA = { id: p.gmA, role: 'grid_manager', departmentId: null };
		leader = { id: p.leader, role: 'leader', departmentId: null };
		// the leader oversees the test community (their jurisdiction)
		await db.sql`UPDATE users SET jurisdiction_code = ${RL.community} WHERE id = ${p.leader}`;
	});

	const as = (actor: Actor) => asUser(getDb(), actor);
	const report = async (extra: Record<string, unknown> = {}) =>
		(await reportRequest(as(gmA), gmA, parseNewRequest({ categoryCode: 'property.elevator', description: '3栋电梯停运', lon: RL.pointA[0], lat: RL.pointA[1], ...extra }), null, null, NOW)).id;
	async function move(id: number, actor: Actor, action: string, extra: Partial<MoveInput> = {}) {
		const [{ version }] = await getDb().sql<{ version: number }>`SELECT version FROM requests WHERE id = ${id}`;
		return moveRequest(as(actor), actor, { requestId: id, action, version, reason: '测试原因', now: NOW, ...extra });
	}
	const row = async (id: number) => (await getDb().sql`SELECT status, merged_into, resolve_deadline, version FROM requests WHERE id = ${id}`)[0];
	const notices = async (requestId: number, kind: string) =>
		(await getDb().sql<{ recipient_id: number }>`SELECT recipient_id FROM notifications WHERE request_id = ${requestId} AND kind = ${kind} ORDER BY recipient_id`).map((n) => n.recipient_id);

	it('作废: the command centre voids a reported or returned request with a reason, its reporter is told; nobody else may, nothing else can follow', async () => {
		const id = await report();
		await expect(move(id, admin, 'void', { reason: '' })).rejects.toMatchObject({ status: 400, field: 'reason' });
		await expect(move(id, gmA, 'void')).rejects.toMatchObject({ status: 403, message: expect.stringContaining('作废') });
		expect((await move(id, admin, 'void', { reason: '信息不实，现场核实无此问题' })).status).toBe('voided');
		expect(await notices(id, 'voided')).toEqual([p.gmA]);
		const err = await move(id, admin, 'dispatch', { departmentId: p.zhujian }).catch((e) => e);
		expect(err).toMatchObject({ status: 422, message: expect.stringContaining('已作废（voided）不能派单') });
		// after a 退单 the command centre may still void it
		const back = await report();
		await move(back, admin, 'dispatch', { departmentId: p.chengguan });
		await move(back, cg, 'return', { reason: '非本部门职责' });
		expect((await move(back, admin, 'void', { reason: '重复录入' })).status).toBe('voided');
		// once accepted it is a case being handled: no 作废
		const taken = await report();
		await move(taken, admin, 'dispatch', { departmentId: p.zhujian });
		await move(taken, zj, 'accept');
		await expect(move(taken, admin, 'void')).rejects.toMatchObject({ status: 422 });
		// the event carries who, when and why
		const [e] = await getDb().sql`SELECT actor_id, reason, from_status, to_status FROM request_events WHERE request_id = ${id} AND action = 'void'`;
		expect(e).toEqual({ actor_id: p.admin, reason: '信息不实，现场核实无此问题', from_status: 'reported', to_status: 'voided' });
	});

	it('合并: a duplicate into its open original of the same kind; the original lists it with its reporter, both reporters are told', async () => {
		const original = await report();
		await move(original, admin, 'dispatch', { departmentId: p.zhujian });
		const dup = await report({ description: '3栋电梯又坏了' });
		// suggested at 立案审核: nearby, open, same kind
		expect((await mergeCandidates(as(admin), dup)).map((c) => c.id)).toContain(original);
		await expect(move(dup, admin, 'merge')).rejects.toMatchObject({ status: 400, field: 'into' });
		await expect(move(dup, admin, 'merge', { into: dup })).rejects.toMatchObject({ status: 400, field: 'into', message: expect.stringContaining('自己') });
		const wish = await report({ categoryCode: 'wish.help', kind: 'wish', description: '想要一台轮椅' });
		await expect(move(dup, admin, 'merge', { into: wish })).rejects.toMatchObject({ status: 400, field: 'into', message: expect.stringContaining('同一类型') });
		const voided = await report();
		await move(voided, admin, 'void', { reason: '作废' });
		await expect(move(dup, admin, 'merge', { into: voided })).rejects.toMatchObject({ status: 400, field: 'into', message: expect.stringContaining('未办结') });
		await expect(move(dup, admin, 'merge', { into: 99_999_999 })).rejects.toMatchObject({ status: 400, field: 'into' });
		await expect(move(dup, gmA, 'merge', { into: original })).rejects.toMatchObject({ status: 403 });

		const res = await move(dup, admin, 'merge', { into: original, reason: '同一部电梯，重复上报' });
		expect(res.status).toBe('merged');
		expect(await row(dup)).toMatchObject({ status: 'merged', merged_into: original });
		const info = await caseInfo(as(admin), original);
		expect(info.duplicates.map((d) => d.id)).toEqual([dup]);
		expect(info.duplicates[0].by).toBe('admin');
		expect((await caseInfo(as(admin), dup)).mergedInto?.id).toBe(original);
		// the duplicate's reporter and the original's (both gmA here) are told once each, as one person
		expect(await notices(dup, 'merged')).toEqual([p.gmA]);
		// a merged request cannot be merged again, nor anything merged into it
		await expect(move(dup, admin, 'merge', { into: original })).rejects.toMatchObject({ status: 422 });
		const third = await report();
		await expect(move(third, admin, 'merge', { into: dup })).rejects.toMatchObject({ status: 400, field: 'into' });
	});

	it('the database refuses a merge into a closed or foreign-kind request and a status change that skips request_transition', async () => {
		const db = getDb();
		const dup = await report();
		const gone = await report();
		await move(gone, admin, 'void', { reason: '作废' });
		await expect(db.sql`SELECT request_transition(${dup}, 'merge', NULL, ${p.admin}, NULL, now(), '重复', NULL, ${JSON.stringify({ into: gone })})`)
			.rejects.toThrow(/原诉求已结束/);
		await expect(db.sql`SELECT request_transition(${dup}, 'merge', NULL, ${p.admin}, NULL, now(), '重复', NULL, '{}')`).rejects.toThrow(/合并必须指定/);
		await expect(db.sql`SELECT request_transition(${dup}, 'void', NULL, ${p.admin}, NULL, now(), '', NULL, '{}')`).rejects.toThrow(/说明原因/);
		await expect(db.sql`UPDATE requests SET status = 'voided' WHERE id = ${dup}`).rejects.toThrow(/request_transition/);
		await expect(db.sql`UPDATE requests SET merged_into = ${gone} WHERE id = ${dup}`).rejects.toThrow();
		expect(await row(dup)).toMatchObject({ status: 'reported', merged_into: null });
	});

	it('延期: the department asks while it works on it, the command centre approves (a move with the new deadline) or refuses with a reason', async () => {
		const id = await report();
		await move(id, admin, 'dispatch', { departmentId: p.zhujian });
		const ask = { days: 3, reason: '需要厂家更换主板' };
		await expect(askExtension(as(zj), zj, id, ask, NOW)).rejects.toMatchObject({ status: 422, message: expect.stringContaining('已接单或吹哨中') });
		await move(id, zj, 'accept', { now: at('2025-06-02T02:00:00Z') });
		const before = new Date((await row(id)).resolve_deadline);
		expect(before.toISOString()).toBe('2025-06-11T02:00:00.000Z'); // 7 working days
		expect(() => parseExtensionAsk({ days: '0', reason: 'x' })).toThrow(expect.objectContaining({ field: 'days' }));
		expect(() => parseExtensionAsk({ days: '3', reason: ' ' })).toThrow(expect.objectContaining({ field: 'reason' }));
		// another department does not see it; the grid manager is no department
		await expect(askExtension(as(cg), cg, id, ask, NOW)).rejects.toMatchObject({ status: 404 });
		await expect(askExtension(as(gmA), gmA, id, ask, NOW)).rejects.toMatchObject({ status: 403 });
		await askExtension(as(zj), zj, id, ask, NOW);
		expect(await notices(id, 'extension_asked')).toEqual([p.admin]);
		await expect(askExtension(as(zj), zj, id, ask, NOW)).rejects.toMatchObject({ status: 409 });
		// the command centre's to-do list shows it, with how many wait in all
		const waiting = await pendingExtensions(as(admin));
		expect(waiting.find((w) => w.id === id)).toMatchObject({ days: 3, total: waiting.length });
		// only the command centre decides; the department cannot approve its own
		await expect(approveExtension(as(zj), zj, id, (await row(id)).version, null, NOW)).rejects.toMatchObject({ status: 403 });
		await expect(refuseExtension(as(admin), admin, id, '')).rejects.toMatchObject({ status: 400, field: 'reason' });
		const res = await approveExtension(as(admin), admin, id, (await row(id)).version, '同意', NOW);
		expect(res.status).toBe('accepted');
		const after = new Date((await row(id)).resolve_deadline);
		expect(after).toEqual(addWorkingDays(before, 3));
		expect(after.toISOString()).toBe('2025-06-16T02:00:00.000Z');
		const [x] = (await caseInfo(as(admin), id)).extensions;
		expect(x).toMatchObject({ status: 'approved', days: 3, decidedBy: 'admin' });
		expect(new Date(x.oldDeadline!)).toEqual(before);
		expect(await notices(id, 'extension_decided')).toEqual([p.zj]);
		const [e] = await getDb().sql`SELECT action, from_status, to_status, payload->>'resolve_deadline' AS deadline FROM request_events WHERE request_id = ${id} AND action = 'extend'`;
		expect(e).toMatchObject({ action: 'extend', from_status: 'accepted', to_status: 'accepted' });
		expect(new Date(e.deadline)).toEqual(after);
		// nothing pending: nothing to approve or refuse
		await expect(approveExtension(as(admin), admin, id, (await row(id)).version, null, NOW)).rejects.toMatchObject({ status: 422, message: expect.stringContaining('没有待审批') });
		await expect(refuseExtension(as(admin), admin, id, '不同意')).rejects.toMatchObject({ status: 422 });
		// a second one, refused: the deadline stays
		await askExtension(as(zj), zj, id, { days: 5, reason: '配件仍未到货' }, NOW);
		await refuseExtension(as(admin), admin, id, '已延期一次，请加快');
		expect(new Date((await row(id)).resolve_deadline)).toEqual(after);
		expect((await caseInfo(as(admin), id)).extensions.map((x) => x.status)).toEqual(['approved', 'refused']);
		// the database: no approval but through request_transition, no second decision
		await expect(getDb().sql`UPDATE request_extensions SET status = 'pending', decided_by = NULL, decided_at = NULL WHERE request_id = ${id}`).rejects.toThrow(/已经审批/);
		await askExtension(as(zj), zj, id, { days: 1, reason: '再申请' }, NOW);
		await expect(getDb().sql`UPDATE request_extensions SET status = 'approved', decided_by = ${p.admin}, decided_at = now(), new_deadline = now() WHERE request_id = ${id} AND status = 'pending'`)
			.rejects.toThrow(/request_transition/);
	});

	it('延期 counts: 超期 and 按期办结率 use the extended deadline, the rollups and the direct count agree', async () => {
		const db = getDb();
		const id = await report();
		await move(id, admin, 'dispatch', { departmentId: p.zhujian, now: at('2025-06-02T02:00:00Z') });
		await move(id, zj, 'accept', { now: at('2025-06-02T03:00:00Z') }); // resolve by Wed 06-11 11:00
		const overdue = async (when: string) => {
			const [r] = await db.run<{ now: boolean; then: boolean }>(sql`SELECT ${overdueSql(at(when))} AS now, ${overdueAtSql(at(when))} AS then FROM requests r WHERE r.id = ${id}`);
			return [r.now, r.then];
		};
		expect(await overdue('2025-06-12T02:00:00Z')).toEqual([true, true]);
		await askExtension(as(zj), zj, id, { days: 2, reason: '等待配件' }, at('2025-06-10T02:00:00Z'));
		await approveExtension(as(admin), admin, id, (await row(id)).version, null, at('2025-06-10T03:00:00Z')); // → Fri 06-13 11:00
		expect(await overdue('2025-06-12T02:00:00Z')).toEqual([false, false]);
		expect(await overdue('2025-06-13T04:00:00Z')).toEqual([true, true]);
		await move(id, zj, 'resolve', { now: at('2025-06-12T02:00:00Z') }); // after the first deadline, before the extended one
		// the period 06-12 (a Beijing day, so the rollups answer it) in the test community only
		const s = { area: RL.community, department: null, pairing: null, from: at('2025-06-11T16:00:00Z'), to: at('2025-06-12T16:00:00Z') };
		const now = at('2025-06-20T02:00:00Z');
		const pick = (k: Awaited<ReturnType<typeof computeKpis>>) => k.values.filter((v) => ['ontime_rate', 'close_rate', 'overdue'].includes(v.key)).map((v) => `${v.key} ${v.num}/${v.den}`);
		const direct = pick(await computeKpis(db, s, { now, source: 'direct' }));
		expect(direct).toContain('ontime_rate 1/1');
		expect(pick(await computeKpis(db, s, { now, source: 'rollups' }))).toEqual(direct);
	});

	it('作废 and 合并 count in no KPI: never overdue, never 应办结 or 办结; the rollups agree', async () => {
		const db = getDb();
		const s = { area: RL.gridB, department: null, pairing: null, from: at('2025-05-31T16:00:00Z'), to: at('2025-06-30T16:00:00Z') };
		const now = at('2025-07-01T02:00:00Z');
		const all = (k: Awaited<ReturnType<typeof computeKpis>>) => [...k.values, ...k.beside].map((v) => `${v.key} ${v.num}/${v.den}`).concat(`open ${k.open}`);
		const before = all(await computeKpis(db, s, { now, source: 'direct' }));
		const inB = { lon: RL.pointB[0], lat: RL.pointB[1] };
		const reportB = async () => (await reportRequest(as(admin), admin, parseNewRequest({ categoryCode: 'property.elevator', description: '电梯', ...inB }), null, null, NOW)).id;
		const original = await reportB();
		await move(original, admin, 'dispatch', { departmentId: p.zhujian });
		const a = await reportB();
		await move(a, admin, 'void', { reason: '无效' });
		const b = await reportB();
		await move(b, admin, 'merge', { into: original, reason: '重复' });
		await move(original, admin, 'void', { reason: '不该作废，测试用' }).catch(() => null); // dispatched: refused
		const after = all(await computeKpis(db, s, { now, source: 'direct' }));
		// only the original (open, dispatched) changed the figures: 受理率's dispatch and one open request
		const diff = after.filter((x, i) => x !== before[i]);
		expect(diff.every((d) => d.startsWith('accept_rate') || d.startsWith('open') || d.startsWith('overdue'))).toBe(true);
		expect(after.find((x) => x.startsWith('open'))).toBe(`open ${Number(before.find((x) => x.startsWith('open'))!.split(' ')[1]) + 1}`);
		expect(all(await computeKpis(db, s, { now, source: 'rollups' }))).toEqual(after);
		const [o] = await db.run<{ o: boolean }>(sql`SELECT bool_or(${overdueSql(now)}) AS o FROM requests r WHERE r.id IN (${a}, ${b})`);
		expect(o.o).toBe(false);
	});

	it('督办: a leader follows an open request and sees its progress in 我督办的; others may not', async () => {
		const id = await report();
		await move(id, admin, 'dispatch', { departmentId: p.zhujian });
		await expect(supervise(as(gmA), gmA, id, '请跟进')).rejects.toMatchObject({ status: 403 });
		await expect(supervise(as(leader), leader, id, '')).rejects.toMatchObject({ status: 400, field: 'note' });
		await supervise(as(leader), leader, id, '三天内解决', NOW);
		await expect(supervise(as(leader), leader, id, '再次')).rejects.toMatchObject({ status: 409 });
		const mine = await mySupervisions(as(leader), p.leader, NOW);
		expect(mine.find((m) => m.id === id)).toMatchObject({ status: 'dispatched', department: '区住建局', urges: 0, lastAction: 'dispatch', note: '三天内解决' });
		// a department cannot 督办, even one that handles it (the database says so too)
		await expect(supervise(as(zj), zj, id, '督办')).rejects.toMatchObject({ status: 403 });
		await expect(asUser(getDb(), zj).sql`INSERT INTO request_supervisions (request_id, leader_id, note) VALUES (${id}, ${p.zj}, 'x')`).rejects.toThrow(/只有领导/);
		await endSupervision(as(leader), leader, id, NOW);
		expect((await mySupervisions(as(leader), p.leader, NOW)).some((m) => m.id === id)).toBe(false);
		await expect(endSupervision(as(leader), leader, id, NOW)).rejects.toMatchObject({ status: 422 });
		// a finished request cannot be supervised
		const done = await report();
		await move(done, admin, 'void', { reason: '无效' });
		await expect(supervise(as(leader), leader, done, '督办')).rejects.toMatchObject({ status: 422 });
	});

	it('催办: the department is told; from the second reminder the command centre too; only those with authority, only open requests', async () => {
		const id = await report();
		await expect(urge(as(gmA), gmA, id, '请尽快')).rejects.toMatchObject({ status: 422, message: expect.stringContaining('派单') });
		// nor through the database, even with a department named in advance (a report's category department)
		await getDb().sql`UPDATE requests SET department_id = ${p.zhujian} WHERE id = ${id}`;
		await expect(asUser(getDb(), gmA).sql`INSERT INTO request_urges (request_id, urged_by, message) VALUES (${id}, ${p.gmA}, 'x')`).rejects.toThrow(/已派单、办理中/);
		await move(id, admin, 'dispatch', { departmentId: p.zhujian });
		await move(id, zj, 'accept');
		await expect(urge(as(zj), zj, id, '催')).rejects.toMatchObject({ status: 403 });
		await expect(urge(as(gmA), gmA, id, ' ')).rejects.toMatchObject({ status: 400, field: 'message' });
		expect(await urge(as(gmA), gmA, id, '居民反映电梯仍未修好', NOW)).toEqual({ seq: 1, escalated: false });
		expect(await notices(id, 'urged')).toEqual([p.zj]);
		expect(await notices(id, 'urge_escalated')).toEqual([]);
		expect(await urge(as(leader), leader, id, '请加快办理', NOW)).toEqual({ seq: 2, escalated: true });
		expect(await notices(id, 'urge_escalated')).toEqual([p.admin, p.zj]);
		const info = await caseInfo(as(admin), id);
		expect(info.urges.map((u) => [u.by, u.seq, u.department])).toEqual([['gmA', 1, '区住建局'], ['leader1', 2, '区住建局']]);
		// the database numbers them itself and refuses an urge on a finished request
		await move(id, zj, 'resolve');
		await expect(urge(as(gmA), gmA, id, '催')).rejects.toMatchObject({ status: 422 });
		await expect(asUser(getDb(), gmA).sql`INSERT INTO request_urges (request_id, urged_by, message) VALUES (${id}, ${p.gmA}, 'x')`).rejects.toThrow(/已结束|已派单、办理中/);
		expect(ApiError).toBeDefined();
	});
});
