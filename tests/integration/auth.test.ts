import { expect, it } from 'vitest';
import {
	createSession, endSession, findUser, hashPassword, isDemoDatabase, requireUser, userFromToken, verifyPassword, visibleGridCodes
} from '../../src/lib/server/auth';
import { safeRedirect } from '../../src/lib/server/demoAccounts';
import { ensurePlace } from './helpers/fixtures';
import { describeBackends, unique } from './helpers/backends';

describeBackends('sign-in', (getDb) => {
	async function makeUser(role = 'grid_manager') {
		const username = unique('u');
		const [u] = await getDb().sql`INSERT INTO users (username, display_name, role) VALUES (${username}, '测试用户', ${role}) RETURNING id`;
		return { id: u.id as number, username };
	}

	it('finds the user behind a session token, and nobody after sign-out', async () => {
		const { id, username } = await makeUser('leader');
		const { token } = await createSession(getDb(), id);
		expect(await userFromToken(getDb(), token)).toMatchObject({ id, username, role: 'leader' });
		expect(await userFromToken(getDb(), token + 'x')).toBeNull();
		await endSession(getDb(), token);
		expect(await userFromToken(getDb(), token)).toBeNull();
	});

	it('stores only the hash of the token', async () => {
		const { id } = await makeUser();
		const { token } = await createSession(getDb(), id);
		const rows = await getDb().sql`SELECT token_hash FROM sessions WHERE user_id = ${id}`;
		expect(rows[0].token_hash).not.toContain(token);
		expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
	});

	it('refuses an expired session', async () => {
		const { id } = await makeUser();
		const { token } = await createSession(getDb(), id);
		await getDb().sql`UPDATE sessions SET created_at = now() - interval '2 days', expires_at = now() - interval '1 day' WHERE user_id = ${id}`;
		expect(await userFromToken(getDb(), token)).toBeNull();
	});

	it('verifies scrypt passwords and rejects wrong ones', async () => {
		const { id, username } = await makeUser();
		await getDb().sql`UPDATE users SET password_hash = ${await hashPassword('正确的密码1')} WHERE id = ${id}`;
		const user = await findUser(getDb(), username);
		expect(await verifyPassword('正确的密码1', user!.passwordHash)).toBe(true);
		expect(await verifyPassword('wrong', user!.passwordHash)).toBe(false);
		expect(await verifyPassword('anything', null)).toBe(false);
	});

	it('limits a grid manager to their grids and leaves others unrestricted', async () => {
		const place = await ensurePlace(getDb());
		const manager = await makeUser('grid_manager');
		await getDb().sql`INSERT INTO user_grids (user_id, grid_code) VALUES (${manager.id}, ${place.grid})`;
		const asUser = (id: number, role: string) => ({ id, role, username: '', displayName: '', departmentId: null, title: null }) as never;
		expect(await visibleGridCodes(getDb(), asUser(manager.id, 'grid_manager'))).toEqual([place.grid]);
		expect(await visibleGridCodes(getDb(), asUser(1, 'leader'))).toBeNull();
	});

	it('allows demo sign-in only on the synthetic demo database', async () => {
		await getDb().sql`DELETE FROM app_meta WHERE key = 'seed'`;
		expect(await isDemoDatabase(getDb())).toBe(false);
		await getDb().sql`INSERT INTO app_meta (key, value) VALUES ('seed', ${JSON.stringify({ synthetic: true })}::jsonb)`;
		expect(await isDemoDatabase(getDb())).toBe(true);
	});
});

it('requireUser answers 401 without a user and 403 for the wrong role, naming the roles', () => {
	expect(() => requireUser({ locals: { user: null } })).toThrow('请先登录');
	const leader = { id: 1, username: 'l', displayName: '王*', role: 'leader', departmentId: null, title: null } as const;
	expect(requireUser({ locals: { user: leader } }, 'leader').id).toBe(1);
	expect(() => requireUser({ locals: { user: leader } }, 'admin', 'grid_manager')).toThrow(/需要：管理员、网格员/);
});

it('redirects only to same-site paths', () => {
	expect(safeRedirect('/workspace?a=1')).toBe('/workspace?a=1');
	expect(safeRedirect('//evil.example/')).toBe('/');
	expect(safeRedirect('https://evil.example/')).toBe('/');
	expect(safeRedirect(null)).toBe('/');
});
