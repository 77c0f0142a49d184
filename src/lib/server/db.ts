// The one database connection, behind one small interface that both back ends implement:
// embedded PGlite + PostGIS (default, persisted under ./data/) and PostgreSQL + PostGIS through
// DATABASE_URL with the `postgres` client. Callers write the same SQL for both.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export type Row = Record<string, any>;

/** Anything that can run parameterised SQL: the database itself or an open transaction. */
export interface Queryable {
	/** One statement with $1…$n parameters. */
	query<T extends Row = Row>(text: string, params?: unknown[]): Promise<T[]>;
	/** Tagged template: interpolated values become parameters, never text. */
	sql<T extends Row = Row>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]>;
}

/** Queries and transactions: what page and endpoint code needs (a UserDb, or the Db itself). */
export interface Database extends Queryable {
	readonly kind: 'pglite' | 'postgres';
	/** Runs fn in a transaction: all of it commits, or none of it. */
	transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

export interface Db extends Database {
	/** Several statements, no parameters (migrations). */
	exec(text: string): Promise<void>;
	/** Bulk load with COPY … FROM in text format; `text` is tab-separated lines ending in \n. */
	copyIn(table: string, columns: string[], text: string): Promise<void>;
	/**
	 * LISTEN on `channel`: `onNotify` gets each NOTIFY payload; `onListen` runs once listening
	 * starts and again after the PostgreSQL client re-listens on a new connection (notifications
	 * sent in between are lost: catch up from the database there). Resolves to the unlisten.
	 */
	listen(channel: string, onNotify: (payload: string) => void, onListen?: () => void): Promise<() => Promise<void>>;
	close(): Promise<void>;
}

// int8 (count(*), bigserial) and numeric arrive as numbers on both back ends: our ids and
// counts stay far below 2^53.
const INT8 = 20;
const NUMERIC = 1700;

/** Turns a tagged template into `$n` text and a parameter list. */
export function toParams(strings: TemplateStringsArray, values: unknown[]): [string, unknown[]] {
	let text = strings[0];
	for (let i = 0; i < values.length; i++) text += `$${i + 1}` + strings[i + 1];
	return [text, values];
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
function copyStatement(table: string, columns: string[]): string {
	for (const name of [table, ...columns]) {
		if (!IDENT.test(name)) throw new Error(`copyIn: bad identifier "${name}"`);
	}
	return `COPY ${table} (${columns.join(', ')}) FROM STDIN`;
}

function withSql<Q extends { query: Queryable['query'] }>(q: Q): Q & Queryable {
	return Object.assign(q, {
		sql: <T extends Row>(strings: TemplateStringsArray, ...values: unknown[]) =>
			q.query<T>(...toParams(strings, values))
	});
}

export async function openPglite(dataDir?: string): Promise<Db> {
	const { PGlite } = await import('@electric-sql/pglite');
	const { postgis } = await import('@electric-sql/pglite-postgis');
	if (dataDir) mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
	const pg = await PGlite.create(dataDir ?? 'memory://', {
		extensions: { postgis },
		parsers: { [INT8]: Number, [NUMERIC]: Number }
	});
	const run = async <T extends Row>(target: { query: typeof pg.query }, text: string, params?: unknown[]) =>
		(await target.query<T>(text, params as any[])).rows;
	return withSql({
		kind: 'pglite' as const,
		query: <T extends Row>(text: string, params?: unknown[]) => run<T>(pg, text, params),
		exec: async (text: string) => {
			await pg.exec(text);
		},
		transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
			pg.transaction((tx) =>
				fn(withSql({ query: <R extends Row>(text: string, params?: unknown[]) => run<R>(tx, text, params) }))
			),
		copyIn: async (table: string, columns: string[], text: string) => {
			const statement = copyStatement(table, columns).replace('STDIN', `'/dev/blob'`);
			await pg.query(statement, [], { blob: new Blob([text]) });
		},
		listen: async (channel: string, onNotify: (payload: string) => void, onListen?: () => void) => {
			const unlisten = await pg.listen(channel, onNotify);
			onListen?.();
			return () => unlisten();
		},
		close: () => pg.close()
	});
}

export async function openPostgres(url: string): Promise<Db> {
	const { default: postgres } = await import('postgres');
	const number = { to: 0, from: [INT8, NUMERIC], serialize: String, parse: Number };
	// A JSON text bound to json/jsonb goes in as that JSON, as PGlite does; by default postgres.js
	// stringifies strings a second time and stores a jsonb string.
	const asJson = (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x));
	const json = { to: 114, from: [114], serialize: asJson, parse: JSON.parse };
	const jsonb = { to: 3802, from: [3802], serialize: asJson, parse: JSON.parse };
	const sql = postgres(url, {
		max: Number(process.env.DATABASE_POOL_MAX ?? 10),
		onnotice: () => {},
		types: { number, json, jsonb } as any
	});
	const run = async <T extends Row>(target: any, text: string, params?: unknown[]) =>
		[...(await target.unsafe(text, params ?? []))] as T[];
	return withSql({
		kind: 'postgres' as const,
		query: <T extends Row>(text: string, params?: unknown[]) => run<T>(sql, text, params),
		exec: async (text: string) => {
			await sql.unsafe(text).simple();
		},
		transaction: async <T>(fn: (tx: Queryable) => Promise<T>) =>
			(await sql.begin((tx) =>
				fn(withSql({ query: <R extends Row>(text: string, params?: unknown[]) => run<R>(tx, text, params) }))
			)) as T,
		copyIn: async (table: string, columns: string[], text: string) => {
			const writable = await sql.unsafe(copyStatement(table, columns)).writable();
			await pipeline(Readable.from([text]), writable);
		},
		listen: async (channel: string, onNotify: (payload: string) => void, onListen?: () => void) => {
			const { unlisten } = await sql.listen(channel, onNotify, onListen);
			return unlisten;
		},
		close: () => sql.end({ timeout: 5 })
	});
}

/** Opens the configured back end: DATABASE_URL when set, else PGlite under DATA_DIR (./data). */
export function openConfigured(env: Record<string, string | undefined> = process.env): Promise<Db> {
	if (env.DATABASE_URL) return openPostgres(env.DATABASE_URL);
	const dir = path.join(env.DATA_DIR ?? 'data', 'pglite');
	return openPglite(dir);
}
