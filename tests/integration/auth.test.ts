import { expect, it } from 'vitest';
import { scrypt } from 'node:crypto';
import { changePassword, findUser, hashPassword, verifyPassword } from '../../src/lib/server/auth/password';
import { createSession, endAllSessions, endSession, userFromToken } from '../../src/lib/server/auth/session';
import { isDemoDatabase, signIn } from '../../src/lib/server/auth/signin';
import { LOCK_AFTER, slowdownMs } from '../../src/lib/server/auth/throttle';
import { requireUser } from '../../src/lib/server/auth/user';
import { visibleGridCodes } from '../../src/lib/server/auth/visibility';
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

	it('hashes with argon2id and verifies, rejecting wrong ones', async () => {
		const { id, username } = await makeUser();
		await getDb().sql`UPDATE users SET password_hash = ${await hashPassword('正确的密码1')} WHERE id = ${id}`;
		const user = await findUser(getDb(), username);
		expect(await verifyPassword('正确的密码1', user!.passwordHash)).toBe(true);
		expect(await verifyPassword('wrong', user!.passwordHash)).toBe(false);
		expect(await verifyPassword('anything', null)).toBe(false);
		expect(user!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
	});

	it('ends a session left idle past its idle timeout, and keeps a used one alive', async () => {
		const { id } = await makeUser();
		const { token } = await createSession(getDb(), id, 12, 30);
		await getDb().sql`UPDATE sessions SET last_seen_at = now() - interval '20 minutes' WHERE user_id = ${id}`;
		expect(await userFromToken(getDb(), token)).not.toBeNull(); // used: last_seen_at moves to now
		const [s] = await getDb().sql`SELECT now() - last_seen_at < interval '1 minute' AS fresh FROM sessions WHERE user_id = ${id}`;
		expect(s.fresh).toBe(true);
		await getDb().sql`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = ${id}`;
		expect(await userFromToken(getDb(), token)).toBeNull();
	});

	const signInWith = async (username: string, password: string, waits: number[] = []) =>
		signIn(getDb(), username, password, '203.0.113.9', async (ms) => void waits.push(ms));

	it('signs in with the right password, records it, and says nothing about which part was wrong', async () => {
		const { id, username } = await makeUser();
		await getDb().sql`UPDATE users SET password_hash = ${await hashPassword('Correct-horse-42')} WHERE id = ${id}`;
		const ok = await signInWith(username, 'Correct-horse-42');
		expect(ok).toMatchObject({ ok: true, user: { id, username } });
		expect(await userFromToken(getDb(), ok.ok ? ok.token : '')).toMatchObject({ id });
		const wrongPassword = await signInWith(username, 'nope');
		const unknownUser = await signInWith(unique('ghost'), 'nope');
		expect(wrongPassword).toEqual({ ok: false, code: 'bad_credentials', message: '用户名或密码不正确' });
		expect(unknownUser).toEqual(wrongPassword);
		const audit = await getDb().sql`SELECT action FROM audit_log WHERE user_id = ${id} ORDER BY id`;
		expect(audit.map((a) => a.action)).toEqual(['login', 'login_failed']);
		const attempts = await getDb().sql`SELECT ok, ip FROM login_attempts WHERE username = ${username} ORDER BY id`;
		expect(attempts).toEqual([{ ok: true, ip: '203.0.113.9' }, { ok: false, ip: '203.0.113.9' }]);
	});

	it('slows down repeated failures and locks the account after ten, even for the right password', async () => {
		const { id, username } = await makeUser();
		await getDb().sql`UPDATE users SET password_hash = ${await hashPassword('Correct-horse-42')} WHERE id = ${id}`;
		const waits: number[] = [];
		let last;
		for (let i = 0; i < LOCK_AFTER; i++) last = await signInWith(username, 'wrong-' + i, waits);
		expect(waits).toEqual(Array.from({ length: LOCK_AFTER }, (_, i) => slowdownMs(i + 1)));
		expect(waits.slice(0, 3)).toEqual([0, 0, 250]);
		expect(last).toMatchObject({ ok: false, code: 'locked' });
		const locked = await signInWith(username, 'Correct-horse-42');
		expect(locked).toMatchObject({ ok: false, code: 'locked' });
		expect((locked as { retryAfterS: number }).retryAfterS).toBeGreaterThan(14 * 60);
		await getDb().sql`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = ${id}`;
		expect(await signInWith(username, 'Correct-horse-42')).toMatchObject({ ok: true });
		const [u] = await getDb().sql`SELECT failed_logins, locked_until FROM users WHERE id = ${id}`;
		expect(u).toEqual({ failed_logins: 0, locked_until: null });
	});

	it('upgrades a scrypt hash of 0002 to argon2id on the next sign-in', async () => {
		const { id, username } = await makeUser();
		const salt = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
		const hash = await new Promise<Buffer>((res, rej) => scrypt('Old-password-1', salt, 32, (e, k) => (e ? rej(e) : res(k))));
		await getDb().sql`UPDATE users SET password_hash = ${salt.toString('hex') + ':' + hash.toString('hex')} WHERE id = ${id}`;
		expect(await signInWith(username, 'Old-password-1')).toMatchObject({ ok: true });
		const [u] = await getDb().sql`SELECT password_hash FROM users WHERE id = ${id}`;
		expect(u.password_hash).toMatch(/^\$argon2id\$/);
	});

	it('changes a password only with the current one and a strong new one, ending the other sessions', async () => {
		const { id, username } = await makeUser();
		await getDb().sql`UPDATE users SET password_hash = ${await hashPassword('Correct-horse-42')} WHERE id = ${id}`;
		const here = await createSession(getDb(), id);
		const elsewhere = await createSession(getDb(), id);
		const me = (await findUser(getDb(), username))!;
		await expect(changePassword(getDb(), me, 'wrong', 'New-password-2026', here.token, null)).rejects.toMatchObject({ field: 'current' });
		await expect(changePassword(getDb(), me, 'Correct-horse-42', 'short1', here.token, null)).rejects.toThrow('至少 10 个字符');
		await expect(changePassword(getDb(), me, 'Correct-horse-42', 'onlyletterslong', here.token, null)).rejects.toThrow('字母和数字');
		await expect(changePassword(getDb(), me, 'Correct-horse-42', username + '12345', here.token, null)).rejects.toThrow('不能包含用户名');
		await changePassword(getDb(), me, 'Correct-horse-42', 'New-password-2026', here.token, null);
		expect(await userFromToken(getDb(), here.token)).toMatchObject({ id });
		expect(await userFromToken(getDb(), elsewhere.token)).toBeNull();
		expect(await signInWith(username, 'New-password-2026')).toMatchObject({ ok: true });
		expect(await endAllSessions(getDb(), id)).toBe(2);
		expect(await userFromToken(getDb(), here.token)).toBeNull();
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
