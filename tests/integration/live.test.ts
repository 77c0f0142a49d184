// Live events for the big screen on both back ends: triggers of 0006_live.sql → NOTIFY → Db.listen
// → LiveHub → an SSE response, with replay after a reconnect (Last-Event-ID) and no personal data.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseNewRequest } from '../../src/lib/domain/requestinput';
import { LiveHub, type LiveEvent } from '../../src/lib/server/live/hub';
import { liveViewerScope, sseResponse } from '../../src/lib/server/live/sse';
import type { LiveViewerScope } from '../../src/lib/domain/livefilter';
import { reportRequest } from '../../src/lib/server/requests/report';
import { moveRequest } from '../../src/lib/server/requests/transition';
import { describeBackends, unique } from './helpers/backends';
import { insertLoopFixture, RL, type People } from './requests.fixture';

/** Reads SSE frames from a Response body; `next(pred)` waits for the first matching frame. */
function sseReader(res: Response) {
	const reader = res.body!.getReader();
	const dec = new TextDecoder();
	let buf = '';
	const frames: { id?: string; event?: string; data?: string }[] = [];
	async function pump(): Promise<void> {
		const { value, done } = await reader.read();
		if (done) throw new Error('stream ended');
		buf += dec.decode(value, { stream: true });
		let i;
		while ((i = buf.indexOf('\n\n')) >= 0) {
			const f: Record<string, string> = {};
			for (const line of buf.slice(0, i).split('\n')) {
				const m = /^(\w+): ?(.*)$/.exec(line);
				if (m) f[m[1]] = m[2];
			}
			frames.push(f);
			buf = buf.slice(i + 2);
		}
	}
	return {
		frames,
		async next(pred: (f: { id?: string; event?: string; data?: string }) => boolean, ms = 5000) {
			const until = Date.now() + ms;
			for (;;) {
				const hit = frames.find(pred);
				if (hit) return hit;
				if (Date.now() > until) throw new Error(`no matching SSE frame in ${ms} ms; got ${JSON.stringify(frames)}`);
				await Promise.race([pump(), new Promise((r) => setTimeout(r, 100))]);
			}
		},
		cancel: () => reader.cancel()
	};
}

const ADMIN: LiveViewerScope = { role: 'admin', jurisdiction: null, grids: [], departmentId: null };
const liveData = (f: { event?: string; data?: string }) => (f.event === 'live' ? (JSON.parse(f.data!) as LiveEvent) : null);

