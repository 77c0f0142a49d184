// The structured 敲门行动 record (0017) on both back ends: who was met, situation tags, needs found;
// validation naming the field, nothing half-written; exactly once with an idempotency key (an
// offline outbox replaying), and a 422 for the same key with another body or from another user.
import { beforeAll, expect, it } from 'vitest';
import { MET, parseDoorKnock } from '../../src/lib/domain/doorknock';
import { householdDetail } from '../../src/lib/server/queries/details';
import type { Actor } from '../../src/lib/domain/workflow';
import { asUser } from '../../src/lib/server/access/userdb';
import { householdsInGrids, recordDoorKnock } from '../../src/lib/server/requests/households';
import { reportRequest } from '../../src/lib/server/requests/report';
import { parseNewRequest } from '../../src/lib/domain/requestinput';
import { describeBackends, unique } from './helpers/backends';
import { insertLoopFixture, RL, type People } from './requests.fixture';

const NOW = new Date('2025-06-02T02:00:00Z'); // a Monday, 10:00 CST

describeBackends('door-knock record', (getDb) => {
	let p: People;
	let gmA: Actor, gmB: Actor;
	beforeAll(async () => {
		p = await insertLoopFixture(getDb(), NOW);
		gmA = { id: p.gmA, role: 'grid_manager', departmentId: null };
		gmB = { id: p.gmB, role: 'grid_manager', departmentId: null };
	});
	// as the server runs it: as the grid manager, under row-level security
	const knock = (actor: Actor, body: Record<string, unknown>, key: string | null = null, now = NOW) =>
		recordDoorKnock(asUser(getDb(), { ...actor }), actor, parseDoorKnock(body, { metRequired: true }, now), key, now);
	const knocksOf = async (householdId: number) =>
		getDb().sql<{ id: number; met: string | null; tags: string[]; needs: string | null; note: string | null; idempotency_key: string | null }>`
			SELECT id, met, tags, needs, note, idempotency_key FROM door_knocks WHERE household_id = ${householdId} ORDER BY id`;

	it('records who was met, the situation tags and the needs; the household counts as visited, its registered tags unchanged', async () => {
		const h = p.households[3]; // never visited
		const before = await householdsInGrids(asUser(getDb(), { ...gmA }), [RL.gridA], 30, NOW);
		const k = await knock(gmA, { householdId: h, met: 'family', tags: ['elderly_alone', 'empty_nest', 'elderly_alone'], needs: '  楼道灯坏了，需要更换 ', note: '女儿在家' });
		expect(k).toMatchObject({ householdId: h, met: 'family', tags: ['elderly_alone', 'empty_nest'], needs: '楼道灯坏了，需要更换', note: '女儿在家', address: '1栋101', replayed: false });
		expect(k.lon).toBeCloseTo(113.004, 6);
		expect(k.lat).toBeCloseTo(28.204, 6);
		const rows = await knocksOf(h);
		expect(rows.map(({ met, tags, needs }) => ({ met, tags, needs }))).toEqual([{ met: 'family', tags: ['elderly_alone', 'empty_nest'], needs: '楼道灯坏了，需要更换' }]);
		const [hh] = await getDb().sql<{ tags: string[]; last_visit_at: Date }>`SELECT tags, last_visit_at FROM households WHERE id = ${h}`;
		expect(hh.tags).toEqual([]); // 台账 tags are not changed at the door
		expect(hh.last_visit_at.toISOString()).toBe(NOW.toISOString());
		const after = await householdsInGrids(asUser(getDb(), { ...gmA }), [RL.gridA], 30, NOW);
		expect(after.visited).toBe(before.visited + 1);
		expect(after.rows.find((r) => r.id === h)).toMatchObject({ due: false, lastMet: 'family', foundTags: ['elderly_alone', 'empty_nest'], lastNeeds: '楼道灯坏了，需要更换' });
		// the map's details panel shows what this knock found
		expect(await householdDetail(asUser(getDb(), { ...gmA }), h)).toMatchObject({ knocks: 1, lastKnock: { at: NOW.toISOString(), met: MET.family, needs: '楼道灯坏了，需要更换' } });
	});

	it('refuses bad input with a Chinese message naming the field', () => {
		const h = p.households[0];
		const refuse = (body: Record<string, unknown>, field: string, text: string, metRequired = true) => {
			expect(() => parseDoorKnock({ householdId: h, ...body }, { metRequired }, NOW)).toThrowError(expect.objectContaining({ status: 400, field, message: expect.stringContaining(text) }));
		};
		refuse({}, 'met', '请选择见到了谁（met）');
		refuse({ met: 'stranger' }, 'met', '未知的见面对象（met）');
		refuse({ met: 'head', tags: ['rich'] }, 'tags', '未知的住户情况标签（tags）');
		refuse({ met: 'head', tags: 'elderly_alone,low_income' }, 'tags', '可选：elderly_alone（独居老人）');
		refuse({ met: 'nobody', tags: ['disabled'] }, 'tags', '未遇到住户时不能填写住户情况');
		refuse({ met: 'nobody', needs: '要修水管' }, 'needs', '未遇到住户时不能填写发现的需求');
		refuse({ met: 'head', needs: '长'.repeat(501) }, 'needs', '不能超过 500 个字');
		refuse({ met: 'head', note: 12 }, 'note', '走访记录（note）必须是文字');
		refuse({ met: 'head', visitedAt: '2025-06-03T02:00:00Z' }, 'visitedAt', '不能晚于现在');
		refuse({ met: 'head', visitedAt: 'yesterday' }, 'visitedAt', 'ISO 8601');
		refuse({ needs: '要修水管' }, 'met', '请选择见到了谁', false); // API: met optional, but not with findings
		expect(() => parseDoorKnock({ householdId: 'x', met: 'head' }, { metRequired: true })).toThrowError(expect.objectContaining({ field: 'householdId' }));
		// the API still takes a bare {householdId, note} from clients older than the structured record
		expect(parseDoorKnock({ householdId: h, note: ' 故障测试 ' }, { metRequired: false })).toEqual({ householdId: h, met: null, tags: [], needs: null, note: '故障测试', visitedAt: null });
	});

	it('writes nothing for a refused knock, and the database itself refuses rows the domain would not make', async () => {
		const h = p.households[2];
		const before = await knocksOf(h);
		// another grid's household: row-level security hides it from gmB
		await expect(knock(gmB, { householdId: h, met: 'head' })).rejects.toMatchObject({ status: 400, field: 'householdId' });
		await expect(knock(gmA, { householdId: 99_999_999, met: 'head' })).rejects.toMatchObject({ status: 400, field: 'householdId' });
		expect(await knocksOf(h)).toEqual(before);
		// rows written as before 0017 (household, visitor, time only: the fixture's) stay valid
		expect((await knocksOf(p.households[0])).map(({ met, tags, needs }) => ({ met, tags, needs }))).toEqual([{ met: null, tags: [], needs: null }]);
		const insert = (met: string | null, tags: string[], needs: string | null) =>
			getDb().sql`INSERT INTO door_knocks (household_id, visitor_id, visited_at, met, tags, needs) VALUES (${h}, ${p.gmA}, ${NOW}, ${met}, ${tags}::text[], ${needs})`;
		for (const [met, tags, needs] of [['boss', [], null], ['head', ['rich'], null], ['nobody', ['disabled'], null], ['nobody', [], '修水管'], [null, [], '修水管'], ['head', [], '  ']] as const) {
			await expect(insert(met, [...tags], needs), `${met} ${tags} ${needs}`).rejects.toMatchObject({ code: '23514' });
		}
		expect(await knocksOf(h)).toEqual(before);
	});

	it('records exactly once with the same idempotency key: a replay answers the first record (in sequence and at once)', async () => {
		const h = p.households[2];
		const body = { householdId: h, met: 'head', tags: ['low_income'], needs: '想申请临时救助', visitedAt: new Date(NOW.getTime() - 3600_000).toISOString() };
		const before = (await knocksOf(h)).length;
		const key = unique('knock-');
		const first = await knock(gmA, body, key);
		const again = await knock(gmA, body, key);
		expect(first.replayed).toBe(false);
		expect(again).toEqual({ ...first, replayed: true });
		// an outbox syncing twice at once
		const key2 = unique('knock-');
		const both = await Promise.all([knock(gmA, { ...body, needs: '另一件事' }, key2), knock(gmA, { ...body, needs: '另一件事' }, key2)]);
		expect(both[0].id).toBe(both[1].id);
		expect(both.filter((k) => k.replayed).length).toBe(1);
		const rows = await knocksOf(h);
		expect(rows.length).toBe(before + 2);
		expect(rows.filter((r) => r.idempotency_key === key).length).toBe(1);
		// the knock made offline an hour ago keeps its own time; last_visit_at never moves back
		const [hh] = await getDb().sql<{ last_visit_at: Date }>`SELECT last_visit_at FROM households WHERE id = ${h}`;
		expect(hh.last_visit_at.toISOString()).toBe(new Date(NOW.getTime() - 3600_000).toISOString());
	});

	it('the same key with another body, from another user, or after a 点单 is a 422 and records nothing more', async () => {
		const h = p.households[1];
		const key = unique('knock-');
		await knock(gmA, { householdId: h, met: 'tenant', note: '租户在家' }, key);
		const count = (await knocksOf(h)).length;
		await expect(knock(gmA, { householdId: h, met: 'tenant', note: '另一次' }, key)).rejects.toMatchObject({ status: 422, code: 'idempotency_key_reused', field: 'Idempotency-Key' });
		await expect(knock(gmA, { householdId: p.households[0], met: 'tenant', note: '租户在家' }, key)).rejects.toMatchObject({ status: 422, code: 'idempotency_key_reused' });
		const admin: Actor = { id: p.admin, role: 'admin', departmentId: null };
		await expect(knock(admin, { householdId: h, met: 'tenant', note: '租户在家' }, key)).rejects.toMatchObject({ status: 422, code: 'idempotency_key_reused' });
		expect((await knocksOf(h)).length).toBe(count);
		// a key a report used is not a door-knock's
		const reportKey = unique('report-');
		await reportRequest(asUser(getDb(), { ...gmA }), gmA, parseNewRequest({ categoryCode: 'property.elevator', description: '电梯停运', lon: RL.pointA[0], lat: RL.pointA[1] }), null, reportKey, NOW);
		await expect(knock(gmA, { householdId: h, met: 'head' }, reportKey)).rejects.toMatchObject({ status: 422, code: 'idempotency_key_reused' });
		expect((await knocksOf(h)).length).toBe(count);
	});
});
