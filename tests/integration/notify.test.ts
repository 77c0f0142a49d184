// Notices on both back ends: written in the move's transaction for the people domain/notices.ts
// names (active users of the department, never others), hidden from everyone else by row-level
// security, marked read by their recipient only, deadline notices once per request and stage,
// and on the live feed to their recipient alone.
import { beforeAll, afterAll, expect, it } from 'vitest';
import { parseNewRequest } from '../../src/lib/domain/requestinput';
import type { LiveViewerScope } from '../../src/lib/domain/livefilter';
import type { Actor } from '../../src/lib/domain/workflow';
import { asUser } from '../../src/lib/server/access/userdb';
import { LiveHub } from '../../src/lib/server/live/hub';
import { sseResponse } from '../../src/lib/server/live/sse';
import { listNotices, markRead, unreadCount, writeDueDeadlineNotices } from '../../src/lib/server/notifications/notices';
import { reportRequest } from '../../src/lib/server/requests/report';
import { moveRequest, type MoveInput } from '../../src/lib/server/requests/transition';
import { describeBackends } from './helpers/backends';
import { insertLoopFixture, RL, type People } from './requests.fixture';

const NOW = new Date('2025-06-02T02:00:00Z'); // a Monday, 10:00 CST
const HOUR = 3600_000;
const num = (a: number, b: number) => a - b;

