// Users of the demo district: the command centre, leaders with their 包联 sets, one 网格员 per
// grid, department staff and the mediator pool (群英库).
import type { Random } from '../../src/lib/domain/random';
import { DEPARTMENTS } from './catalog';
import type { Geography, XY } from './geography';
import { personName, phoneNumber } from './population';

export interface User {
	id: number; username: string; displayName: string; role: string; title: string | null;
	department: number | null; phone: string;
}
export interface Pairing { leader: number; kind: 'area' | 'project' | 'enterprise'; areaCode: string | null; name: string; p: XY | null }

export const LEADER_TITLES = [
	'区委书记', '区长', '区委副书记', '常务副区长', '副区长', '副区长', '副区长', '副区长',
	'区委常委', '区委常委', '区委常委', '区委常委', '区委常委', '区委常委', '区人大常委会主任', '区政协主席'
];

export function makePeople(geo: Geography, rng: Random) {
	const users: User[] = [];
	const add = (u: Omit<User, 'id' | 'phone'>) => {
		const user = { ...u, id: users.length + 1, phone: phoneNumber(rng) };
		users.push(user);
		return user.id;
	};
	const admin = add({ username: 'admin', displayName: '系统管理员', role: 'admin', title: null, department: null });
	const dispatcher = add({ username: 'dispatcher', displayName: '指挥中心调度员', role: 'admin', title: '区网格化服务管理中心', department: null });
	add({ username: 'screen', displayName: '指挥中心大屏', role: 'screen', title: null, department: null });
	const leaders = LEADER_TITLES.map((title, i) => add({ username: `leader${i + 1}`, displayName: personName(rng), role: 'leader', title, department: null }));
	const gridManagers = geo.grids.map((g) => add({ username: `wg${g.code}`, displayName: personName(rng), role: 'grid_manager', title: '专职网格员', department: null }));
	const departmentStaff = DEPARTMENTS.map((d, i) => [1, 2].map((n) => add({ username: `${d.code}${n}`, displayName: personName(rng), role: 'department_staff', title: `${d.name}${n === 1 ? '科长' : '办事员'}`, department: i + 1 })));
	const mediators = Array.from({ length: 8 }, (_, i) => add({ username: `mediator${i + 1}`, displayName: personName(rng), role: 'mediator', title: '人民调解员（群英库）', department: null }));

	// 包联 as published for 屈原: 16 leaders ↔ 32 villages/communities, 44 projects, 59 enterprises.
	const pairings: Pairing[] = [];
	const areas = shuffled(geo.communities.map((c) => c.index), rng);
	leaders.forEach((leader, i) => {
		for (const c of areas.slice(i * 2, i * 2 + 2)) pairings.push({ leader, kind: 'area', areaCode: geo.communities[c].code, name: geo.communities[c].name, p: null });
	});
	const spot = (rural: boolean) => {
		const candidates = geo.grids.filter((g) => (g.setting === 'rural') === rural);
		return rng.pick(candidates).seed;
	};
	for (let k = 0; k < 44; k++) pairings.push({ leader: leaders[k % leaders.length], kind: 'project', areaCode: null, name: `${rng.pick(PROJECTS)}项目（${k + 1}号）`, p: spot(rng.chance(0.4)) });
	for (let k = 0; k < 59; k++) pairings.push({ leader: leaders[(k * 7) % leaders.length], kind: 'enterprise', areaCode: null, name: `清溪${rng.pick(FIRMS)}有限公司`, p: spot(rng.chance(0.3)) });
	return { users, admin, dispatcher, leaders, gridManagers, departmentStaff, mediators, pairings };
}

const PROJECTS = ['老旧小区改造', '滨江风光带', '污水管网提质', '农村公路提质', '智慧社区', '农贸市场改造', '安置房建设', '学校扩建', '高标准农田', '社区养老服务中心'];
const FIRMS = ['智能装备', '新材料', '食品', '物流', '电子科技', '生物医药', '建材', '农业开发', '文旅发展', '机械制造'];

function shuffled<T>(items: T[], rng: Random): T[] {
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = rng.int(0, i);
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}