describeBackends('live events', (getDb) => {
	let p: People;
	let hub: LiveHub;
	const got: LiveEvent[] = [];
	beforeAll(async () => {
		const db = getDb();
		p = await insertLoopFixture(db, new Date());
		hub = new LiveHub(db);
		await hub.start();
		hub.subscribe((e) => got.push(e));
	});
	afterAll(async () => hub?.stop());

	const insertBySql = async (code: string, reportedAt = new Date()) => {
		const [{ id }] = await getDb().sql<{ id: number }>`
			INSERT INTO requests (code, category_code, channel, status, title, grid_code, reporter_name, reporter_phone, address, reported_at, geom)
			VALUES (${code}, 'property.elevator', 'hotline_12345', 'reported', '王小明家电梯坏了', ${RL.gridA}, '王小明', '13812345678', '1栋101',
			        ${reportedAt}, 'SRID=4326;POINT(113.004567 28.204321)') RETURNING id`;
		return id;
	};
	const waitFor = async (pred: (e: LiveEvent) => boolean, ms = 5000) => {
		for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
			const e = got.find(pred);
			if (e) return e;
		}
		throw new Error('event did not arrive');
	};

	it('Db.listen delivers NOTIFY payloads until unlisten', async () => {
		const channel = unique('ch_');
		const seen: string[] = [];
		let listening = 0;
		const unlisten = await getDb().listen(channel, (m) => seen.push(m), () => listening++);
		expect(listening).toBe(1);
		await getDb().sql`SELECT pg_notify(${channel}, '甲')`;
		for (let i = 0; i < 100 && !seen.length; i++) await new Promise((r) => setTimeout(r, 20));
		expect(seen).toEqual(['甲']);
		await unlisten();
		await getDb().sql`SELECT pg_notify(${channel}, '乙')`;
		await new Promise((r) => setTimeout(r, 200));
		expect(seen).toEqual(['甲']);
	});

	it('a request inserted by plain SQL reaches an SSE client, with no personal field', async () => {
		const res = sseResponse(getDb(), hub, ADMIN, null, { pingMs: 60_000 });
		const sse = sseReader(res);
		await sse.next((f) => f.event === 'hello');
		const code = unique('SQL');
		const id = await insertBySql(code);
		const f = await sse.next((f) => liveData(f)?.code === code);
		const e = liveData(f)!;
		expect(f.id).toBe(String(e.id));
		expect(e).toMatchObject({ kind: 'request', rid: id, code, cat: 'property.elevator', catName: '物业管理/电梯故障', grid: RL.gridA, status: 'reported', lon: 113.0046, lat: 28.2043 });
		expect(f.data).not.toMatch(/王小明|138\d{8}|1栋101|电梯坏了/);
		await sse.cancel();
	});

	it('status changes through request_transition() are events; unchanged status and history are not', async () => {
		const r = await reportRequest(getDb(), { id: p.gmA, role: 'grid_manager', departmentId: null },
			parseNewRequest({ categoryCode: 'property.elevator', description: '测试', lon: RL.pointA[0], lat: RL.pointA[1] }), null, null);
		await moveRequest(getDb(), { id: p.admin, role: 'admin', departmentId: null }, { requestId: r.id, action: 'dispatch', version: 1, departmentId: p.zhujian, reason: '测试', now: new Date() });
		const status = await waitFor((e) => e.kind === 'status' && e.rid === r.id);
		expect(status).toMatchObject({ from: 'reported', status: 'dispatched', dept: p.zhujian });
		await getDb().sql`UPDATE requests SET description = '改描述' WHERE id = ${r.id}`;
		const old = unique('OLD');
		await insertBySql(old, new Date(Date.now() - 3 * 86_400_000));
		const [{ n }] = await getDb().sql<{ n: number }>`SELECT count(*) AS n FROM live_events WHERE payload->>'code' = ${old}`;
		expect(n).toBe(0);
		// the 派单 also tells the department's staff (a notice, 0018), on the feed as a notice event
		expect(got.filter((e) => e.rid === r.id).map((e) => e.kind)).toEqual(['request', 'status', 'notice']);
	});

	it('a reconnect with Last-Event-ID replays what was missed, in order, once', async () => {
		const before = hub.latest;
		const codes = [unique('GAP'), unique('GAP'), unique('GAP')];
		for (const c of codes) await insertBySql(c);
		await waitFor((e) => e.code === codes[2]);
		const sse = sseReader(sseResponse(getDb(), hub, ADMIN, before, { pingMs: 60_000 }));
		await sse.next((f) => f.event === 'hello');
		const after = codes.map(() => unique('NEW'));
		for (const c of after) await insertBySql(c);
		await sse.next((f) => liveData(f)?.code === after[2]);
		const seen = sse.frames.map(liveData).filter((e): e is LiveEvent => !!e);
		expect(seen.map((e) => e.code)).toEqual([...codes, ...after]);
		const ids = seen.map((e) => e.id);
		expect(ids).toEqual([...ids].sort((a, b) => a - b));
		expect(new Set(ids).size).toBe(ids.length);
		await sse.cancel();
	});

	it('whistle, 报到 and hazard changes are events too', async () => {
		const code = unique('H');
		await getDb().sql`INSERT INTO hazards (code, type, severity, status, title, grid_code, found_at, rectify_deadline, geom)
			VALUES (${code}, 'gas', 4, 'open', '张三家燃气泄漏', ${RL.gridB}, now(), now() + interval '3 days', 'SRID=4326;POINT(113.015 28.205)')`;
		const h = await waitFor((e) => e.kind === 'hazard' && e.grid === RL.gridB && e.severity === 4);
		expect(JSON.stringify(h)).not.toContain('张三');
		const id = await insertBySql(unique('W'));
		await getDb().sql`INSERT INTO whistle_summons (request_id, department_id, summoned_at, deadline) VALUES (${id}, ${p.chengguan}, now(), now() + interval '1 day')`;
		await waitFor((e) => e.kind === 'whistle' && e.rid === id);
		await getDb().sql`UPDATE whistle_summons SET checked_in_at = now() WHERE request_id = ${id}`;
		expect(await waitFor((e) => e.kind === 'checkin' && e.rid === id)).toMatchObject({ dept: p.chengguan, grid: RL.gridA });
	});

	it("each stream hears only its viewer's events, live and replayed; the screen gets no code and no point", async () => {
		const db = getDb();
		const { gmA, gmB, zj } = p;
		const [s] = await db.sql<{ id: number }>`INSERT INTO users (username, display_name, role) VALUES (${unique('scr')}, '大屏', 'screen') RETURNING id`;
		const scopeA = await liveViewerScope(db, gmA);
		expect(scopeA).toMatchObject({ role: 'grid_manager', grids: [RL.gridA] });
		const before = hub.latest;
		const inA = unique('INA');
		const inB = unique('INB');
		await insertBySql(inA);
		const [{ id: idB }] = await db.sql<{ id: number }>`
			INSERT INTO requests (code, category_code, channel, status, title, grid_code, reported_at, geom)
			VALUES (${inB}, 'property.elevator', 'grid', 'reported', '乙网格的诉求', ${RL.gridB}, now(), 'SRID=4326;POINT(113.015 28.205)') RETURNING id`;
		await waitFor((e) => e.code === inB);
		const open = async (userId: number, after: number | null) => {
			const sse = sseReader(sseResponse(db, hub, await liveViewerScope(db, userId), after, { pingMs: 60_000 }));
			await sse.next((f) => f.event === 'hello');
			return sse;
		};
		// replay (Last-Event-ID) applies the same filter as the live stream
		const a = await open(gmA, before);
		const b = await open(gmB, before);
		const scr = await open(s.id, before);
		const dep = await open(zj, before);
		const live = unique('LIVEB');
		await db.sql`INSERT INTO requests (code, category_code, channel, status, title, grid_code, reported_at, geom)
			VALUES (${live}, 'property.elevator', 'grid', 'reported', '乙网格又一件', ${RL.gridB}, now(), 'SRID=4326;POINT(113.0151 28.2051)')`;
		await b.next((f) => liveData(f)?.code === live);
		const scrLast = await scr.next((f) => f.event === 'live' && liveData(f)!.grid === RL.gridB && liveData(f)!.id > before + 2);
		await new Promise((r) => setTimeout(r, 300)); // let the other streams receive the live event too
		const codes = (x: ReturnType<typeof sseReader>) => x.frames.map(liveData).filter((e): e is LiveEvent => !!e).map((e) => e.code);
		expect(codes(a)).toContain(inA);
		expect(codes(a)).not.toContain(inB);
		expect(codes(a)).not.toContain(live);
		expect(codes(b)).toEqual(expect.arrayContaining([inB, live]));
		expect(codes(b)).not.toContain(inA);
		expect(a.frames.map(liveData).some((e) => e?.rid === idB)).toBe(false);
		// department staff: nothing dispatched to them here
		expect(codes(dep)).toEqual([]);
		// the screen: every event, aggregates only
		const screenEvents = scr.frames.map(liveData).filter((e): e is LiveEvent => !!e);
		expect(screenEvents.map((e) => e.grid)).toEqual(expect.arrayContaining([RL.gridA, RL.gridB]));
		expect(scrLast).toBeTruthy();
		for (const e of screenEvents) {
			expect(e).not.toHaveProperty('code');
			expect(e).not.toHaveProperty('rid');
			expect(e).not.toHaveProperty('lon');
			expect(e).not.toHaveProperty('lat');
		}
		expect(screenEvents.find((e) => e.grid === RL.gridA && e.kind === 'request')).toMatchObject({ cat: 'property.elevator', status: 'reported' });
		for (const x of [a, b, scr, dep]) await x.cancel();
	});

	it('a rolled-back insert publishes nothing', async () => {
		const code = unique('RB');
		await expect(getDb().transaction(async (tx) => {
			await tx.sql`INSERT INTO requests (code, category_code, channel, status, title, grid_code, reported_at, geom)
				VALUES (${code}, 'property.elevator', 'grid', 'reported', 'x', ${RL.gridA}, now(), 'SRID=4326;POINT(113.004 28.204)')`;
			throw new Error('undo');
		})).rejects.toThrow('undo');
		const next = unique('AFTER');
		await insertBySql(next);
		await waitFor((e) => e.code === next);
		expect(got.some((e) => e.code === code)).toBe(false);
	});
});
