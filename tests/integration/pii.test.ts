// Unmasking personal data: only the grid's own 网格员 and admins, with a reason, always logged in
// audit_log; a refused or bad request reveals nothing and logs nothing. Calls run as the user
// (asUser: the app role under row-level security), as the server runs them.
import { beforeAll, expect, it } from 'vitest';
import type { SessionUser } from '../../src/lib/server/auth/user';
import { parseReason, unmaskHousehold } from '../../src/lib/server/pii/unmask';
import { asUser } from '../../src/lib/server/access/userdb';
import { describeBackends, unique } from './helpers/backends';
import { ensurePlace } from './helpers/fixtures';

describeBackends('unmasking personal data', (getDb) => {
	let household: number;
	const users: Record<string, SessionUser> = {};
	const logCount = async () => (await getDb().sql`SELECT count(*) AS n FROM audit_log WHERE action = 'unmask' AND subject = ${'household:' + household}`)[0].n;
	const as = (key: string) => asUser(getDb(), users[key]);

	beforeAll(async () => {
		const db = getDb();
		const place = await ensurePlace(db);
		const [b] = await db.sql`INSERT INTO buildings (grid_code, name, kind, geom) VALUES (${place.grid}, '测试楼', 'apartment', 'SRID=4326;POINT(112.905 28.205)') RETURNING id`;
		const [h] = await db.sql`INSERT INTO households (building_id, grid_code, address, head_name, phone, id_number, size, geom)
			VALUES (${b.id}, ${place.grid}, '测试地址', '张三华', '13812341234', '430199199001011234', 3, 'SRID=4326;POINT(112.905 28.205)') RETURNING id`;
		household = h.id;
		for (const [key, role] of [['own', 'grid_manager'], ['other', 'grid_manager'], ['leader', 'leader'], ['admin', 'admin']] as const) {
			const [u] = await db.sql`INSERT INTO users (username, display_name, role, jurisdiction_code) VALUES (${unique(key)}, ${key}, ${role}, ${role === 'leader' ? place.district : null}) RETURNING id`;
			users[key] = { id: u.id, username: key, displayName: key, role, departmentId: null, title: null };
		}
		await db.sql`INSERT INTO user_grids (user_id, grid_code) VALUES (${users.own.id}, ${place.grid})`;
	});

	it("shows the grid's own 网格员 the whole record and logs who, what and why", async () => {
		const before = await logCount();
		const r = await unmaskHousehold(as('own'), users.own, household, '入户走访核实联系方式');
		expect(r).toMatchObject({ name: '张三华', phone: '13812341234', idNumber: '430199199001011234' });
		expect(await logCount()).toBe(before + 1);
		const [log] = await getDb().sql`SELECT user_id, detail->'fields' AS fields, reason FROM audit_log WHERE subject = ${'household:' + household} ORDER BY id DESC LIMIT 1`;
		expect(log).toEqual({ user_id: users.own.id, fields: ['head_name', 'phone', 'id_number'], reason: '入户走访核实联系方式' });
	});

	it('lets an admin see it too, logged', async () => {
		const before = await logCount();
		expect((await unmaskHousehold(as('admin'), users.admin, household, '核查数据质量问题')).phone).toBe('13812341234');
		expect(await logCount()).toBe(before + 1);
	});

	it("refuses another grid's 网格员 (who cannot even see the household) and a leader, and logs nothing", async () => {
		const before = await logCount();
		await expect(unmaskHousehold(as('other'), users.other, household, '入户走访核实联系方式')).rejects.toThrow(/没有编号为/);
		await expect(unmaskHousehold(as('leader'), users.leader, household, '入户走访核实联系方式')).rejects.toThrow(/只有该网格的网格员和管理员/);
		expect(await logCount()).toBe(before);
	});

	it('answers a missing household with not found', async () => {
		await expect(unmaskHousehold(as('admin'), users.admin, 2 ** 31 - 2, '核查数据质量问题')).rejects.toThrow(/没有编号为/);
	});
});

it('requires a reason of 4 to 200 characters, naming the field', () => {
	expect(() => parseReason({})).toThrow(/reason/);
	expect(() => parseReason({ reason: '看看' })).toThrow('至少 4 个字');
	expect(() => parseReason({ reason: 'x'.repeat(201) })).toThrow('不能超过 200 个字');
	expect(parseReason({ reason: '  入户走访核实  ' })).toBe('入户走访核实');
});
