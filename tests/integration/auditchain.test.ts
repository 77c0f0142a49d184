// The audit log's hash chain (0012_audit_chain.sql) on both back ends: every insert is chained,
// concurrent inserts too; a row changed or deleted behind the append-only triggers (a superuser
// with session_replication_role = replica) is found by verifyAuditChain, which names the row; and
// rows written through a user's handle carry the client's address.
import { beforeAll, expect, it } from 'vitest';
import { asUser } from '../../src/lib/server/access/userdb';
import { recordExport } from '../../src/lib/server/access/audit';
import { chainProblem, verifyAuditChain } from '../../src/lib/server/access/auditchain';
import { unmaskHousehold } from '../../src/lib/server/pii/unmask';
import type { SessionUser } from '../../src/lib/server/auth/user';
import { describeBackends } from './helpers/backends';
import { insertLoopFixture, type People } from './requests.fixture';

describeBackends('audit log hash chain', (getDb) => {
	let p: People;
	let gm: SessionUser;
	beforeAll(async () => {
		p = await insertLoopFixture(getDb(), new Date());
		gm = { id: p.gmA, username: 'gmA', displayName: 'gmA', role: 'grid_manager', departmentId: null, title: null };
	});

	/** As the superuser: past the append-only triggers, as only a database administrator could. */
	const behindTheBack = (sql: string, params: unknown[] = []) =>
		getDb().transaction(async (tx) => {
			await tx.query(`SET LOCAL session_replication_role = replica`);
			await tx.query(sql, params);
		});

	it('chains rows written before and after the migration; the app role still cannot change them', async () => {
		const before = await verifyAuditChain(getDb());
		expect(before.ok).toBe(true);
		const db = asUser(getDb(), gm, '10.20.30.40');
		await recordExport(db, gm.id, 'households.csv', 3);
		const [row] = await getDb().sql`SELECT id, prev_hash, hash FROM audit_log ORDER BY id DESC LIMIT 1`;
		expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
		const after = await verifyAuditChain(getDb());
		expect(after).toEqual({ ok: true, rows: before.rows + 1, brokenId: null, why: null });
		await expect(getDb().sql`UPDATE audit_log SET reason = 'x' WHERE id = ${row.id}`).rejects.toThrow(/append-only/);
	});

	it('an export and an unmasking through a user handle carry the client address', async () => {
		await recordExport(asUser(getDb(), gm, '192.0.2.7'), gm.id, 'requests.xlsx', 12);
		const [exp] = await getDb().sql`SELECT ip FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1`;
		expect(exp.ip).toBe('192.0.2.7');
		await unmaskHousehold(asUser(getDb(), gm, '198.51.100.9'), gm, p.households[0], '入户走访核实联系方式');
		const [un] = await getDb().sql`SELECT ip, subject FROM audit_log WHERE action = 'unmask' ORDER BY id DESC LIMIT 1`;
		expect(un).toEqual({ ip: '198.51.100.9', subject: `household:${p.households[0]}` });
		// an address given by the statement wins over the transaction's
		await getDb().sql`INSERT INTO audit_log (user_id, action, subject, ip) VALUES (${gm.id}, 'logout', 'user:1', '203.0.113.1')`;
		expect((await getDb().sql`SELECT ip FROM audit_log ORDER BY id DESC LIMIT 1`)[0].ip).toBe('203.0.113.1');
	});

	it('concurrent inserts from many transactions keep one valid chain', async () => {
		const before = (await verifyAuditChain(getDb())).rows;
		await Promise.all(Array.from({ length: 24 }, (_, i) =>
			recordExport(asUser(getDb(), gm, `10.0.0.${i}`), gm.id, `concurrent-${i}.csv`, i)));
		const c = await verifyAuditChain(getDb(), 7); // small batches: the walk crosses batch edges
		expect(c).toEqual({ ok: true, rows: before + 24, brokenId: null, why: null });
	});

	it('a row changed or deleted behind the triggers is found and named', async () => {
		const ids = (await getDb().sql`SELECT id FROM audit_log ORDER BY id`).map((r) => Number(r.id));
		expect(ids.length).toBeGreaterThan(10);
		const target = ids[5];
		const [orig] = await getDb().sql`SELECT rows FROM audit_log WHERE id = ${target}`;
		await behindTheBack(`UPDATE audit_log SET rows = coalesce(rows, 0) + 1000 WHERE id = $1`, [target]);
		const changed = await verifyAuditChain(getDb());
		expect(changed).toMatchObject({ ok: false, brokenId: target, why: 'changed', rows: 5 });
		expect(chainProblem(changed)).toBe(`审计日志第 ${target} 条记录被篡改（内容与哈希不符），请立即核查`);
		// rewriting the row's own hash too just moves the break to the next row's link
		await behindTheBack(`UPDATE audit_log SET hash = audit_row_hash(prev_hash, audit_log) WHERE id = $1`, [target]);
		expect(await verifyAuditChain(getDb())).toMatchObject({ ok: false, brokenId: ids[6], why: 'link' });
		await behindTheBack(`UPDATE audit_log SET rows = $2 WHERE id = $1`, [target, orig.rows]);
		await behindTheBack(`UPDATE audit_log SET hash = audit_row_hash(prev_hash, audit_log) WHERE id = $1`, [target]);
		expect((await verifyAuditChain(getDb())).ok).toBe(true); // restored exactly: whole again

		await behindTheBack(`DELETE FROM audit_log WHERE id = $1`, [ids[8]]);
		const deleted = await verifyAuditChain(getDb());
		expect(deleted).toMatchObject({ ok: false, brokenId: ids[9], why: 'link' });
		expect(chainProblem(deleted)).toContain(`审计日志第 ${ids[9]} 条记录之前的记录被篡改或删除`);
	});
});
