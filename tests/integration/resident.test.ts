// 网上点单 on both back ends (issue 19): a signed-out report enters the loop as reported with
// channel 'resident'; the challenge cannot be replayed; limits per address, phone and code; the
// follow page needs the code and the phone's tail; 评单 only when resolved and once per
// resolution, through the workflow's evaluate move; the phone stays masked.
import { beforeAll, expect, it } from 'vitest';
import { chineseNumber } from '../../src/lib/domain/resident';
import type { Actor } from '../../src/lib/domain/workflow';
import { hit } from '../../src/lib/server/access/limits';
import { asUser } from '../../src/lib/server/access/userdb';
import type { Db } from '../../src/lib/server/db/client';
import { requestDetail } from '../../src/lib/server/requests/detail';
import { moveRequest } from '../../src/lib/server/requests/transition';
import {
	followResident, newChallenge, rateResident, RESIDENT_LOOKUP_CODE, RESIDENT_REPORT_IP, submitResident
} from '../../src/lib/server/resident/resident';
import { describeBackends, unique } from './helpers/backends';
import { insertLoopFixture, RL, type People } from './requests.fixture';

const NOW = new Date('2025-06-02T02:00:00Z');
const WORDS = new Map(Array.from({ length: 100 }, (_, n) => [chineseNumber(n), n]));
/** The answer a person would type. */
function solve(question: string): string {
	const m = /^(.+?)(加|减)(.+)等于几？$/.exec(question)!;
	const [a, b] = [WORDS.get(m[1])!, WORDS.get(m[3])!];
	return String(m[2] === '加' ? a + b : a - b);
}
const JPEG = { type: 'image/jpeg', bytes: Uint8Array.from([0xff, 0xd8, 0xff, 0, 1, 2, 0xff, 0xd9]) };

async function caught(p: Promise<unknown>): Promise<{ status: number; code: string; field?: string }> {
	try {
		await p;
	} catch (e) {
		return e as { status: number; code: string; field?: string };
	}
	throw new Error('expected a refusal');
}

