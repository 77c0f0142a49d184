// Every table's row count and a checksum of its rows, for "does the restored copy hold exactly what
// the original held": the backup restore test, `npm run backup:checksums`, and checking a
// point-in-time recovery (docs/backup.md). Tables come from the catalogue, not from a list kept
// here, so a table added by a later migration is compared too.
import type { Queryable } from '../db/client';
import { ident, sql } from '../db/sql';

export interface TableSum {
	/** schema-qualified: public.households */
	table: string;
	rows: number;
	/** md5 of the rows' text, one per line, in byte order (empty table: '') */
	md5: string;
}

/** Ordinary tables outside the system schemas, in name order. */
export async function listTables(q: Queryable): Promise<{ schema: string; name: string }[]> {
	return q.sql<{ schema: string; name: string }>`
		SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
		ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C"`;
}

/**
 * Row count and md5 per table. Rows are compared as their text (`t::text`, geometry as hex EWKB),
 * sorted bytewise: no primary key is needed and no physical order (ctid) gets in. Read as a role
 * that sees every row (the owner or a superuser: row-level security would hide some otherwise).
 */
export async function tableChecksums(q: Queryable): Promise<TableSum[]> {
	const out: TableSum[] = [];
	for (const t of await listTables(q)) {
		const [row] = await q.run<{ rows: number; md5: string }>(sql`
			SELECT count(*)::int AS rows, coalesce(md5(string_agg(t::text, E'\n' ORDER BY t::text COLLATE "C")), '') AS md5
			FROM ${ident(t.schema, t.name)} t`);
		out.push({ table: `${t.schema}.${t.name}`, rows: row.rows, md5: row.md5 });
	}
	return out;
}
