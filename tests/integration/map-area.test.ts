// Where each role's map opens and which grids are theirs (server/queries/userArea.ts), computed as
// the user on the handle every request gets (asUser). Two grids side by side in two streets:
// A (112.90–112.91) and B (112.91–112.92); one open request in B dispatched to a department.
import { beforeAll, expect, it } from 'vitest';
import { asUser } from '../../src/lib/server/access/userdb';
import type { Role, SessionUser } from '../../src/lib/server/auth/user';
import { userArea } from '../../src/lib/server/queries/userArea';
import { describeBackends, unique } from './helpers/backends';
import { ensurePlace, ensureSecondPlace } from './helpers/fixtures';

describeBackends('the user\'s map area', (getDb) => {
	const district = String(450000 + Math.floor(Math.random() * 9000)).padStart(6, '0');
	const users = {} as Record<'admin' | 'leaderA' | 'managerA' | 'department' | 'mediator', SessionUser>;
	let grids: { A: string; B: string };
	const area = (who: keyof typeof users) => userArea(asUser(getDb(), users[who]));

	beforeAll(async () => {
		const db = getDb();
		const place = await ensurePlace(db, district);
		grids = { A: place.grid, B: (await ensureSecondPlace(db, district)).grid };
		const [dept] = await db.sql`INSERT INTO departments (code, name) VALUES (${unique('dx')}, '测试部门') RETURNING id`;
		const roles: Record<keyof typeof users, [Role, string | null, number | null]> = {
			admin: ['admin', null, null], leaderA: ['leader', place.street, null], managerA: ['grid_manager', null, null],
			department: ['department_staff', null, dept.id], mediator: ['mediator', null, null]
		};
		for (const [who, [role, jurisdiction, departmentId]] of Object.entries(roles)) {
			const [u] = await db.sql`INSERT INTO users (username, display_name, role, jurisdiction_code, department_id)
				VALUES (${unique(who)}, ${who}, ${role}, ${jurisdiction}, ${departmentId}) RETURNING id, username`;
			users[who as keyof typeof users] = { id: u.id, username: u.username, displayName: who, role, departmentId, title: null, jurisdiction };
		}
		await db.sql`INSERT INTO user_grids (user_id, grid_code) VALUES (${users.managerA.id}, ${grids.A})`;
		const [cat] = await db.sql`SELECT code FROM categories LIMIT 1`;
		const category = cat?.code ?? (await db.sql`INSERT INTO categories (code, name) VALUES (${unique('c')}, '测试类别') RETURNING code`)[0].code;
		await db.sql`INSERT INTO requests (code, kind, category_code, channel, status, title, grid_code, department_id, reporter_name, reported_at, geom)
			VALUES (${unique('R')}, 'request', ${category}, 'grid', 'dispatched', '诉求', ${grids.B}, ${dept.id}, '李四明', now(), 'SRID=4326;POINT(112.915 28.205)')`;
	});

	it('an admin opens on every grid, all of them theirs', async () => {
		const a = await area('admin');
		expect(a?.grids).toBeNull();
		expect(a!.bbox[0]).toBeLessThanOrEqual(112.9);
		expect(a!.bbox[2]).toBeGreaterThanOrEqual(112.92);
	});

	it('a street leader opens on their street, a grid manager on their grid: the others are not theirs', async () => {
		for (const who of ['leaderA', 'managerA'] as const) {
			const a = await area(who);
			expect(a?.grids).toEqual([grids.A]);
			expect(a!.bbox).toEqual([112.9, 28.2, 112.91, 28.21]);
		}
	});

	it('a department opens on its open work and has no grid of its own; a mediator without work on the district', async () => {
		const d = await area('department');
		expect(d).toEqual({ bbox: [112.915, 28.205, 112.915, 28.205], grids: [] });
		const m = await area('mediator');
		expect(m?.grids).toEqual([]);
		expect(m!.bbox[2]).toBeGreaterThanOrEqual(112.92);
	});
});
