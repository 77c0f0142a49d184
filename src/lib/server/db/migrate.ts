// Forward-only plain-SQL migrations from db/migrations, each applied whole in its own
// transaction and recorded in schema_migrations. Landed files are never edited.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from './client';

export const MIGRATIONS_DIR = path.resolve(process.env.MIGRATIONS_DIR ?? 'db/migrations');

export interface Migration {
	version: string;
	sql: string;
}

/**
 * Numbers that will never name a migration. 0005 was skipped when 0006_live landed (no file with
 * that number was ever committed or applied); landed migrations are never renamed, so the gap is
 * recorded here instead. Any other gap is refused.
 */
export const RETIRED_MIGRATIONS: ReadonlyMap<number, string> = new Map([[5, 'skipped when 0006_live landed; never existed']]);

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;

/**
 * Checks the file names of a migrations folder: every file is NNNN_name.sql, no number twice, and
 * the numbers run 0001, 0002, … without a gap other than a retired one. Returns the names sorted;
 * throws naming every problem, so a stray or misnumbered file stops the server at boot rather than
 * being skipped or applied out of order.
 */
export function checkMigrationFiles(names: readonly string[]): string[] {
	const problems: string[] = [];
	const byNumber = new Map<number, string[]>();
	for (const name of names) {
		const m = MIGRATION_FILE.exec(name);
		if (!m) {
			problems.push(`${name}: not a migration (expected NNNN_name.sql, lower-case name)`);
			continue;
		}
		const n = Number(m[1]);
		byNumber.set(n, [...(byNumber.get(n) ?? []), name]);
	}
	for (const [n, files] of byNumber) {
		if (files.length > 1) problems.push(`${files.sort().join(', ')}: number ${m4(n)} used twice`);
		if (RETIRED_MIGRATIONS.has(n)) problems.push(`${files.join(', ')}: number ${m4(n)} is retired (${RETIRED_MIGRATIONS.get(n)})`);
	}
	const highest = Math.max(0, ...byNumber.keys());
	for (let n = 1; n < highest; n++) {
		if (!byNumber.has(n) && !RETIRED_MIGRATIONS.has(n)) problems.push(`${m4(n)}: missing (a gap before ${m4(highest)})`);
	}
	if (problems.length) throw new Error(`db/migrations is not a clean sequence:\n  ${problems.join('\n  ')}`);
	return [...names].sort();
}

const m4 = (n: number) => String(n).padStart(4, '0');

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
	return checkMigrationFiles(readdirSync(dir)).map((f) => ({
		version: f.replace(/\.sql$/, ''),
		sql: readFileSync(path.join(dir, f), 'utf8')
	}));
}

/** The number a migration's version starts with (0018 of 0018_notify). */
const serial = (version: string) => Number(version.slice(0, 4));

/**
 * The database was migrated by a newer release than this code (a rollback of the program without
 * the database): running on would let old code write into a schema it does not know. Permanent
 * until the right program runs or the pre-upgrade backup is restored, so it says which.
 */
export class SchemaNewerError extends Error {
	readonly code = 'SCHEMA_NEWER';
	constructor(readonly database: string, readonly program: string) {
		super(`数据库结构版本 ${database} 比本程序支持的 ${program} 新：请运行与数据库相符的新版本程序，或先从升级前的备份恢复数据库`);
	}
}

/** The latest migration applied to the database, or null on an empty one. */
export async function schemaLevel(db: Db): Promise<string | null> {
	const [row] = await db.sql<{ version: string | null }>`SELECT max(version) AS version FROM schema_migrations`.catch(() => [{ version: null }]);
	return row?.version ?? null;
}

/** Where the database stands against the migrations this program knows (the admin's 系统状态). */
export interface MigrationStatus {
	/** the latest migration applied, null on an empty database */
	level: string | null;
	/** how many migrations are applied */
	applied: number;
	/** when the latest was applied (ISO time) */
	appliedAt: string | null;
	/** the latest migration this program carries */
	latest: string | null;
}

/** Read as the owner (the serving role may not read schema_migrations, 0007). */
export async function migrationStatus(db: Db, migrations = readMigrations()): Promise<MigrationStatus> {
	const [row] = await db.sql<{ level: string | null; applied: number; at: Date | string | null }>`
		SELECT max(version) AS level, count(*)::int AS applied, max(applied_at) AS at FROM schema_migrations`;
	const at = row?.at ? new Date(row.at).toISOString() : null;
	return { level: row?.level ?? null, applied: Number(row?.applied ?? 0), appliedAt: at, latest: migrations.at(-1)?.version ?? null };
}

/** Applies what is missing; returns the versions applied now. Refuses a database newer than the code. */
export async function migrate(db: Db, migrations = readMigrations()): Promise<string[]> {
	await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
	const latest = migrations.at(-1)?.version;
	const level = await schemaLevel(db);
	if (latest && level && serial(level) > serial(latest)) throw new SchemaNewerError(level, latest);
	const applied: string[] = [];
	for (const m of migrations) {
		const done = await db.transaction(async (tx) => {
			// one migrator at a time when several servers share a PostgreSQL
			await tx.sql`SELECT pg_advisory_xact_lock(72657431)`;
			const seen = await tx.sql`SELECT 1 FROM schema_migrations WHERE version = ${m.version}`;
			if (seen.length) return false;
			for (const statement of splitStatements(m.sql)) await tx.query(statement);
			await tx.sql`INSERT INTO schema_migrations (version) VALUES (${m.version})`;
			return true;
		});
		if (done) applied.push(m.version);
	}
	return applied;
}

/**
 * Splits a migration into statements so each runs through the parameterised path inside the
 * transaction. Understands -- comments, '…' strings and $$…$$ bodies, which is all we write.
 */
export function splitStatements(sql: string): string[] {
	const out: string[] = [];
	let current = '';
	let i = 0;
	while (i < sql.length) {
		const c = sql[i];
		if (c === '-' && sql[i + 1] === '-') {
			const end = sql.indexOf('\n', i);
			i = end < 0 ? sql.length : end + 1;
			current += '\n';
		} else if (c === "'" || (c === '$' && sql[i + 1] === '$')) {
			const quote = c === "'" ? "'" : '$$';
			const end = sql.indexOf(quote, i + quote.length);
			if (end < 0) throw new Error(`unterminated ${quote} in migration`);
			current += sql.slice(i, end + quote.length);
			i = end + quote.length;
		} else if (c === ';') {
			if (current.trim()) out.push(current.trim());
			current = '';
			i++;
		} else {
			current += c;
			i++;
		}
	}
	if (current.trim()) out.push(current.trim());
	return out;
}
