// The database as one signed-in user sees it. Every statement runs in a transaction that first
// switches to the non-owner role `grid_app` and names the user (`app.user_id`), so the row-level
// security and column grants of db/migrations/0007_access.sql decide what comes back, whatever
// the SQL above them forgot. On PostgreSQL with DATABASE_OWNER_URL set the connection's own role
// is itself only a member of grid_app (connect.ts, 0011): the server's own reads see every row but
// no personal column, and sign-in goes through SECURITY DEFINER functions.
import type { Database, Db, Queryable, Row } from '../db/client';
import { withSql } from '../db/client';
import { INTERACTIVE_TIMEOUT_MS } from '../db/heavy';

/** What page and endpoint code gets: queries and transactions, always as one user. */
export interface UserDb extends Database {
	/** null for a visitor who is not signed in (row-level security then shows nothing). */
	readonly userId: number | null;
	/**
	 * Names what this user sees, for cache keys: users with the same scope see the same rows.
	 * 'all' for admins and the big screen, `u<id>` for everyone else, 'none' when signed out.
	 */
	readonly scope: string;
	/**
	 * The server's own connection. Only for what is not any user's data: fingerprints of tables
	 * (cache versions) and the like. Never for rows shown to the user.
	 */
	readonly system: Db;
}

export const APP_ROLE = 'grid_app';

/**
 * Makes the open transaction `tx` run as the app role on behalf of `userId`, until it ends.
 * `ip`, the client's address, lands in every audit_log row the transaction writes (0012's trigger
 * reads app.client_ip), so no export, unmasking or account change is logged without it.
 * app.system_read (the server's own reads on the serving connection, 0011) never carries over into
 * a user's transaction: a signed-out visitor sees nothing, a user their own scope.
 */
export async function enterUser(tx: Queryable, userId: number | null, ip: string | null = null): Promise<void> {
	await tx.sql`SELECT set_config('role', ${APP_ROLE}, true), set_config('app.user_id', ${userId == null ? '' : String(userId)}, true),
		set_config('app.client_ip', ${ip ?? ''}, true), set_config('app.system_read', '', true),
		set_config('statement_timeout', ${String(INTERACTIVE_TIMEOUT_MS)}, true)`;
}

export function asUser(db: Db, user: { id: number; role: string } | null, ip: string | null = null): UserDb {
	const userId = user?.id ?? null;
	const transaction = <T>(fn: (tx: Queryable) => Promise<T>) =>
		db.transaction(async (tx) => {
			await enterUser(tx, userId, ip);
			return fn(tx);
		});
	const query = <T extends Row = Row>(text: string, params?: unknown[]) => transaction((tx) => tx.query<T>(text, params));
	return withSql({
		kind: db.kind,
		userId,
		scope: user == null ? 'none' : user.role === 'admin' || user.role === 'screen' ? 'all' : `u${user.id}`,
		system: db,
		transaction,
		query
	});
}

/** A Database of either kind as the map's caches see it: a UserDb's scope, or 'all' for the server's own. */
export const scopeOf = (db: Queryable): string => ('scope' in db ? (db as UserDb).scope : 'all');
/** The server's own connection behind db (db itself when it is one). */
export const systemOf = (db: Queryable): Db => ('system' in db ? (db as UserDb).system : (db as Db));
