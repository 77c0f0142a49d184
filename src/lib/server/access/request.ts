// The database for one HTTP request: as its signed-in user (see userdb.ts).
import { ready } from '../db/database';
import { asUser, type UserDb } from './userdb';

export async function dbFor(event: { locals: App.Locals; getClientAddress?: () => string }): Promise<UserDb> {
	return asUser(await ready(), event.locals.user, clientAddress(event));
}

/** The client's address for the audit log; null where the adapter cannot say (tests, prerendering). */
export function clientAddress(event: { getClientAddress?: () => string }): string | null {
	try {
		return event.getClientAddress?.() ?? null;
	} catch {
		return null;
	}
}
