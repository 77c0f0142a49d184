// Passwords: argon2id (and the scrypt `salt:hash` hashes of 0002, replaced at the next sign-in),
// the rules for a new one, and 修改密码. The serving role never reads a hash: the hash of an
// attempt is computed here from the salt the database hands out, and compared there.
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import argon2 from 'argon2';
import { badParam } from '../../domain/apierror';
import type { Database, Queryable } from '../db/client';
import { hashToken, USER_COLUMNS } from './session';
import type { SessionUser } from './user';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

// OWASP's argon2id baseline (19 MiB, 2 passes): ~40 ms here, and a stolen table costs as much per guess.
const ARGON2 = { type: argon2.argon2id as 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
/** Verified against when the user does not exist, so that an unknown name takes as long as a wrong password. */
let dummyHash: Promise<string> | null = null;

export function hashPassword(password: string): Promise<string> {
	return argon2.hash(password, ARGON2);
}

/** argon2id hashes; also the scrypt `salt:hash` hashes of 0002, which signIn replaces on success. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
	if (!stored) {
		dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
		await argon2.verify(await dummyHash, password);
		return false;
	}
	if (stored.startsWith('$argon2')) return argon2.verify(stored, password).catch(() => false);
	const [salt, hash] = stored.split(':');
	if (!salt || !hash) return false;
	const got = await scrypt(password, Buffer.from(salt, 'hex'), 32);
	const want = Buffer.from(hash, 'hex');
	return got.length === want.length && timingSafeEqual(got, want);
}

/** A password a district's accounts may use: 10+ characters with letters and digits, not the username. */
export function checkNewPassword(password: string, username: string, field = 'password'): string {
	if (password.length < 10) throw badParam(field, `新密码至少 10 个字符，当前 ${password.length} 个`);
	if (password.length > 200) throw badParam(field, '新密码不能超过 200 个字符');
	if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) throw badParam(field, '新密码须同时包含字母和数字');
	if (password.toLowerCase().includes(username.toLowerCase())) throw badParam(field, '新密码不能包含用户名');
	return password;
}

interface Account extends SessionUser {
	passwordHash: string | null;
	failedLogins: number;
	lockedUntil: Date | null;
}

/** An account with its hash: the owner's connection only (tests, tools); the serving role cannot read hashes. */
export async function findUser(db: Queryable, username: string): Promise<Account | null> {
	const rows = await db.sql<Account>`SELECT ${USER_COLUMNS}, u.password_hash AS "passwordHash", u.failed_logins AS "failedLogins",
		u.locked_until AS "lockedUntil" FROM users u WHERE u.username = ${username} AND u.active`;
	return rows[0] ?? null;
}

/**
 * What the stored hash of `username` would be if `password` were right: the salt and parameters
 * come from auth_password_salt() (a stable fake one for an unknown name), the hashing happens here,
 * the comparison in the database. So the serving role never reads a hash, and injected SQL cannot
 * sign anyone in without the password.
 */
export async function attemptHash(db: Queryable, username: string, password: string): Promise<{ computed: string; legacy: boolean }> {
	const [{ salt }] = await db.sql<{ salt: string }>`SELECT auth_password_salt(${username}) AS salt`;
	if (salt.startsWith('scrypt$')) {
		const hex = salt.slice('scrypt$'.length);
		const got = await scrypt(password, Buffer.from(hex, 'hex'), 32);
		return { computed: `${hex}:${got.toString('hex')}`, legacy: true };
	}
	// $argon2id$v=19$m=19456,p=1,t=2$<salt, base64 without padding> (parameters in any order)
	const m = /^\$(argon2id|argon2i|argon2d)\$v=(\d+)\$([a-z]=\d+(?:,[a-z]=\d+)*)\$([A-Za-z0-9+/]+)$/.exec(salt);
	if (!m) return { computed: '', legacy: false };
	const p = Object.fromEntries(m[3].split(',').map((kv) => [kv[0], Number(kv.slice(2))]));
	const type = m[1] === 'argon2id' ? argon2.argon2id : m[1] === 'argon2i' ? argon2.argon2i : argon2.argon2d;
	const computed = await argon2.hash(password, {
		type: type as 2, version: Number(m[2]), memoryCost: p.m, timeCost: p.t, parallelism: p.p, salt: Buffer.from(m[4], 'base64')
	});
	return { computed, legacy: false };
}

/** 修改密码: checks the current one, stores the new one, ends every other session of the user. */
export async function changePassword(db: Database | Queryable, user: SessionUser, current: string, next: string, keepToken: string | undefined, ip: string | null): Promise<void> {
	const { computed } = await attemptHash(db, user.username, current);
	checkNewPassword(next, user.username, 'password');
	if (next === current) throw badParam('password', '新密码不能与当前密码相同');
	const hash = await hashPassword(next);
	const [r] = await db.sql<{ ok: boolean }>`SELECT auth_change_password(${user.id}, ${computed}, ${hash}, ${keepToken ? hashToken(keepToken) : null}, ${ip}) AS ok`;
	if (!r.ok) throw badParam('current', '当前密码不正确');
}
