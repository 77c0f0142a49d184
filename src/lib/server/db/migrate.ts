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

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
	return readdirSync(dir)
		.filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
		.sort()
		.map((f) => ({ version: f.replace(/\.sql$/, ''), sql: readFileSync(path.join(dir, f), 'utf8') }));
}

/** Applies what is missing; returns the versions applied now. */
export async function migrate(db: Db, migrations = readMigrations()): Promise<string[]> {
	await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
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
