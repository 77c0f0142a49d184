// Issue 13, item 6: lockout and rate limits live in the database and hold under parallel guesses,
// restarts and a second app node; 演示登录 obeys the lock and is audited.
import { expect, it, vi } from 'vitest';
import { demoSignIn, signIn } from '../../src/lib/server/auth/signin';
import { hashPassword } from '../../src/lib/server/auth/password';
import { LOCK_AFTER } from '../../src/lib/server/auth/throttle';
import { sessionPolicy, userFromToken } from '../../src/lib/server/auth/session';
import { hit, LOGIN_LIMIT, type Limit } from '../../src/lib/server/access/limits';
import { openPostgres, type Db } from '../../src/lib/server/db/client';
import { describeBackends, TEST_DATABASE_URL, unique, withDatabase } from './helpers/backends';

describeBackends('sign-in lockout and rate limits in the database', (getDb, backend) => {
	async function makeUser(password: string | null, role = 'grid_manager') {
		const username = unique('u');
		const [u] = await getDb().sql`INSERT INTO users (username, display_name, role, password_hash)
			VALUES (${username}, '测试用户', ${role}, ${password && (await hashPassword(password))}) RETURNING id`;
		return { id: u.id as number, username };
	}

	it('counts 15 parallel wrong passwords before checking any, so the right one after them is refused as locked', async () => {
		const { id, username } = await makeUser('Correct-horse-42');
		const wrong = await Promise.all(
			Array.from({ length: 15 }, (_, i) => signIn(getDb(), username, 'wrong-' + i, '203.0.113.20', async () => {}))
		);
		expect(wrong.every((r) => !r.ok)).toBe(true);
		expect(wrong.filter((r) => !r.ok && r.code === 'locked').length).toBe(15 - (LOCK_AFTER - 1));
		const right = await signIn(getDb(), username, 'Correct-horse-42', '203.0.113.20', async () => {});
		expect(right).toMatchObject({ ok: false, code: 'locked' });
		const [attempts] = await getDb().sql`SELECT count(*) FILTER (WHERE NOT ok) AS failed, count(*) FILTER (WHERE ok) AS ok
			FROM login_attempts WHERE username = ${username}`;
		expect(attempts).toEqual({ failed: 16, ok: 0 });
		const audit = await getDb().sql`SELECT action, count(*) AS n FROM audit_log WHERE user_id = ${id} GROUP BY action ORDER BY action`;
		expect(audit).toEqual([{ action: 'login_failed', n: LOCK_AFTER }, { action: 'login_locked', n: 16 - LOCK_AFTER }]);
		const [u] = await getDb().sql`SELECT locked_until > now() AS locked FROM users WHERE id = ${id}`;
		expect(u.locked).toBe(true);
		expect(await getDb().sql`SELECT 1 FROM sessions WHERE user_id = ${id}`).toEqual([]);
	});

	it('answers an unknown name with a salt that looks real and stays the same', async () => {
		const ghost = unique('ghost');
		const [a] = await getDb().sql`SELECT auth_password_salt(${ghost}) AS s`;
		const [b] = await getDb().sql`SELECT auth_password_salt(${ghost}) AS s`;
		const { username } = await makeUser('Correct-horse-42');
		const [real] = await getDb().sql`SELECT auth_password_salt(${username}) AS s`;
		expect(a.s).toBe(b.s);
		expect(a.s).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$[A-Za-z0-9+/]{22}$/);
		expect(real.s).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$[A-Za-z0-9+/]{22}$/);
		const [{ hash }] = await getDb().sql`SELECT password_hash AS hash FROM users WHERE username = ${username}`;
		expect(hash.startsWith(real.s + '$')).toBe(true);
	});

	it('counts every one of parallel hits on a limit, and no more than the limit get through', async () => {
		const l: Limit = { name: unique('t'), limit: 5, windowMs: 60_000 };
		const decisions = await Promise.all(Array.from({ length: 12 }, () => hit(getDb(), l, '198.51.100.1')));
		expect(decisions.filter((d) => d.ok).length).toBe(5);
		const refused = decisions.filter((d) => !d.ok);
		expect(refused.length).toBe(7);
		expect(Math.min(...refused.map((d) => d.retryAfterS))).toBeGreaterThan(50);
		// another address has its own count
		expect(await hit(getDb(), l, '198.51.100.2')).toEqual({ ok: true, retryAfterS: 0 });
	});

	it('keeps a limit across a restart of the server (a fresh module, and on PostgreSQL a second connection)', async () => {
		const l: Limit = { name: unique('t'), limit: 3, windowMs: 60_000 };
		for (let i = 0; i < 3; i++) expect((await hit(getDb(), l, '192.0.2.9')).ok).toBe(true);
		vi.resetModules();
		const fresh = await import('../../src/lib/server/access/limits');
		expect((await fresh.hit(getDb(), l, '192.0.2.9')).ok).toBe(false);
		if (backend.kind === 'postgres') {
			const [{ name }] = await getDb().sql<{ name: string }>`SELECT current_database() AS name`;
			const other: Db = await openPostgres(withDatabase(TEST_DATABASE_URL!, name));
			try {
				expect(await fresh.hit(other, l, '192.0.2.9')).toMatchObject({ ok: false });
			} finally {
				await other.close();
			}
		}
		// a window that has passed lets the key through again
		await getDb().sql`UPDATE rate_limit_hits SET at = at - interval '2 minutes' WHERE key = ${l.name + ':192.0.2.9'}`;
		expect(await hit(getDb(), l, '192.0.2.9')).toEqual({ ok: true, retryAfterS: 0 });
	});

	it('limits an address by its failed sign-ins only: 25 right passwords all get in, the 21st failure is refused', async () => {
		expect(LOGIN_LIMIT.limit).toBe(20);
		const office = '203.0.113.90';
		const staff = await Promise.all(Array.from({ length: 25 }, () => makeUser('Office-pass-42')));
		// a street office at 9 o'clock: 25 sign-ins from one NAT address, each its own account
		const morning = await Promise.all(staff.map((u) => signIn(getDb(), u.username, 'Office-pass-42', office, async () => {})));
		expect(morning.map((r) => r.ok)).toEqual(staff.map(() => true));
		// guesses from one address, each at another name (no account lock helps): 20 are answered, the 21st refused
		const guesses = [];
		for (let i = 0; i < LOGIN_LIMIT.limit + 1; i++) guesses.push(await signIn(getDb(), unique('ghost'), 'guess-' + i, '203.0.113.91', async () => {}));
		expect(guesses.slice(0, LOGIN_LIMIT.limit).every((r) => !r.ok && r.code === 'bad_credentials')).toBe(true);
		const refused = guesses[LOGIN_LIMIT.limit];
		expect(refused).toMatchObject({ ok: false, code: 'rate_limited' });
		expect(!refused.ok && refused.retryAfterS).toBeGreaterThan(500);
		// refused before the account is looked at: even the right password from that address waits
		expect(await signIn(getDb(), staff[0].username, 'Office-pass-42', '203.0.113.91', async () => {})).toMatchObject({ ok: false, code: 'rate_limited' });
		// and the refusals themselves are not attempts on any account
		const [{ n }] = await getDb().sql`SELECT count(*)::int AS n FROM login_attempts WHERE ip = '203.0.113.91'`;
		expect(n).toBe(LOGIN_LIMIT.limit);
		// the office's address is untouched by the guesses, and a success there counts nothing
		expect(await getDb().sql`SELECT count(*)::int AS n FROM rate_limit_hits WHERE key = ${'login_ip:' + office}`).toEqual([{ n: 0 }]);
		expect(await signIn(getDb(), staff[1].username, 'Office-pass-42', office, async () => {})).toMatchObject({ ok: true });
	});

	it('counts parallel failures from one address each: of 30 at once, exactly 20 are answered', async () => {
		const tries = await Promise.all(Array.from({ length: 30 }, (_, i) => signIn(getDb(), unique('ghost'), 'guess-' + i, '203.0.113.92', async () => {})));
		expect(tries.filter((r) => !r.ok && r.code === 'bad_credentials').length).toBe(LOGIN_LIMIT.limit);
		expect(tries.filter((r) => !r.ok && r.code === 'rate_limited').length).toBe(30 - LOGIN_LIMIT.limit);
	});

	it('demo sign-in: only on the synthetic district, refused while locked, audited with the address', async () => {
		await getDb().sql`DELETE FROM app_meta WHERE key = 'seed'`;
		const { id, username } = await makeUser(null, 'leader');
		expect(await demoSignIn(getDb(), username, '203.0.113.30')).toMatchObject({ ok: false, code: 'not_demo' });
		await getDb().sql`INSERT INTO app_meta (key, value) VALUES ('seed', ${JSON.stringify({ synthetic: true })}::jsonb)`;
		const ok = await demoSignIn(getDb(), username, '203.0.113.30');
		expect(ok).toMatchObject({ ok: true, user: { id, username } });
		expect(await userFromToken(getDb(), ok.ok ? ok.token : '')).toMatchObject({ id });
		await getDb().sql`UPDATE users SET locked_until = now() + interval '15 minutes' WHERE id = ${id}`;
		expect(await demoSignIn(getDb(), username, '203.0.113.31')).toMatchObject({ ok: false, code: 'locked' });
		expect(await demoSignIn(getDb(), unique('ghost'), null)).toMatchObject({ ok: false, code: 'no_user' });
		const audit = await getDb().sql`SELECT action, ip, detail->>'demo' AS demo FROM audit_log WHERE user_id = ${id} ORDER BY id`;
		expect(audit).toEqual([
			{ action: 'login', ip: '203.0.113.30', demo: 'true' },
			{ action: 'login_locked', ip: '203.0.113.31', demo: 'true' }
		]);
		expect(await getDb().sql`SELECT count(*) AS n FROM sessions WHERE user_id = ${id}`).toEqual([{ n: 1 }]);
	});

	it('demo and password sign-in open a session by one policy: the screen idles as long as it lives, others 30 minutes; both audited', async () => {
		await getDb().sql`DELETE FROM app_meta WHERE key = 'seed'`;
		await getDb().sql`INSERT INTO app_meta (key, value) VALUES ('seed', ${JSON.stringify({ synthetic: true })}::jsonb)`;
		const screen = await makeUser('Screen-pass-42', 'screen');
		const manager = await makeUser('Manager-pass-42');
		const opened = await Promise.all([
			demoSignIn(getDb(), screen.username, '203.0.113.40'), signIn(getDb(), screen.username, 'Screen-pass-42', '203.0.113.41'),
			demoSignIn(getDb(), manager.username, '203.0.113.42'), signIn(getDb(), manager.username, 'Manager-pass-42', '203.0.113.43')
		]);
		// the cookie lives as long as the session
		const hours = (r: (typeof opened)[number]) => (r.ok ? Math.round((r.expires.getTime() - Date.now()) / 3600_000) : r.code);
		expect(opened.map(hours)).toEqual([24 * 90, 24 * 90, 12, 12]);
		for (const { id, policy } of [{ id: screen.id, policy: sessionPolicy('screen') }, { id: manager.id, policy: sessionPolicy('grid_manager') }]) {
			const sessions = await getDb().sql`SELECT idle_minutes, round(extract(epoch FROM expires_at - created_at) / 3600) AS hours FROM sessions WHERE user_id = ${id}`;
			expect(sessions).toEqual([{ idle_minutes: policy.idleMinutes, hours: policy.hours }, { idle_minutes: policy.idleMinutes, hours: policy.hours }]);
			const audit = await getDb().sql`SELECT action, ip, detail->>'demo' AS demo FROM audit_log WHERE user_id = ${id} ORDER BY ip`;
			expect(audit.map((a) => [a.action, a.demo])).toEqual([['login', 'true'], ['login', null]]);
		}
		expect(sessionPolicy('screen')).toEqual({ hours: 24 * 90, idleMinutes: 24 * 90 * 60 });
		expect(sessionPolicy('grid_manager')).toEqual({ hours: 12, idleMinutes: 30 });
	});
});