describeBackends('网上点单', (getDb) => {
	let p: People;
	let admin: Actor, zj: Actor, gmA: Actor;
	beforeAll(async () => {
		p = await insertLoopFixture(getDb(), NOW);
		admin = { id: p.admin, role: 'admin', departmentId: null };
		zj = { id: p.zj, role: 'department_staff', departmentId: p.zhujian };
		gmA = { id: p.gmA, role: 'grid_manager', departmentId: null };
	});

	const anon = (db: Db, ip: string) => asUser(db, null, ip);
	async function fields(db: Db, extra: Record<string, unknown> = {}) {
		const c = await newChallenge(asUser(db, null), NOW.getTime());
		return { categoryCode: 'property.elevator', description: '3栋电梯停运两天了', gridCode: RL.gridA, address: '1栋楼下',
			phone: `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, challenge: c.token, challengeAnswer: solve(c.question), ...extra };
	}
	const submit = async (extra: Record<string, unknown> = {}, ip = unique('ip'), photos = [JPEG]) =>
		submitResident(anon(getDb(), ip), ip, await fields(getDb(), extra), photos, NOW);
	const idOf = async (code: string) => (await getDb().sql<{ id: number }>`SELECT id FROM requests WHERE code = ${code}`)[0].id;
	async function walk(id: number, steps: [string, Actor, Record<string, unknown>][]) {
		for (const [action, actor, extra] of steps) {
			const [{ version }] = await getDb().sql<{ version: number }>`SELECT version FROM requests WHERE id = ${id}`;
			await moveRequest(asUser(getDb(), actor), actor, { requestId: id, action, version, now: NOW, ...extra });
		}
	}

	it('enters the loop as reported, channel resident, in the grid, by no user, with its photo and ticket', async () => {
		const r = await submit({ phone: '13800138000' });
		expect(r.tracking).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
		expect(r.gridCode).toBe(RL.gridA);
		const [row] = await getDb().sql`SELECT status, channel, grid_code, created_by, kind, reporter_phone FROM requests WHERE code = ${r.code}`;
		expect(row).toEqual({ status: 'reported', channel: 'resident', grid_code: RL.gridA, created_by: null, kind: 'request', reporter_phone: '13800138000' });
		const [e] = await getDb().sql`SELECT action, actor_id, payload FROM request_events WHERE request_id = ${await idOf(r.code)}`;
		expect(e).toEqual({ action: 'report', actor_id: null, payload: { channel: 'resident', by: 'resident' } });
		expect((await getDb().sql`SELECT count(*)::int AS n FROM request_photos WHERE request_id = ${await idOf(r.code)}`)[0].n).toBe(1);
		// the command centre sees it, the phone masked
		const seen = await requestDetail(asUser(getDb(), admin), await idOf(r.code), NOW);
		expect(seen).toMatchObject({ channel: 'resident', status: 'reported', phone: '138****8000' });
	});

	it('refuses a replayed challenge and writes nothing', async () => {
		const ip = unique('ip');
		const f = await fields(getDb());
		await submitResident(anon(getDb(), ip), ip, f, [], NOW);
		const before = (await getDb().sql`SELECT count(*)::int AS n FROM requests`)[0].n;
		const again = await caught(submitResident(anon(getDb(), ip), ip, { ...f, phone: '13900139000' }, [JPEG], NOW));
		expect(again).toMatchObject({ status: 409, code: 'challenge_used', field: 'challenge' });
		expect((await getDb().sql`SELECT count(*)::int AS n FROM requests`)[0].n).toBe(before);
	});

	it('names the field of a bad answer, honeypot, category, place or photo', async () => {
		expect(await caught(submit({ challengeAnswer: '999' }))).toMatchObject({ status: 400, field: 'challengeAnswer' });
		expect(await caught(submit({ website: 'x' }))).toMatchObject({ status: 400, code: 'rejected' });
		expect(await caught(submit({ categoryCode: 'dispute.neighbour' }))).toMatchObject({ status: 400, field: 'categoryCode' });
		expect(await caught(submit({ gridCode: '430197001001999' }))).toMatchObject({ status: 400, field: 'gridCode' });
		expect(await caught(submit({ lon: 100, lat: 20 }))).toMatchObject({ status: 400, field: 'lon' });
		expect(await caught(submit({}, undefined, [JPEG, JPEG, JPEG, JPEG]))).toMatchObject({ status: 400, field: 'photos' });
		expect(await caught(submit({}, undefined, [{ type: 'text/html', bytes: Uint8Array.from([60]) }]))).toMatchObject({ status: 400, field: 'photos' });
	});

	it('limits reports per address and per phone', async () => {
		const ip = unique('ip');
		for (let i = 0; i < RESIDENT_REPORT_IP.limit; i++) await hit(anon(getDb(), ip), RESIDENT_REPORT_IP, ip);
		expect(await caught(submit({}, ip))).toMatchObject({ status: 429, code: 'rate_limited' });
		const phone = '13700137000';
		for (let i = 0; i < 3; i++) await submit({ phone }, undefined, []);
		expect(await caught(submit({ phone }))).toMatchObject({ status: 429 });
	});

	it('opens the case only with the code and the phone tail, masked and without staff names', async () => {
		const r = await submit({ phone: '13612345678' });
		const ip = unique('ip');
		await walk(await idOf(r.code), [['dispatch', admin, { departmentId: p.zhujian }]]);
		const v = await followResident(anon(getDb(), ip), ip, { tracking: r.tracking.toLowerCase(), tail: '5678' });
		expect(v).toMatchObject({ code: r.code, status: 'dispatched', department: '区住建局', phone: '136****5678', mayRate: false });
		expect(v.stages.map((s) => s.label)).toEqual(['您的诉求已提交（网上点单）', '已派单至区住建局']);
		expect(JSON.stringify(v)).not.toMatch(/admin|zhujian1|12345678/);
		expect(await caught(followResident(anon(getDb(), ip), ip, { tracking: r.tracking, tail: '0000' }))).toMatchObject({ status: 404, field: 'tracking' });
		expect(await caught(followResident(anon(getDb(), ip), ip, { tracking: 'ABC', tail: '5678' }))).toMatchObject({ status: 400, field: 'tracking' });
	});

	it('limits lookups per code, the right tail included', async () => {
		const r = await submit({ phone: '13512345678' });
		for (let i = 0; i < RESIDENT_LOOKUP_CODE.limit; i++) {
			const ip = unique('ip');
			await caught(followResident(anon(getDb(), ip), ip, { tracking: r.tracking, tail: String(1000 + i) }));
		}
		const ip = unique('ip');
		expect(await caught(followResident(anon(getDb(), ip), ip, { tracking: r.tracking, tail: '5678' }))).toMatchObject({ status: 429 });
	});

	it('rates only a resolved case, once per resolution, as the evaluate move', async () => {
		const r = await submit({ phone: '13412345678' });
		const id = await idOf(r.code);
		const ip = unique('ip');
		const rate = { tracking: r.tracking, tail: '5678', satisfaction: 'unsatisfied', solved: 'false' };
		expect(await caught(rateResident(anon(getDb(), ip), ip, rate, NOW))).toMatchObject({ status: 422 });
		await walk(id, [['dispatch', admin, { departmentId: p.zhujian }], ['accept', zj, {}], ['resolve', zj, {}]]);
		expect(await caught(rateResident(anon(getDb(), ip), ip, { ...rate, tail: '0000' }, NOW))).toMatchObject({ status: 404 });
		expect((await followResident(anon(getDb(), ip), ip, rate)).mayRate).toBe(true);
		const v = await rateResident(anon(getDb(), ip), ip, rate, NOW);
		expect(v).toMatchObject({ status: 'evaluated', satisfaction: 'unsatisfied', solved: false, mayRate: false });
		expect(v.stages.at(-1)!.label).toBe('您已评价');
		const [e] = await getDb().sql`SELECT actor_id, payload FROM request_events WHERE request_id = ${id} AND action = 'evaluate'`;
		expect(e).toEqual({ actor_id: null, payload: { satisfaction: 'unsatisfied', solved: false, by: 'resident' } });
		expect(await caught(rateResident(anon(getDb(), ip), ip, rate, NOW))).toMatchObject({ status: 422, field: 'satisfaction' });
		// 不满意 → 返工 → 办结 again: the new resolution is rated again, and counted as a second evaluation
		await walk(id, [['reopen', gmA, { reason: '群众不满意' }], ['accept', zj, {}], ['resolve', zj, {}]]);
		const again = await rateResident(anon(getDb(), ip), ip, { ...rate, satisfaction: 'satisfied', solved: 'true' }, NOW);
		expect(again).toMatchObject({ status: 'evaluated', satisfaction: 'satisfied', solved: true });
		expect((await getDb().sql`SELECT count(*)::int AS n FROM request_events WHERE request_id = ${id} AND action = 'evaluate'`)[0].n).toBe(2);
	});

	it('keeps the phone from staff and the tickets from everyone', async () => {
		const r = await submit({ phone: '13312345678' });
		const id = await idOf(r.code);
		expect((await requestDetail(asUser(getDb(), gmA), id, NOW))!.phone).toBe('133****5678');
		await expect(asUser(getDb(), gmA).sql`SELECT reporter_phone FROM requests WHERE id = ${id}`).rejects.toMatchObject({ code: '42501' });
		await expect(asUser(getDb(), admin).sql`SELECT * FROM resident_tickets`).rejects.toMatchObject({ code: '42501' });
		await expect(anon(getDb(), '1.2.3.4').sql`SELECT * FROM resident_challenge_nonces`).rejects.toMatchObject({ code: '42501' });
	});
});
