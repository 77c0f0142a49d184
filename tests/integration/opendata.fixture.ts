// A tiny district for the export, Open311 and OGC API tests: one community with two 0.01° grids
// side by side (A west, B east), households whose text is hostile to CSV (commas, quotes, line
// breaks, a formula), hazards, requests in both grids (one of them a 信访 petition, which is never
// public), and one user per role that matters here.
import type { SessionUser } from '../../src/lib/server/auth/user';
import type { Db } from '../../src/lib/server/db/client';

export const OD = {
	district: '430196',
	community: '430196001001',
	gridA: '430196001001001',
	gridB: '430196001001002',
	pointA: [113.005, 28.205] as [number, number],
	pointB: [113.015, 28.205] as [number, number]
};

export const HOSTILE = {
	address: '幸福路1号,3栋 "东门"\n二单元',
	formula: '=HYPERLINK("http://evil","点我")',
	phone: '+8613812341234'
};

export interface OpenDataPeople { admin: SessionUser; gmA: SessionUser; leader: SessionUser; households: number[]; requests: number[] }

const square = (x: number, y: number, w: number) =>
	`SRID=4326;MULTIPOLYGON(((${x} ${y},${x + w} ${y},${x + w} ${y + w},${x} ${y + w},${x} ${y})))`;
const point = ([x, y]: [number, number]) => `SRID=4326;POINT(${x} ${y})`;

export async function insertOpenDataFixture(db: Db, now = new Date()): Promise<OpenDataPeople> {
	const { district: d, community: c } = OD;
	const s = c.slice(0, 9);
	const all = square(113, 28.2, 0.02);
	await db.sql`INSERT INTO areas VALUES (${d}, 'district', '开放区', NULL, 'urban', ${all}, ${point([113.01, 28.205])}),
		(${s}, 'street', '开放街道', ${d}, 'urban', ${all}, ${point([113.01, 28.205])}),
		(${c}, 'community', '开放社区', ${s}, 'urban', ${all}, ${point([113.01, 28.205])})`;
	await db.sql`INSERT INTO grids (code, community_code, name, geom, label_point) VALUES
		(${OD.gridA}, ${c}, '东风网格', ${square(113, 28.2, 0.01)}, ${point(OD.pointA)}),
		(${OD.gridB}, ${c}, '西风网格', ${square(113.01, 28.2, 0.01)}, ${point(OD.pointB)})`;
	const [{ id: dept }] = await db.sql<{ id: number }>`INSERT INTO departments (code, name) VALUES ('od_zhujian', '区住建局') RETURNING id`;
	const user = async (username: string, role: SessionUser['role']): Promise<SessionUser> => {
		const [{ id }] = await db.sql<{ id: number }>`INSERT INTO users (username, display_name, role) VALUES (${username}, ${username}, ${role}) RETURNING id`;
		return { id, username, displayName: username, role, departmentId: null, title: null };
	};
	const people: OpenDataPeople = { admin: await user('od_admin', 'admin'), gmA: await user('od_gmA', 'grid_manager'), leader: await user('od_leader', 'leader'), households: [], requests: [] };
	await db.sql`INSERT INTO user_grids VALUES (${people.gmA.id}, ${OD.gridA})`;
	await db.sql`UPDATE grids SET manager_id = ${people.gmA.id} WHERE code = ${OD.gridA}`;
	await db.sql`INSERT INTO categories (code, parent_code, name, nature, department_id) VALUES
		('od_property', NULL, '物业管理', 'request', NULL), ('od_property.elevator', 'od_property', '电梯故障', 'request', ${dept}),
		('od_city', NULL, '市政设施', 'request', NULL), ('od_city.light', 'od_city', '路灯损坏', 'request', ${dept})
		ON CONFLICT DO NOTHING`;
	await db.sql`INSERT INTO deadline_rules VALUES ('od_property.elevator', 'normal', 1, 7, 24), ('od_city.light', 'normal', 1, 7, 24) ON CONFLICT DO NOTHING`;
	const building = async (grid: string, p: [number, number]) =>
		(await db.sql<{ id: number }>`INSERT INTO buildings (grid_code, name, kind, geom) VALUES (${grid}, '1栋', 'apartment', ${point(p)}) RETURNING id`)[0].id;
	const bA = await building(OD.gridA, OD.pointA);
	const bB = await building(OD.gridB, OD.pointB);
	const household = async (b: number, grid: string, p: [number, number], address: string, name: string, phone: string, tags: string[]) =>
		(await db.sql<{ id: number }>`INSERT INTO households (building_id, grid_code, address, head_name, phone, id_number, size, tags, last_visit_at, geom)
			VALUES (${b}, ${grid}, ${address}, ${name}, ${phone}, '430196199001011234', 3, ${tags}, ${now}, ${point(p)}) RETURNING id`)[0].id;
	people.households.push(
		await household(bA, OD.gridA, OD.pointA, HOSTILE.address, '张三华', HOSTILE.phone, ['elderly_alone', 'low_income']),
		await household(bA, OD.gridA, [113.006, 28.206], HOSTILE.formula, '李四', '13900001111', []),
		await household(bB, OD.gridB, OD.pointB, '西风路2号', '王五', '13700002222', ['disabled'])
	);
	const day = 86_400_000;
	await db.sql`INSERT INTO hazards (code, type, severity, status, title, grid_code, found_at, rectify_deadline, geom) VALUES
		('ODHZ1', 'gas', 3, 'open', '燃气管道老化', ${OD.gridA}, ${new Date(now.getTime() - 3 * day)}, ${new Date(now.getTime() + 4 * day)}, ${point(OD.pointA)}),
		('ODHZ2', 'road', 1, 'verified', '路面坑洼', ${OD.gridB}, ${new Date(now.getTime() - 30 * day)}, ${new Date(now.getTime() - 20 * day)}, ${point(OD.pointB)})`;
	const request = async (code: string, kind: string, category: string, status: string, grid: string, p: [number, number], ago: number) =>
		(await db.sql<{ id: number }>`INSERT INTO requests (code, kind, category_code, channel, status, title, description, grid_code, department_id,
			reporter_name, reporter_phone, address, reported_at, resolve_deadline, leader_id, household_id, geom)
			VALUES (${code}, ${kind}, ${category}, 'grid', ${status}, ${'电梯坏了 ' + code}, '三楼住户张三华反映，电话13812341234', ${grid}, ${dept},
			  '张三华', '13812341234', '幸福路1号', ${new Date(now.getTime() - ago * day)}, ${new Date(now.getTime() + 5 * day)},
			  ${kind === 'petition' ? people.leader.id : null}, ${code === 'ODSQ2' ? people.households[0] : null}, ${point(p)}) RETURNING id`)[0].id;
	people.requests.push(
		await request('ODSQ1', 'request', 'od_property.elevator', 'reported', OD.gridA, OD.pointA, 2),
		await request('ODSQ2', 'request', 'od_city.light', 'closed', OD.gridA, [113.006, 28.206], 10),
		await request('ODSQ3', 'request', 'od_property.elevator', 'accepted', OD.gridB, OD.pointB, 5),
		await request('ODSQ4', 'petition', 'od_property.elevator', 'dispatched', OD.gridB, [113.016, 28.206], 1)
	);
	return people;
}
