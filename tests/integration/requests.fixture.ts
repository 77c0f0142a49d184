// A tiny district for the request-loop and KPI tests: one community with two grids side by side
// (grid A west, grid B east, each 0.01° square), three departments, one user per role, two
// categories with deadline rules, and households in grid A with known visit dates.
import type { Actor } from '../../src/lib/domain/workflow';
import type { Db } from '../../src/lib/server/db/client';

export const RL = {
	district: '430197',
	street: '430197001',
	community: '430197001001',
	gridA: '430197001001001',
	gridB: '430197001001002',
	/** a point inside grid A, and one inside grid B */
	pointA: [113.005, 28.205] as [number, number],
	pointB: [113.015, 28.205] as [number, number]
};

export interface People {
	admin: number; gmA: number; gmB: number; zj: number; cg: number; xf: number; leader: number; mediator1: number; mediator2: number;
	zhujian: number; chengguan: number; xiaofang: number; households: number[];
}

/** The fixture's people as the actors the request functions take (a test uses those it needs). */
export function loopActors(p: People) {
	return {
		admin: { id: p.admin, role: 'admin', departmentId: null },
		zj: { id: p.zj, role: 'department_staff', departmentId: p.zhujian },
		gmA: { id: p.gmA, role: 'grid_manager', departmentId: null },
		gmB: { id: p.gmB, role: 'grid_manager', departmentId: null }
	} satisfies Record<string, Actor>;
}

const square = (x: number, y: number, w: number) =>
	`SRID=4326;MULTIPOLYGON(((${x} ${y},${x + w} ${y},${x + w} ${y + w},${x} ${y + w},${x} ${y})))`;
const point = (x: number, y: number) => `SRID=4326;POINT(${x} ${y})`;

export async function insertLoopFixture(db: Db, now: Date): Promise<People> {
	const { district: d, street: s, community: c } = RL;
	await db.sql`INSERT INTO areas VALUES (${d}, 'district', '测试区', NULL, 'urban', ${square(113, 28.2, 0.02)}, ${point(113.01, 28.205)})`;
	await db.sql`INSERT INTO areas VALUES (${s}, 'street', '测试街道', ${d}, 'urban', ${square(113, 28.2, 0.02)}, ${point(113.01, 28.205)})`;
	await db.sql`INSERT INTO areas VALUES (${c}, 'community', '测试社区', ${s}, 'urban', ${square(113, 28.2, 0.02)}, ${point(113.01, 28.205)})`;
	await db.sql`INSERT INTO grids (code, community_code, name, geom, label_point) VALUES
		(${RL.gridA}, ${c}, '第一网格', ${square(113, 28.2, 0.01)}, ${point(113.005, 28.205)}),
		(${RL.gridB}, ${c}, '第二网格', ${square(113.01, 28.2, 0.01)}, ${point(113.015, 28.205)})`;
	const dept = async (code: string, name: string) =>
		(await db.sql<{ id: number }>`INSERT INTO departments (code, name) VALUES (${code}, ${name}) RETURNING id`)[0].id;
	const zhujian = await dept('zhujian', '区住建局');
	const chengguan = await dept('chengguan', '区城管局');
	const xiaofang = await dept('xiaofang', '区消防救援大队');
	const user = async (username: string, role: string, department: number | null = null) =>
		(await db.sql<{ id: number }>`INSERT INTO users (username, display_name, role, department_id) VALUES (${username}, ${username}, ${role}, ${department}) RETURNING id`)[0].id;
	const p: People = {
		admin: await user('admin', 'admin'), gmA: await user('gmA', 'grid_manager'), gmB: await user('gmB', 'grid_manager'),
		zj: await user('zhujian1', 'department_staff', zhujian), cg: await user('chengguan1', 'department_staff', chengguan),
		xf: await user('xiaofang1', 'department_staff', xiaofang), leader: await user('leader1', 'leader'),
		mediator1: await user('mediator1', 'mediator'), mediator2: await user('mediator2', 'mediator'),
		zhujian, chengguan, xiaofang, households: []
	};
	await db.sql`INSERT INTO user_grids VALUES (${p.gmA}, ${RL.gridA}), (${p.gmB}, ${RL.gridB})`;
	await db.sql`UPDATE grids SET manager_id = ${p.gmA} WHERE code = ${RL.gridA}`;
	await db.sql`INSERT INTO leader_pairings (leader_id, target_kind, area_code, name) VALUES (${p.leader}, 'area', ${c}, '测试社区')`;
	await db.sql`INSERT INTO categories (code, parent_code, name, nature, department_id) VALUES
		('property', NULL, '物业管理', 'request', NULL),
		('property.elevator', 'property', '电梯故障', 'request', ${zhujian}),
		('dispute', NULL, '矛盾纠纷', 'request', NULL),
		('dispute.neighbour', 'dispute', '邻里纠纷', 'request', NULL),
		('wish', NULL, '微心愿', 'request', NULL),
		('wish.help', 'wish', '生活帮扶', 'request', NULL)`;
	await db.sql`INSERT INTO deadline_rules VALUES
		('property.elevator', 'normal', 1, 7, 24), ('property.elevator', 'urgent', 0.5, 3, 12),
		('dispute.neighbour', 'normal', 1, 7, 24), ('wish.help', 'normal', 2, 10, 24)`;
	const [{ id: building }] = await db.sql<{ id: number }>`INSERT INTO buildings (grid_code, name, kind, geom)
		VALUES (${RL.gridA}, '1栋', 'apartment', ${point(113.004, 28.204)}) RETURNING id`;
	// 4 households in grid A: visited 5 and 20 days ago, 100 days ago, never
	const DAY = 86_400_000;
	for (const ago of [5, 20, 100, null]) {
		const last = ago === null ? null : new Date(now.getTime() - ago * DAY);
		const [{ id }] = await db.sql<{ id: number }>`INSERT INTO households (building_id, grid_code, address, head_name, size, last_visit_at, geom)
			VALUES (${building}, ${RL.gridA}, '1栋101', '张三丰', 3, ${last}, ${point(113.004, 28.204)}) RETURNING id`;
		if (last) await db.sql`INSERT INTO door_knocks (household_id, visitor_id, visited_at) VALUES (${id}, ${p.gmA}, ${last})`;
		p.households.push(id);
	}
	await db.sql`INSERT INTO app_meta (key, value) VALUES ('seed', ${JSON.stringify({ fixture: 'loop', synthetic: true })})`;
	return p;
}
