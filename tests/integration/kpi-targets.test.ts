// KPI targets configured by an admin (issue 15): red/amber/green of /api/kpi (computeKpis reads
// the configured targets) follows a change; a non-admin is refused, by the API in structured JSON
// and by row-level security underneath; bad values are refused naming the field, nothing written;
// every change is in the audit log.
import { beforeAll, expect, it } from 'vitest';
import { asUser } from '../../src/lib/server/access/userdb';
import type { SessionUser } from '../../src/lib/server/auth/user';
import { computeKpis } from '../../src/lib/server/kpi/kpi';
import { kpiTargets, listTargets, parseTargetChanges, saveTargets } from '../../src/lib/server/kpi/targets';
import { screenSummary } from '../../src/lib/server/screen/summary';
import * as targetsRoute from '../../src/routes/api/kpi/targets/+server';
import { describeBackends } from './helpers/backends';
import { insertLoopFixture, RL, type People } from './requests.fixture';

const NOW = new Date('2025-06-30T10:00:00+08:00');
const JUNE = { area: RL.district, department: null, pairing: null, from: new Date('2025-06-01T00:00:00+08:00'), to: new Date('2025-07-01T00:00:00+08:00') };

/** The route's PUT as SvelteKit calls it, for a signed-in user (or none). */
async function put(user: SessionUser | null, body: unknown): Promise<Response> {
	const request = new Request('http://grid.intranet/api/kpi/targets', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	return targetsRoute.PUT({ locals: { user }, request, url: new URL(request.url) } as any);
}

describeBackends('KPI targets', (getDb) => {
	let p: People;
	let admin: SessionUser;
	let gm: SessionUser;
	const coverage = async () => (await computeKpis(getDb(), JUNE, { now: NOW })).values.find((v) => v.key === 'visit_coverage')!;
	beforeAll(async () => {
		p = await insertLoopFixture(getDb(), NOW);
		admin = { id: p.admin, username: 'admin', displayName: 'admin', role: 'admin', departmentId: null, title: null } as SessionUser;
		gm = { id: p.gmA, username: 'gmA', displayName: 'gmA', role: 'grid_manager', departmentId: null, title: null } as SessionUser;
	});

	it('starts from domain.md’s defaults, readable by every user', async () => {
		const rows = await listTargets(asUser(getDb(), gm));
		expect(Object.fromEntries(rows.map((r) => [r.key, [r.target, r.configured]]))).toEqual({
			accept_rate: [95, null], close_rate: [90, null], ontime_rate: [90, null], solved_rate: [90, null], satisfaction_rate: [90, null],
			whistle_rate: [95, null], visit_coverage: [60, null], hazard_rate: [90, null], mediation_rate: [85, null], care_rate: [90, null]
		});
		// 入户走访覆盖率 2 of 4 households in 90 days: 50 %, more than 5 points under 60 %
		expect(await coverage()).toMatchObject({ num: 2, den: 4, rag: 'red' });
	});

	it('an admin’s target changes the colour of /api/kpi and the big screen; audited; back to the default', async () => {
		const db = asUser(getDb(), admin);
		await saveTargets(db, admin, parseTargetChanges({ visit_coverage: '54' }));
		expect(await coverage()).toMatchObject({ value: 0.5, rag: 'amber' }); // 4 points under 54 %
		await saveTargets(db, admin, parseTargetChanges({ visit_coverage: 50 }));
		expect(await coverage()).toMatchObject({ rag: 'green' });
		expect((await kpiTargets(getDb())).visit_coverage).toBe(0.5);
		const screen = await screenSummary(getDb(), RL.district, NOW);
		expect(screen.kpis.find((k) => k.key === 'visit_coverage')?.rag).toBe('green');
		const log = await getDb().sql`SELECT user_id, subject, detail FROM audit_log WHERE action = 'kpi_target' ORDER BY id`;
		expect(log.map((l) => [l.user_id, l.subject, l.detail.from, l.detail.to])).toEqual([[p.admin, 'kpi:visit_coverage', null, 54], [p.admin, 'kpi:visit_coverage', 54, 50]]);
		const [row] = (await listTargets(getDb())).filter((r) => r.key === 'visit_coverage');
		expect(row).toMatchObject({ target: 50, defaultTarget: 60, configured: 50, updatedBy: 'admin' });
		await saveTargets(db, admin, parseTargetChanges({ visit_coverage: '' }));
		expect(await coverage()).toMatchObject({ rag: 'red' });
		expect(await getDb().sql`SELECT kpi FROM kpi_targets`).toEqual([]);
	});

	it('refuses a non-admin: the API with structured JSON, the database by row-level security', async () => {
		const res = await put(gm, { visit_coverage: 50 });
		expect(res.status).toBe(403);
		expect(await res.json()).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('管理员') } });
		expect((await put(null, { visit_coverage: 50 })).status).toBe(401);
		await expect(saveTargets(asUser(getDb(), gm), gm, { visit_coverage: 50 })).rejects.toMatchObject({ status: 403 });
		// underneath the server's check: grid_app as this user may not write the table
		await expect(asUser(getDb(), gm).sql`INSERT INTO kpi_targets (kpi, target, updated_by) VALUES ('visit_coverage', 50, ${gm.id})`).rejects.toThrow(/row-level security/);
		expect(await getDb().sql`SELECT kpi FROM kpi_targets`).toEqual([]);
	});

	it('refuses bad values naming the field, and writes none of a batch with one bad value', async () => {
		for (const [body, field] of [[{ satisfaction_rate: '101' }, 'satisfaction_rate'], [{ accept_rate: '92.55' }, 'accept_rate'],
			[{ hazard_rate: 'abc' }, 'hazard_rate'], [{ overdue: 1 }, 'overdue'], [{ nope: 1 }, 'nope'], [{}, 'body']] as const) {
			const res = await put(admin, body);
			expect(res.status, JSON.stringify(body)).toBe(400);
			expect(await res.json()).toMatchObject({ error: { code: 'invalid_param', field } });
		}
		expect((await put(admin, [80])).status).toBe(400);
		expect(() => parseTargetChanges({ satisfaction_rate: 80, solved_rate: '-3' })).toThrow(expect.objectContaining({ field: 'solved_rate' }));
		expect(await getDb().sql`SELECT kpi FROM kpi_targets`).toEqual([]);
		// the table's own guard, for a writer that skipped the server
		await expect(getDb().sql`INSERT INTO kpi_targets (kpi, target, updated_by) VALUES ('accept_rate', 100.5, ${admin.id})`).rejects.toThrow();
	});
});
