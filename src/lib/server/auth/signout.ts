// 退出 and 退出所有设备: the session(s) end and the audit log says who and from where.
import type { Db } from '../db/client';
import { recordAudit } from '../access/audit';
import { asUser } from '../access/userdb';
import { endAllSessions, endSession } from './session';
import type { SessionUser } from './user';

/** Ends the session of `token`; when it still had a user, records the logout in their name. */
export async function signOut(db: Db, user: SessionUser | null, token: string | undefined, ip: string | null): Promise<void> {
	await endSession(db, token);
	if (user) await recordAudit(asUser(db, user), { userId: user.id, action: 'logout', subject: `user:${user.id}`, ip });
}

/** Ends every session of `user` and records how many, in one transaction as that user. */
export async function signOutEverywhere(db: Db, user: SessionUser, ip: string | null): Promise<number> {
	return asUser(db, user).transaction(async (tx) => {
		const sessions = await endAllSessions(tx, user.id);
		await recordAudit(tx, { userId: user.id, action: 'logout_all', subject: `user:${user.id}`, ip, detail: { sessions } });
		return sessions;
	});
}