describeBackends('notices', (getDb) => {
	let p: People;
	let admin: Actor, zj: Actor, zj2: Actor, cg: Actor, gmA: Actor;
	let zjOff: number;
	let hub: LiveHub;
	beforeAll(async () => {
		const db = getDb();
		p = await insertLoopFixture(db, NOW);
		const user = async (name: string, dept: number, active = true) =>
			(await db.sql<{ id: number }>`INSERT INTO users (username, display_name, role, department_id, active) VALUES (${name}, ${name}, 'department_staff', ${dept}, ${active}) RETURNING id`)[0].id;
		admin = { id: p.admin, role: 'admin', departmentId: null };
		zj = { id: p.zj, role: 'department_staff', departmentId: p.zhujian };
		zj2 = { id: await user('zhujian2', p.zhujian), role: 'department_staff', departmentId: p.zhujian };
		zjOff = await user('zhujian_gone', p.zhujian, false);
		cg = { id: p.cg, role: 'department_staff', departmentId: p.chengguan };
		gmA = { id: p.gmA, role: 'grid_manager', departmentId: null };
		hub = new LiveHub(db);
		await hub.start();
	});
	afterAll(async () => hub?.stop());

	const report = async () =>
		(await reportRequest(asUser(getDb(), gmA), gmA, parseNewRequest({ categoryCode: 'property.elevator', description: '3栋电梯停运', lon: RL.pointA[0], lat: RL.pointA[1] }), null, null, NOW)).id;
	async function move(id: number, actor: Actor, action: string, extra: Partial<MoveInput> = {}) {
		const [{ version }] = await getDb().sql<{ version: number }>`SELECT version FROM requests WHERE id = ${id}`;
		return moveRequest(asUser(getDb(), actor), actor, { requestId: id, action, version, reason: '测试原因', now: NOW, ...extra });
	}
	/** every notice about a request, as the owner sees them (no row-level security) */
	const noticesOf = (id: number) =>
		getDb().sql<{ recipient_id: number; kind: string; stage: string | null }>`SELECT recipient_id, kind, stage FROM notifications WHERE request_id = ${id} ORDER BY recipient_id, id`;

	it('派单 writes one notice for each active user of the department, none for anyone else', async () => {
		const id = await report();
		expect(await noticesOf(id)).toEqual([]);
		await move(id, admin, 'dispatch', { departmentId: p.zhujian });
		const rows = await noticesOf(id);
		expect(rows).toEqual([zj.id, zj2.id].sort(num).map((r) => ({ recipient_id: r, kind: 'dispatched', stage: null })));
		expect(rows.map((r) => r.recipient_id)).not.toContain(zjOff);
		expect(rows.map((r) => r.recipient_id)).not.toContain(cg.id);
		// 接单 tells nobody
		await move(id, zj, 'accept');
		expect(await noticesOf(id)).toHaveLength(2);
	});

	it('a move refused writes no notice (same transaction)', async () => {
		const id = await report();
		await expect(move(id, gmA, 'dispatch', { departmentId: p.zhujian })).rejects.toMatchObject({ status: 403 });
		await expect(move(id, cg, 'dispatch', { departmentId: p.zhujian })).rejects.toMatchObject({ status: 404 });
		await expect(moveRequest(asUser(getDb(), admin), admin, { requestId: id, action: 'dispatch', version: 99, departmentId: p.zhujian, now: NOW })).rejects.toMatchObject({ status: 409 });
		expect(await noticesOf(id)).toEqual([]);
	});

	it('吹哨 tells the summoned departments, 退单 the command centre and the reporter, 返工 the department; never the mover', async () => {
		const w = await report();
		await move(w, admin, 'dispatch', { departmentId: p.zhujian });
		await move(w, zj, 'accept');
		await move(w, zj, 'escalate', { departments: [p.chengguan, p.xiaofang] });
		const whistle = (await noticesOf(w)).filter((n) => n.kind === 'whistle').map((n) => n.recipient_id);
		expect(whistle.sort(num)).toEqual([p.cg, p.xf].sort(num));

		const r = await report();
		await move(r, admin, 'dispatch', { departmentId: p.zhujian });
		await move(r, zj2, 'return');
		expect((await noticesOf(r)).filter((n) => n.kind === 'returned').map((n) => n.recipient_id).sort(num)).toEqual([admin.id, gmA.id].sort(num));

		const o = await report();
		await move(o, admin, 'dispatch', { departmentId: p.zhujian });
		await move(o, zj, 'accept');
		await move(o, zj, 'resolve');
		await move(o, gmA, 'evaluate', { satisfaction: 'unsatisfied', solved: false });
		await move(o, gmA, 'reopen');
		expect((await noticesOf(o)).filter((n) => n.kind === 'reopened').map((n) => n.recipient_id).sort(num)).toEqual([zj.id, zj2.id].sort(num));
	});

	it('row-level security: a user reads and marks only their own notices', async () => {
		const id = await report();
		await move(id, admin, 'dispatch', { departmentId: p.zhujian });
		const zjDb = asUser(getDb(), zj);
		const cgDb = asUser(getDb(), cg);
		// even asking for another user's rows by name returns nothing
		const raw = await cgDb.sql`SELECT * FROM notifications WHERE request_id = ${id}`;
		expect(raw).toEqual([]);
		expect((await listNotices(cgDb, zj.id)).items).toEqual([]);
		expect(await markRead(cgDb, zj.id, 'all')).toBe(0);
		const mine = await zjDb.sql<{ recipient_id: number }>`SELECT recipient_id FROM notifications`;
		expect(mine.length).toBeGreaterThan(0);
		expect(new Set(mine.map((m) => m.recipient_id))).toEqual(new Set([zj.id]));
		// nor can anyone change whose notice it is, or plant one about a request they cannot see
		await expect(cgDb.sql`INSERT INTO notifications (recipient_id, kind, request_id) VALUES (${zj.id}, 'dispatched', ${id})`).rejects.toThrow();
		await expect(zjDb.sql`UPDATE notifications SET recipient_id = ${cg.id} WHERE recipient_id = ${zj.id}`).rejects.toThrow();
	});

	it('read marks: by id, only unread ones, then all; the count follows', async () => {
		const a = await report();
		const b = await report();
		await move(a, admin, 'dispatch', { departmentId: p.zhujian });
		await move(b, admin, 'dispatch', { departmentId: p.zhujian });
		const db = asUser(getDb(), zj2);
		const page = await listNotices(db, zj2.id, { limit: 100 });
		expect(page.items[0].requestId).toBe(b); // newest first
		expect(page.items[0].text).toMatch(/^新派单：/);
		const before = page.unread;
		expect(before).toBeGreaterThanOrEqual(2);
		expect(await markRead(db, zj2.id, [page.items[0].id])).toBe(1);
		expect(await markRead(db, zj2.id, [page.items[0].id])).toBe(0);
		expect(await unreadCount(db, zj2.id)).toBe(before - 1);
		// zj's copy of the same dispatch is still unread
		const zjPage = await listNotices(asUser(getDb(), zj), zj.id, { limit: 100, unreadOnly: true });
		expect(zjPage.items.some((n) => n.requestId === b)).toBe(true);
		expect(await markRead(db, zj2.id, 'all')).toBe(before - 1);
		expect(await unreadCount(db, zj2.id)).toBe(0);
		// paging: one per page, then the next
		const one = await listNotices(db, zj2.id, { limit: 1 });
		expect(one.items).toHaveLength(1);
		const two = await listNotices(db, zj2.id, { limit: 1, before: one.nextBefore });
		expect(two.items[0].id).toBeLessThan(one.items[0].id);
	});

	it('a deadline within 24 h warns each active staff of the department once per request and stage, however often the job runs', async () => {
		const id = await report();
		await move(id, admin, 'dispatch', { departmentId: p.zhujian });
		const [{ accept_deadline: accept }] = await getDb().sql<{ accept_deadline: Date }>`SELECT accept_deadline FROM requests WHERE id = ${id}`;
		// the periodic job runs as the database owner, over all departments, not as a reader
		const scan = (t: Date) => writeDueDeadlineNotices(getDb(), t);
		const deadlineRows = async () => (await noticesOf(id)).filter((n) => n.kind === 'deadline');
		const staff = [zj.id, zj2.id].sort(num); // zhujian_gone is inactive: not told
		await scan(new Date(accept.getTime() - 30 * HOUR)); // not yet within 24 h
		expect(await deadlineRows()).toEqual([]);
		for (const h of [20, 5, 1]) await scan(new Date(accept.getTime() - h * HOUR));
		expect((await deadlineRows()).map((n) => [n.recipient_id, n.stage])).toEqual(staff.map((u) => [u, 'accept']));
		await scan(new Date(accept.getTime() + HOUR)); // past: no more
		expect(await deadlineRows()).toHaveLength(2);
		// 接单 starts the resolve stage: its deadline warns once more
		await move(id, zj, 'accept');
		const [{ resolve_deadline: resolve }] = await getDb().sql<{ resolve_deadline: Date }>`SELECT resolve_deadline FROM requests WHERE id = ${id}`;
		for (const h of [23, 2]) await scan(new Date(resolve.getTime() - h * HOUR));
		const rows = await deadlineRows();
		expect(rows.filter((n) => n.recipient_id === zj.id).map((n) => n.stage)).toEqual(['accept', 'resolve']);
		// another department, the grid worker, the inactive account: none
		expect([...new Set(rows.map((n) => n.recipient_id))].sort(num)).toEqual(staff);
		expect(rows.map((n) => n.recipient_id)).not.toContain(zjOff);
		const page = await listNotices(asUser(getDb(), zj), zj.id, { limit: 100 });
		expect(page.items.find((n) => n.requestId === id && n.stage === 'resolve')?.text).toMatch(/^办结时限 24 小时内到期：/);
	});

	it('the live feed carries a notice to its recipient only', async () => {
		const scope = (a: Actor): LiveViewerScope => ({ role: a.role, jurisdiction: null, grids: [], departmentId: a.departmentId, userId: a.id });
		const open = (a: Actor) => {
			const reader = sseResponse(getDb(), hub, scope(a), null, { pingMs: 60_000 }).body!.getReader();
			let text = '';
			// one read in flight at a time: a read that lost the race still delivers its chunk later
			let reading: Promise<void> | null = null;
			const pump = async (ms: number) => {
				const until = Date.now() + ms;
				while (Date.now() < until) {
					reading ??= reader.read().then((r) => {
						reading = null;
						if (!r.done) text += new TextDecoder().decode(r.value);
					});
					await Promise.race([reading, new Promise((res) => setTimeout(res, 100))]);
				}
				return text;
			};
			return { pump, cancel: () => reader.cancel() };
		};
		const mine = open(zj), theirs = open(cg), boss = open(admin);
		await Promise.all([mine.pump(300), theirs.pump(300), boss.pump(300)]);
		const id = await report();
		await move(id, admin, 'dispatch', { departmentId: p.zhujian });
		const [zjText, cgText, adminText] = await Promise.all([mine.pump(1500), theirs.pump(1500), boss.pump(1500)]);
		const notices = (t: string) => [...t.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1])).filter((e) => e.kind === 'notice');
		expect(notices(zjText).filter((e) => e.rid === id)).toEqual([expect.objectContaining({ user: zj.id, notice: 'dispatched', rid: id })]);
		expect(notices(cgText)).toEqual([]);
		// the admin sees the status change, not zj's or zj2's notices
		expect(adminText).toContain(`"rid":${id}`);
		expect(notices(adminText)).toEqual([]);
		await Promise.all([mine.cancel(), theirs.cancel(), boss.cancel()]);
	});
});
