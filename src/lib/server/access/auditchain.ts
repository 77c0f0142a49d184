// Checks the audit log's hash chain (0012_audit_chain.sql): in id order, each row's prev_hash
// must be the hash of the row before it, and its hash must be that of its content now. The first
// row that fails is where someone changed a row, or deleted the one before it. Used by
// `npm run audit:verify` and the admin audit page; reads in batches, so a long log is fine.
import type { Queryable } from '../db/client';

export interface ChainCheck {
	ok: boolean;
	/** rows checked (all of them when ok) */
	rows: number;
	/** the id of the first row that fails, null when ok */
	brokenId: number | null;
	/** changed: the row's content no longer matches its hash; link: the row before it is not the one it was chained to (deleted, or its hash rewritten) */
	why: 'changed' | 'link' | null;
}

export async function verifyAuditChain(db: Queryable, batch = 2000): Promise<ChainCheck> {
	let lastId = 0;
	let prev: string | null = null;
	let rows = 0;
	for (;;) {
		const page = await db.sql<{ id: string | number; prev_hash: string | null; hash: string | null; computed: string }>`
			SELECT a.id, a.prev_hash, a.hash, audit_row_hash(a.prev_hash, a) AS computed
			  FROM audit_log a WHERE a.id > ${lastId} ORDER BY a.id LIMIT ${batch}`;
		for (const r of page) {
			const id = Number(r.id);
			if (r.prev_hash !== prev) return { ok: false, rows, brokenId: id, why: 'link' };
			if (r.hash !== r.computed) return { ok: false, rows, brokenId: id, why: 'changed' };
			prev = r.hash;
			lastId = id;
			rows++;
		}
		if (page.length < batch) return { ok: true, rows, brokenId: null, why: null };
	}
}

/** The admin page's banner text for a broken chain. */
export function chainProblem(c: ChainCheck): string | null {
	if (c.ok) return null;
	return c.why === 'link'
		? `审计日志第 ${c.brokenId} 条记录之前的记录被篡改或删除（哈希链在此断开），请立即核查`
		: `审计日志第 ${c.brokenId} 条记录被篡改（内容与哈希不符），请立即核查`;
}
