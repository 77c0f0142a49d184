// The access matrix: roles × resources × actions, enforced by PostgreSQL itself (0007_access.sql)
// on the handle the server gives every request (asUser: role grid_app, app.user_id set). The SQL
// here is deliberately careless — no WHERE on the user's grids — because the database must refuse
// what the application forgets.
//
// The fixture: one district with two streets, a grid in each (A, B), a household, a building and a
// hazard in each grid, and four requests: rA in grid A dispatched to department X, rB in grid B
// (nobody's), rW in grid B whistled (吹哨) to X, rM a dispute in grid B assigned to a mediator.
import { beforeAll, expect, it } from 'vitest';
import { asUser, type UserDb } from '../../src/lib/server/access/userdb';
import type { Role, SessionUser } from '../../src/lib/server/auth/user';
import { householdDetail } from '../../src/lib/server/queries/details';
import { maskIdNumber, maskName, maskPhone } from '../../src/lib/domain/mask';
import { describeBackends, unique } from './helpers/backends';
import { ensurePlace, ensureSecondPlace } from './helpers/fixtures';

type Actor = 'admin' | 'screen' | 'leaderDistrict' | 'leaderStreetA' | 'managerA' | 'departmentX' | 'mediator' | 'anonymous';
const ACTORS: Actor[] = ['admin', 'screen', 'leaderDistrict', 'leaderStreetA', 'managerA', 'departmentX', 'mediator', 'anonymous'];

// What each actor may READ of the fixture, by key.
const SEES: Record<Actor, { households: string[]; hazards: string[]; requests: string[] }> = {
	admin: { households: ['A', 'B'], hazards: ['A', 'B'], requests: ['rA', 'rB', 'rM', 'rW'] },
	screen: { households: ['A', 'B'], hazards: ['A', 'B'], requests: ['rA', 'rB', 'rM', 'rW'] },
	leaderDistrict: { households: ['A', 'B'], hazards: ['A', 'B'], requests: ['rA', 'rB', 'rM', 'rW'] },
	leaderStreetA: { households: ['A'], hazards: ['A'], requests: ['rA'] },
	managerA: { households: ['A'], hazards: ['A'], requests: ['rA'] },
	departmentX: { households: [], hazards: [], requests: ['rA', 'rW'] },
	mediator: { households: [], hazards: [], requests: ['rM'] },
	anonymous: { households: [], hazards: [], requests: [] }
};
// What each actor may CHANGE: what it sees, except the big screen, which only reads.
const WRITES = (a: Actor) => (a === 'screen' ? { households: [], hazards: [], requests: [] } : SEES[a]);

