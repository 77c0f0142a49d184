// 账号管理: an admin creates accounts with the scope their role needs, resets passwords, unlocks,
// deactivates; bad input names its field; every change is in the audit log.
import { expect, it } from 'vitest';
import { createSession, userFromToken } from '../../src/lib/server/auth/session';
import { signIn } from '../../src/lib/server/auth/signin';
import type { SessionUser } from '../../src/lib/server/auth/user';
import { changeUser, createUser, listUsers, parseNewUser, parseUserChange } from '../../src/lib/server/access/users';
import { describeBackends, unique } from './helpers/backends';
import { ensurePlace } from './helpers/fixtures';

it('parses a new account, naming the first bad field', () => {
	const ok = { username: 'wang.wei', displayName: '王伟', role: 'grid_manager', grids: '430104001001001, 430104001001002', password: 'Grid-manager-1' };
	expect(parseNewUser(ok)).toMatchObject({ role: 'grid_manager', grids: ['430104001001001', '430104001001002'], departmentId: null, jurisdiction: null });
	expect(() => parseNewUser({ ...ok, username: 'a b' })).toThrow(/用户名（username）只能/);
	expect(() => parseNewUser({ ...ok, role: 'king' })).toThrow(/role/);
	expect(() => parseNewUser({ ...ok, grids: '' })).toThrow(/至少负责一个网格/);
	expect(() => parseNewUser({ ...ok, grids: '4301' })).toThrow(/15 位数字/);
	expect(() => parseNewUser({ ...ok, role: 'leader', grids: '' })).toThrow(/jurisdiction/);
	expect(() => parseNewUser({ ...ok, role: 'department_staff' })).toThrow(/departmentId/);
	expect(() => parseNewUser({ ...ok, password: 'short' })).toThrow(/至少 10 个字符/);
	expect(parseUserChange({ op: 'unlock' })).toEqual({ op: 'unlock' });
	expect(() => parseUserChange({ op: 'delete' })).toThrow(/op/);
});

describeBackends('account administration', (getDb) => {
	const admin = async (): Promise<SessionUser> => {
		const [u] = await getDb().sql`INSERT INTO users (username, display_name, role) VALUES (${unique('adm')}, '管理员', 'admin') RETURNING id, username`;
		return { id: u.id, username: u.username, displayName: '管理员', role: 'admin', departmentId: null, title: null };
	};

	it('creates a grid manager who can sign in and is limited to the given grid; audited', async () => {
		const place = await ensurePlace(getDb());
		const a = await admin();
		const username = unique('gm');
		const id = await createUser(getDb(), a, parseNewUser({ username, displayName: '王伟', role: 'grid_manager', grids: place.grid, password: 'Grid-manager-1' }));
		expect(await getDb().sql`SELECT grid_code FROM user_grids WHERE user_id = ${id}`).toEqual([{ grid_code: place.grid }]);
		expect(await signIn(getDb(), username, 'Grid-manager-1', null, async () => {})).toMatchObject({ ok: true, user: { id, role: 'grid_manager' } });
		const [log] = await getDb().sql`SELECT user_id, subject, detail->>'op' AS op FROM audit_log WHERE action = 'user_admin' AND subject = ${'user:' + id}`;
		expect(log).toEqual({ user_id: a.id, subject: 'user:' + id, op: 'create' });
		expect((await listUsers(getDb(), { role: 'grid_manager', text: username, limit: 10 })).map((u) => u.username)).toEqual([username]);
	});

	it('refuses a taken username, an unknown grid or area, writing nothing', async () => {
		const a = await admin();
		const before = (await getDb().sql`SELECT count(*) AS n FROM users`)[0].n;
		await expect(createUser(getDb(), a, parseNewUser({ username: a.username, displayName: 'x', role: 'admin', password: 'Another-one-1' }))).rejects.toMatchObject({ field: 'username' });
		await expect(createUser(getDb(), a, parseNewUser({ username: unique('g'), displayName: 'x', role: 'grid_manager', grids: '999999999999999', password: 'Another-one-1' }))).rejects.toMatchObject({ field: 'grids' });
		await expect(createUser(getDb(), a, parseNewUser({ username: unique('l'), displayName: 'x', role: 'leader', jurisdiction: '999999', password: 'Another-one-1' }))).rejects.toMatchObject({ field: 'jurisdiction' });
		expect((await getDb().sql`SELECT count(*) AS n FROM users`)[0].n).toBe(before);
	});

	it('resets a password (ending sessions and the lock), unlocks, deactivates but not oneself', async () => {
		const a = await admin();
		const username = unique('u');
		const id = await createUser(getDb(), a, parseNewUser({ username, displayName: '李', role: 'mediator', password: 'Mediator-pass-1' }));
		const { token } = await createSession(getDb(), id);
		await getDb().sql`UPDATE users SET locked_until = now() + interval '10 minutes', failed_logins = 3 WHERE id = ${id}`;
		await changeUser(getDb(), a, id, { op: 'password', password: 'Fresh-password-2' });
		expect(await userFromToken(getDb(), token)).toBeNull();
		expect(await signIn(getDb(), username, 'Fresh-password-2', null, async () => {})).toMatchObject({ ok: true });
		await getDb().sql`UPDATE users SET locked_until = now() + interval '10 minutes' WHERE id = ${id}`;
		await changeUser(getDb(), a, id, { op: 'unlock' });
		expect(await signIn(getDb(), username, 'Fresh-password-2', null, async () => {})).toMatchObject({ ok: true });
		await changeUser(getDb(), a, id, { op: 'deactivate' });
		expect(await signIn(getDb(), username, 'Fresh-password-2', null, async () => {})).toMatchObject({ ok: false });
		await expect(changeUser(getDb(), a, a.id, { op: 'deactivate' })).rejects.toThrow('不能停用自己的账号');
		await expect(changeUser(getDb(), a, 2 ** 31 - 5, { op: 'unlock' })).rejects.toMatchObject({ status: 404 });
		await expect(changeUser(getDb(), a, id, { op: 'password', password: 'weak' })).rejects.toMatchObject({ field: 'password' });
		const ops = await getDb().sql`SELECT detail->>'op' AS op FROM audit_log WHERE subject = ${'user:' + id} AND action = 'user_admin' ORDER BY id`;
		expect(ops.map((o) => o.op)).toEqual(['create', 'password', 'unlock', 'deactivate']);
	});
});
