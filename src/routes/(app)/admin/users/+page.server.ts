// 账号管理 (admins): the accounts, a new account, and per account 重置密码 / 解锁 / 停用 / 启用.
import { clientAddress } from '$lib/server/access/request';
import { enumParam } from '$lib/domain/apierror';
import { ROLE_LABEL, type Role } from '$lib/server/auth/user';
import { changeUser, createUser, listUsers, parseNewUser, parseUserChange, ROLES } from '$lib/server/access/users';
import { ready } from '$lib/server/db/database';
import { departments } from '$lib/server/queries/reference';
import { asUser } from '$lib/server/access/userdb';
import { adminUser, formFailure } from '$lib/server/http/guards';
import { areaList } from '$lib/server/queries/areas';
import type { Actions, PageServerLoad } from './$types';

const adminOnly = (event: Parameters<typeof adminUser>[0]) => adminUser(event, '管理账号');

export const load: PageServerLoad = async (event) => {
	const user = adminOnly(event);
	const q = event.url.searchParams;
	const role = q.get('role') ? (enumParam(q.get('role'), 'role', '角色', ROLES) as Role) : null;
	const text = q.get('q')?.trim().slice(0, 50) || null;
	const db = asUser(await ready(), user);
	const [users, departmentList, areas] = await Promise.all([
		listUsers(db, { role, text, limit: 300 }),
		departments(db),
		areaList(db)
	]);
	// a leader's area shown by name (区域 430199 → 清溪区), not by code
	const areaNames = Object.fromEntries(areas.map((a) => [a.code, a.name]));
	return { user, users, departments: departmentList, areaNames, roles: ROLES.map((r) => [r, ROLE_LABEL[r]]), role, text };
};

const fields = async (request: Request) => Object.fromEntries([...(await request.formData()).entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string>;

export const actions: Actions = {
	create: async (event) => {
		const admin = adminOnly(event);
		const values = await fields(event.request);
		try {
			const id = await createUser(asUser(await ready(), admin, clientAddress(event)), admin, parseNewUser(values), clientAddress(event));
			return { done: `已创建账号 ${values.username}（编号 ${id}）` };
		} catch (e) {
			return formFailure(e, { ...values, password: '' });
		}
	},
	change: async (event) => {
		const admin = adminOnly(event);
		const values = await fields(event.request);
		try {
			const id = Number(values.id);
			const change = parseUserChange(values);
			await changeUser(asUser(await ready(), admin, clientAddress(event)), admin, id, change, clientAddress(event));
			const said = { password: '密码已重置，原有登录已退出', unlock: '已解锁', deactivate: '已停用，原有登录已退出', activate: '已启用' }[change.op];
			return { done: `账号 ${id}：${said}` };
		} catch (e) {
			return formFailure(e);
		}
	}
};