describeBackends('access matrix (row-level security as grid_app)', (getDb) => {
	const district = String(440000 + Math.floor(Math.random() * 9000)).padStart(6, '0');
	const ids = { households: {} as Record<string, number>, hazards: {} as Record<string, number>, requests: {} as Record<string, number> };
	const users = {} as Record<Actor, SessionUser | null>;
	let grids: { A: string; B: string };
	const as = (a: Actor): UserDb => asUser(getDb(), users[a]);
	const keysOf = (kind: keyof typeof ids, rows: { id: number }[]) =>
		Object.entries(ids[kind]).filter(([, id]) => rows.some((r) => r.id === id)).map(([k]) => k).sort();
	const fixtureIds = (kind: keyof typeof ids) => Object.values(ids[kind]);

	beforeAll(async () => {
		const db = getDb();
		const place = await ensurePlace(db, district);
		grids = { A: place.grid, B: (await ensureSecondPlace(db, district)).grid };

		const [dept] = await db.sql`INSERT INTO departments (code, name) VALUES (${unique('dx')}, '测试部门X') RETURNING id`;
		const roles: Record<Exclude<Actor, 'anonymous'>, [Role, string | null, number | null]> = {
			admin: ['admin', null, null], screen: ['screen', null, null], leaderDistrict: ['leader', district, null],
			leaderStreetA: ['leader', place.street, null], managerA: ['grid_manager', null, null],
			departmentX: ['department_staff', null, dept.id], mediator: ['mediator', null, null]
		};
		for (const [actor, [role, jurisdiction, departmentId]] of Object.entries(roles)) {
			const [u] = await db.sql`INSERT INTO users (username, display_name, role, jurisdiction_code, department_id)
				VALUES (${unique(actor)}, ${actor}, ${role}, ${jurisdiction}, ${departmentId}) RETURNING id, username`;
			users[actor as Actor] = { id: u.id, username: u.username, displayName: actor, role, departmentId, title: null, jurisdiction };
		}
		users.anonymous = null;
		await db.sql`INSERT INTO user_grids (user_id, grid_code) VALUES (${users.managerA!.id}, ${grids.A})`;

		for (const [key, grid, x] of [['A', grids.A, 112.905], ['B', grids.B, 112.915]] as const) {
			const pt = `SRID=4326;POINT(${x} 28.205)`;
			const [b] = await db.sql`INSERT INTO buildings (grid_code, name, kind, geom) VALUES (${grid}, ${'楼' + key}, 'apartment', ${pt}) RETURNING id`;
			const [h] = await db.sql`INSERT INTO households (building_id, grid_code, address, head_name, phone, id_number, size, geom)
				VALUES (${b.id}, ${grid}, ${'地址' + key}, '张三华', '13812341234', '430199199001011234', 3, ${pt}) RETURNING id`;
			ids.households[key] = h.id;
			await db.sql`INSERT INTO door_knocks (household_id, visited_at) VALUES (${h.id}, now())`;
			await db.sql`INSERT INTO care_visits (household_id, visited_at, situation, help_kind) VALUES (${h.id}, now(), '身体尚好', 'none')`;
			const [z] = await db.sql`INSERT INTO hazards (code, type, severity, status, title, grid_code, found_at, rectify_deadline, geom)
				VALUES (${unique('hz')}, 'gas', 2, 'open', ${'隐患' + key}, ${grid}, now(), now() + interval '7 days', ${pt}) RETURNING id`;
			ids.hazards[key] = z.id;
		}
		const [cat] = await db.sql`SELECT code FROM categories LIMIT 1`;
		const category = cat?.code ?? (await db.sql`INSERT INTO categories (code, name) VALUES (${unique('c')}, '测试类别') RETURNING code`)[0].code;
		const requests: [string, string, number | null, number | null, string][] = [
			['rA', grids.A, dept.id, null, 'request'], ['rB', grids.B, null, null, 'request'],
			['rW', grids.B, null, null, 'request'], ['rM', grids.B, null, users.mediator!.id, 'dispute']
		];
		for (const [key, grid, departmentId, mediatorId, kind] of requests) {
			const [r] = await db.sql`INSERT INTO requests (code, kind, category_code, channel, status, title, grid_code, department_id, mediator_id,
				reporter_name, reporter_phone, reported_at, geom)
				VALUES (${unique('R')}, ${kind}, ${category}, 'grid', 'reported', ${'诉求' + key}, ${grid}, ${departmentId}, ${mediatorId},
				'李四明', '13912345678', now(), 'SRID=4326;POINT(112.91 28.205)') RETURNING id`;
			ids.requests[key] = r.id;
			await db.sql`INSERT INTO request_events (request_id, from_status, to_status, action, at) VALUES (${r.id}, NULL, 'reported', 'report', now())`;
		}
		await db.sql`INSERT INTO whistle_summons (request_id, department_id, summoned_at, deadline)
			VALUES (${ids.requests.rW}, ${dept.id}, now(), now() + interval '1 day')`;
	});

	for (const actor of ACTORS) {
		it(`${actor}: reads exactly its rows of households, hazards, requests and their history`, async () => {
			const db = as(actor);
			const h = await db.sql<{ id: number }>`SELECT id FROM households WHERE id = ANY(${fixtureIds('households')})`;
			const z = await db.sql<{ id: number }>`SELECT id FROM hazards WHERE id = ANY(${fixtureIds('hazards')})`;
			const r = await db.sql<{ id: number }>`SELECT id FROM requests WHERE id = ANY(${fixtureIds('requests')})`;
			const e = await db.sql<{ id: number }>`SELECT request_id AS id FROM request_events WHERE request_id = ANY(${fixtureIds('requests')})`;
			const b = await db.sql<{ n: number }>`SELECT count(*) AS n FROM buildings WHERE grid_code = ANY(${[grids.A, grids.B]})`;
			expect({ households: keysOf('households', h), hazards: keysOf('hazards', z), requests: keysOf('requests', r) }).toEqual(SEES[actor]);
			expect(keysOf('requests', e)).toEqual(SEES[actor].requests);
			const k = await db.sql<{ id: number }>`SELECT household_id AS id FROM door_knocks WHERE household_id = ANY(${fixtureIds('households')})`;
			const c = await db.sql<{ id: number }>`SELECT household_id AS id FROM care_visits WHERE household_id = ANY(${fixtureIds('households')})`;
			expect({ knocks: keysOf('households', k), care: keysOf('households', c) }).toEqual({ knocks: SEES[actor].households, care: SEES[actor].households });
			expect(b[0].n).toBe(SEES[actor].households.length);
		});

		it(`${actor}: changes exactly the rows it may change, and deletes nothing`, async () => {
			const db = as(actor);
			const hz = await db.sql<{ id: number }>`UPDATE hazards SET title = title WHERE id = ANY(${fixtureIds('hazards')}) RETURNING id`;
			const hh = await db.sql<{ id: number }>`UPDATE households SET size = size WHERE id = ANY(${fixtureIds('households')}) RETURNING id`;
			const rq = await db.sql<{ id: number }>`UPDATE requests SET details = details WHERE id = ANY(${fixtureIds('requests')}) RETURNING id`;
			expect({ households: keysOf('households', hh), hazards: keysOf('hazards', hz), requests: keysOf('requests', rq) }).toEqual(WRITES(actor));
			await expect(db.sql`DELETE FROM requests WHERE id = ANY(${fixtureIds('requests')})`).rejects.toMatchObject({ code: '42501' });
			await expect(db.sql`DELETE FROM households WHERE id = ANY(${fixtureIds('households')})`).rejects.toMatchObject({ code: '42501' });
		});

		it(`${actor}: may report a request only inside its grids or jurisdiction`, async () => {
			const db = as(actor);
			const insert = (grid: string) => db.sql`INSERT INTO requests (code, category_code, channel, status, title, grid_code, reported_at, geom)
				SELECT ${unique('N')}, code, 'grid', 'reported', '新诉求', ${grid}, now(), 'SRID=4326;POINT(112.91 28.205)' FROM categories LIMIT 1 RETURNING id`;
			const allowed = (grid: 'A' | 'B') => {
				// departments and mediators have no grids: they report only what they handle themselves
				if (actor === 'anonymous' || actor === 'screen' || actor === 'departmentX' || actor === 'mediator') return false;
				return SEES[actor].households.includes(grid);
			};
			for (const grid of ['A', 'B'] as const) {
				const attempt = insert(grids[grid]);
				if (allowed(grid)) await expect(attempt).resolves.toHaveLength(1);
				else await expect(attempt).rejects.toMatchObject({ code: '42501' });
			}
		});

		it(`${actor}: never reads personal data columns, passwords, sessions or the audit log's history away`, async () => {
			const db = as(actor);
			await expect(db.sql`SELECT phone FROM households LIMIT 1`).rejects.toMatchObject({ code: '42501' });
			await expect(db.sql`SELECT head_name FROM households LIMIT 1`).rejects.toMatchObject({ code: '42501' });
			await expect(db.sql`SELECT reporter_phone FROM requests LIMIT 1`).rejects.toMatchObject({ code: '42501' });
			await expect(db.sql`SELECT password_hash FROM users LIMIT 1`).rejects.toMatchObject({ code: '42501' });
			await expect(db.sql`SELECT * FROM sessions LIMIT 1`).rejects.toMatchObject({ code: '42501' });
			await expect(db.sql`UPDATE audit_log SET reason = 'x'`).rejects.toMatchObject({ code: '42501' });
			await expect(db.sql`DELETE FROM audit_log`).rejects.toMatchObject({ code: '42501' });
			await expect(db.sql`TRUNCATE audit_log`).rejects.toMatchObject({ code: '42501' });
		});

		it(`${actor}: sees masked personal data only of its own households`, async () => {
			const db = as(actor);
			const rows = await db.sql<{ id: number; name: string | null; phone: string | null }>`
				SELECT h.id, p.name, p.phone FROM unnest(${fixtureIds('households')}::int[]) AS h(id) LEFT JOIN LATERAL pii_household(h.id) p ON true`;
			for (const [key, id] of Object.entries(ids.households)) {
				const row = rows.find((r) => r.id === id)!;
				if (SEES[actor].households.includes(key)) expect(row).toMatchObject({ name: '张*华', phone: '138****1234' });
				else expect(row).toMatchObject({ name: null, phone: null });
			}
			const reporters = await db.sql<{ id: number; name: string | null }>`
				SELECT r.id, p.name FROM unnest(${fixtureIds('requests')}::bigint[]) AS r(id) LEFT JOIN LATERAL pii_request_reporter(r.id) p ON true`;
			expect(keysOf('requests', reporters.filter((r) => r.name === '李*明'))).toEqual(SEES[actor].requests);
			// bulk export asking for whole values: only admins and the grid's own 网格员 get them
			const exported = await db.sql<{ id: number; name: string; phone: string }>`SELECT * FROM pii_households_export(${fixtureIds('households')}::int[], true)`;
			expect(keysOf('households', exported)).toEqual(SEES[actor].households);
			for (const row of exported) {
				const whole = actor === 'admin' || (actor === 'managerA' && row.id === ids.households.A);
				expect(row.phone).toBe(whole ? '13812341234' : '138****1234');
			}
		});

		it(`${actor}: unmasks only as admin or the grid's own 网格员, with a reason, logged in the same statement`, async () => {
			const db = as(actor);
			const logs = async () => (await getDb().sql`SELECT count(*) AS n FROM audit_log WHERE action = 'unmask' AND subject = ANY(${fixtureIds('households').map((i) => 'household:' + i)})`)[0].n;
			for (const key of ['A', 'B']) {
				const before = await logs();
				const attempt = db.sql`SELECT * FROM pii_unmask_household(${ids.households[key]}, '入户核实联系方式')`;
				const may = actor === 'admin' || (actor === 'managerA' && key === 'A');
				if (may) {
					await expect(attempt).resolves.toMatchObject([{ name: '张三华', phone: '13812341234', id_number: '430199199001011234' }]);
					expect(await logs()).toBe(before + 1);
				} else {
					await expect(attempt).rejects.toMatchObject({ code: SEES[actor].households.includes(key) ? '42501' : 'P0002' });
					expect(await logs()).toBe(before);
				}
			}
			if (actor === 'admin') {
				await expect(db.sql`SELECT * FROM pii_unmask_household(${ids.households.A}, '  ')`).rejects.toMatchObject({ code: '22023' });
			}
		});
	}

	it('a reader of every grid reads door-knocks, care visits and request history without reading every household or request (0039)', async () => {
		const plan = async (a: Actor, table: string) =>
			(await as(a).query<Record<string, string>>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT count(*) FROM ${table}`)).map((r) => Object.values(r)[0]).join('\n');
		// the parents' scan sits under the policy's subplan: never run for admin and the screen
		const parentScan = (text: string, parent: string) => text.split('\n').filter((l) => new RegExp(`Scan.* on ${parent}\\b`).test(l));
		for (const a of ['admin', 'screen'] as const) {
			for (const [table, parent] of [['door_knocks', 'households'], ['care_visits', 'households'], ['request_events', 'requests']]) {
				const lines = parentScan(await plan(a, table), parent);
				expect(lines.length, `${a} ${table}`).toBeGreaterThan(0);
				for (const l of lines) expect(l, `${a} ${table}`).toContain('never executed');
			}
		}
		// a grid manager's reads still go through the households they see
		const manager = parentScan(await plan('managerA', 'door_knocks'), 'households');
		expect(manager.some((l) => !l.includes('never executed'))).toBe(true);
	});

	it('the server code path: a grid manager asking for a household of another grid gets nothing', async () => {
		expect(await householdDetail(as('managerA'), ids.households.B)).toBeNull();
		expect(await householdDetail(as('managerA'), ids.households.A)).toMatchObject({ name: '张*华', phone: '138****1234', idNumber: '4301**********1234' });
	});

	it('only admins read the audit log; anyone signed in adds only rows in their own name', async () => {
		await getDb().sql`INSERT INTO audit_log (user_id, action, subject) VALUES (${users.managerA!.id}, 'export', 'test.csv')`;
		expect((await as('admin').sql`SELECT count(*) AS n FROM audit_log`)[0].n).toBeGreaterThan(0);
		expect((await as('managerA').sql`SELECT count(*) AS n FROM audit_log`)[0].n).toBe(0);
		await expect(as('managerA').sql`INSERT INTO audit_log (user_id, action, subject) VALUES (${users.managerA!.id}, 'export', 'x.csv')`).resolves.toEqual([]);
		await expect(as('managerA').sql`INSERT INTO audit_log (user_id, action, subject) VALUES (${users.admin!.id}, 'export', 'x.csv')`).rejects.toMatchObject({ code: '42501' });
	});

	it('masks in SQL exactly as the TypeScript masks do', async () => {
		const samples = ['张三华', '欧阳娜娜', '李', '王五', ' 赵六 ', '', '13812341234', '+86 138-1234-1234', '0731-8888666', '12345',
			'430199199001011234', '43019919900101123X', '4301991990', 'AB12'];
		for (const s of samples) {
			const [r] = await getDb().sql<{ n: string; p: string; i: string }>`SELECT pii_mask_name(${s}) AS n, pii_mask_phone(${s}) AS p, pii_mask_id(${s}) AS i`;
			expect([r.n, r.p, r.i], s).toEqual([maskName(s), maskPhone(s), maskIdNumber(s)]);
		}
	});

	it('the audit log is append-only even for the owner', async () => {
		const db = getDb();
		await expect(db.sql`UPDATE audit_log SET reason = 'changed'`).rejects.toThrow(/append-only/);
		await expect(db.sql`DELETE FROM audit_log`).rejects.toThrow(/append-only/);
		await expect(db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
	});
});
