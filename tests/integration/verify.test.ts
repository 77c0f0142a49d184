// 核查 before 销号 and 申诉 (issue 19) on both back ends: every legal and illegal move of each, the
// database refusing 销号 without a passed verification and a 退单 without a reason on its own, and
// the KPI effect of an upheld 申诉 (rollups and direct counting alike).
import { beforeAll, expect, it } from 'vitest';
import { asUser } from '../../src/lib/server/access/userdb';
import { parseNewRequest } from '../../src/lib/domain/requestinput';
import type { Actor } from '../../src/lib/domain/workflow';
import { computeKpis } from '../../src/lib/server/kpi/kpi';
import { reportRequest } from '../../src/lib/server/requests/report';
import { moveRequest, type MoveInput } from '../../src/lib/server/requests/transition';
import { decideAppeal, fileAppeal, pendingAppeals, verificationInfo, verifyRequest, type VerifySubmission } from '../../src/lib/server/requests/verification';
import { describeBackends } from './helpers/backends';
import { insertLoopFixture, loopActors, RL, type People } from './requests.fixture';

const NOW = new Date('2025-06-02T02:00:00Z'); // a Monday, 10:00 Beijing time
const JPEG = { type: 'image/jpeg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]) };
const PASS: VerifySubmission = { result: 'pass', note: null, beforePhotoId: null, beforePhoto: JPEG, afterPhoto: JPEG };

describeBackends('核查 and 申诉', (getDb) => {
	let p: People;
	let admin: Actor, zj: Actor, gmA: Actor, gmB: Actor;
	beforeAll(async () => {
		p = await insertLoopFixture(getDb(), NOW);
		({ admin, zj, gmA, gmB } = loopActors(p));
		// 电梯故障 requires 核查 (verification.ts default); 邻里纠纷 does not
		await getDb().sql`UPDATE categories SET verify_required = true WHERE code = 'property.elevator'`;
	});

	const as = (actor: Actor) => asUser(getDb(), actor);
	const report = async (categoryCode = 'property.elevator') =>
		(await reportRequest(as(gmA), gmA, parseNewRequest({ categoryCode, description: '3栋电梯停运', lon: RL.pointA[0], lat: RL.pointA[1] }), null, null, NOW)).id;
	async function move(id: number, actor: Actor, action: string, extra: Partial<MoveInput> = {}) {
		const [{ version }] = await getDb().sql<{ version: number }>`SELECT version FROM requests WHERE id = ${id}`;
		return moveRequest(as(actor), actor, { requestId: id, action, version, reason: '测试原因', now: NOW, ...extra });
	}
	/** reported → 派单 → 接单 → 办结 (by 住建) → 评单 (by the grid's 网格员) */
	async function evaluated(satisfaction = 'satisfied', categoryCode = 'property.elevator', departmentId = p.zhujian) {
		const id = await report(categoryCode);
		await move(id, admin, 'dispatch', { departmentId });
		await move(id, zj, 'accept');
		await move(id, zj, 'resolve');
		await move(id, gmA, 'evaluate', { satisfaction, solved: satisfaction !== 'unsatisfied' });
		return id;
	}
	const status = async (id: number) => (await getDb().sql<{ status: string }>`SELECT status FROM requests WHERE id = ${id}`)[0].status;

	it('销号 of a category that requires 核查 waits for a passed one, by another person than the resolver, with both photos', async () => {
		const id = await evaluated();
		await expect(move(id, gmA, 'close')).rejects.toMatchObject({ status: 422, code: 'guard', message: expect.stringContaining('销号前需核查') });
		// the resolver may not verify their own work; a 网格员 of another grid is not allowed; photos are required
		await expect(verifyRequest(as(admin), { ...admin, id: p.zj }, id, PASS, NOW)).rejects.toMatchObject({ status: 422, message: expect.stringContaining('办结人') });
		// another grid's 网格员 does not even see it (row-level security)
		await expect(verifyRequest(as(gmB), gmB, id, PASS, NOW)).rejects.toMatchObject({ status: 404 });
		await expect(verifyRequest(as(gmA), gmA, id, { ...PASS, afterPhoto: null }, NOW)).rejects.toMatchObject({ status: 400, field: 'afterPhoto' });
		await expect(verifyRequest(as(gmA), gmA, id, { ...PASS, beforePhoto: null }, NOW)).rejects.toMatchObject({ status: 400, field: 'beforePhoto' });
		await expect(verifyRequest(as(gmA), gmA, id, { ...PASS, beforePhoto: null, beforePhotoId: 999999 }, NOW)).rejects.toMatchObject({ status: 400, field: 'beforePhotoId' });
		expect(await getDb().sql`SELECT 1 FROM request_verifications WHERE request_id = ${id}`).toHaveLength(0);
		expect(await verifyRequest(as(gmA), gmA, id, PASS, NOW)).toMatchObject({ status: 'evaluated' });
		expect((await move(id, gmA, 'close')).status).toBe('closed');
		// nothing to verify once closed, nor before 评单
		await expect(verifyRequest(as(gmA), gmA, id, PASS, NOW)).rejects.toMatchObject({ status: 422 });
		const info = await verificationInfo(getDb(), id);
		expect(info).toMatchObject({ verifyRequired: true, verifications: [{ result: 'pass', resultLabel: '通过', hasOwnBefore: true }] });
	});

	it('核查不通过 sends the request back (返工) in the same step; the next round needs a new verification', async () => {
		const id = await evaluated();
		await expect(verifyRequest(as(gmA), gmA, id, { ...PASS, result: 'fail' }, NOW)).rejects.toMatchObject({ status: 400, field: 'note' });
		expect(await verifyRequest(as(gmA), gmA, id, { ...PASS, result: 'fail', note: '电梯仍有异响' }, NOW)).toMatchObject({ status: 'reopened' });
		const [e] = await getDb().sql<{ reason: string }>`SELECT reason FROM request_events WHERE request_id = ${id} ORDER BY id DESC LIMIT 1`;
		expect(e.reason).toBe('核查不通过：电梯仍有异响');
		await move(id, zj, 'accept');
		await move(id, zj, 'resolve');
		await move(id, gmA, 'evaluate', { satisfaction: 'satisfied', solved: true });
		// the pass of round 0 would not do either: only this round's counts
		await expect(move(id, gmA, 'close')).rejects.toMatchObject({ code: 'guard' });
		await verifyRequest(as(admin), admin, id, PASS, NOW);
		expect((await move(id, gmA, 'close')).status).toBe('closed');
	});

	it('a category without the setting closes as before; the database itself refuses 销号 without 核查 and 退单 without a reason', async () => {
		const free = await evaluated('satisfied', 'dispute.neighbour');
		expect((await move(free, gmA, 'close')).status).toBe('closed');
		const id = await evaluated();
		const [{ version }] = await getDb().sql<{ version: number }>`SELECT version FROM requests WHERE id = ${id}`;
		await expect(getDb().sql`SELECT request_transition(${id}, 'close', ${version}, ${p.gmA}, NULL, ${NOW}, '销号', NULL, '{}')`).rejects.toThrow(/销号前需核查/);
		// the verifier's row, straight in the database: not the resolver, not before 评单
		await expect(getDb().sql`INSERT INTO request_verifications (request_id, verified_by, result, before_path, before_type, after_path, after_type)
			VALUES (${id}, ${p.zj}, 'pass', ${crypto.randomUUID() + '.jpg'}, 'image/jpeg', ${crypto.randomUUID() + '.jpg'}, 'image/jpeg')`).rejects.toThrow(/办结人/);
		const ret = await report();
		await move(ret, admin, 'dispatch', { departmentId: p.zhujian });
		const [{ version: v2 }] = await getDb().sql<{ version: number }>`SELECT version FROM requests WHERE id = ${ret}`;
		await expect(getDb().sql`SELECT request_transition(${ret}, 'return', ${v2}, ${p.zj}, NULL, ${NOW}, '  ', NULL, '{}')`).rejects.toThrow(/退单必须说明原因/);
		await expect(move(ret, zj, 'return', { reason: '' })).rejects.toMatchObject({ status: 400, field: 'reason' });
		expect(await status(ret)).toBe('dispatched');
	});

	it('申诉: only the handling department, only of an unsatisfied 评单, once, within 7 days; the command centre decides once', async () => {
		const ok = await evaluated('satisfied', 'dispute.neighbour');
		await expect(fileAppeal(as(zj), zj, ok, '评价不实', NOW)).rejects.toMatchObject({ status: 422, message: expect.stringContaining('不满意') });
		const id = await evaluated('unsatisfied', 'dispute.neighbour');
		await expect(fileAppeal(as(zj), zj, id, '  ', NOW)).rejects.toMatchObject({ status: 400, field: 'reason' });
		await expect(fileAppeal(as(gmA), gmA, id, '评价不实', NOW)).rejects.toMatchObject({ status: 403 });
		await expect(fileAppeal(as(zj), zj, id, '评价不实', new Date(NOW.getTime() + 8 * 86_400_000))).rejects.toMatchObject({ status: 422, message: expect.stringContaining('7 天') });
		await fileAppeal(as(zj), zj, id, '群众诉求超出政策范围，已按规定答复', NOW);
		await expect(fileAppeal(as(zj), zj, id, '再次申诉', NOW)).rejects.toMatchObject({ status: 422, message: expect.stringContaining('已经申诉') });
		expect((await pendingAppeals(as(admin))).map((a) => a.id)).toContain(id);
		await expect(decideAppeal(as(zj), zj, id, { decision: 'upheld', reason: null }, NOW)).rejects.toMatchObject({ status: 403 });
		await expect(as(zj).sql`UPDATE request_appeals SET status = 'upheld', decided_by = ${p.zj}, decided_at = now() WHERE request_id = ${id}`).resolves.toHaveLength(0);
		await decideAppeal(as(admin), admin, id, { decision: 'rejected', reason: '评价属实' }, NOW);
		await expect(decideAppeal(as(admin), admin, id, { decision: 'upheld', reason: null }, NOW)).rejects.toMatchObject({ status: 422 });
		await expect(getDb().sql`UPDATE request_appeals SET status = 'upheld' WHERE request_id = ${id}`).rejects.toThrow(/已经裁定/);
		expect((await verificationInfo(getDb(), id)).appeals).toMatchObject([{ status: 'rejected', decisionReason: '评价属实' }]);
	});

	it('an upheld 申诉 sets the evaluation aside for 满意率, 解决率 and 最终满意率 — in the rollups and counted directly', async () => {
		const db = getDb();
		const june = { area: RL.district, department: null, pairing: null, from: new Date('2025-05-31T16:00:00Z'), to: new Date('2025-06-30T16:00:00Z') };
		// not whole days: counted directly from the history
		const odd = { ...june, to: new Date('2025-06-20T05:30:00Z') };
		const figures = async (s: typeof june) => {
			const k = await computeKpis(db, s, { now: new Date('2025-06-20T06:00:00Z') });
			return Object.fromEntries([...k.values, ...k.beside].filter((v) => ['satisfaction_rate', 'solved_rate', 'final_satisfaction_rate'].includes(v.key)).map((v) => [v.key, `${v.num}/${v.den}`]));
		};
		const before = await figures(june);
		expect(await figures(odd)).toEqual(before);
		const id = await evaluated('unsatisfied', 'dispute.neighbour');
		const worse = await figures(june);
		const plus = (f: string, n: number, d: number) => { const [a, b] = f.split('/').map(Number); return `${a + n}/${b + d}`; };
		expect(worse).toEqual({ satisfaction_rate: plus(before.satisfaction_rate, 0, 1), solved_rate: plus(before.solved_rate, 0, 1), final_satisfaction_rate: plus(before.final_satisfaction_rate, 0, 1) });
		await fileAppeal(as(zj), zj, id, '群众诉求超出政策范围', NOW);
		expect(await figures(june)).toEqual(worse); // pending: still counted
		await decideAppeal(as(admin), admin, id, { decision: 'upheld', reason: null }, NOW);
		expect(await figures(june)).toEqual(before);
		expect(await figures(odd)).toEqual(before);
	});
});
