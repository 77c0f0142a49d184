// KPI targets (目标值): read here by everything that colours a KPI red/amber/green (/kpi, /api/kpi,
// the big screen), changed here by the admin page and its API. A KPI without a configured row uses
// domain.md's default (DEFAULT_TARGETS in the domain). Each change is audited in its transaction.
import { ApiError, badParam } from '../../domain/apierror';
import { DEFAULT_TARGETS, KPI_BY_KEY, parseTargetPercent, TARGET_KPIS, targetPercent, targetsFrom, type KpiTargets, type TargetedKpi } from '../../domain/kpi';
import type { SessionUser } from '../auth/user';
import type { Database, Queryable } from '../db/client';
import { recordAudit } from '../access/audit';

/** The targets in force (0…1 for rates): the one function every red/amber/green reads. */
export async function kpiTargets(db: Queryable): Promise<KpiTargets> {
	const rows = await db.sql<{ kpi: string; target: string | number }>`SELECT kpi, target FROM kpi_targets`;
	return targetsFrom(Object.fromEntries(rows.map((r) => [r.kpi, Number(r.target)])));
}

export interface TargetRow {
	key: TargetedKpi;
	label: string;
	/** in force, percent */
	target: number;
	/** domain.md's default, percent */
	defaultTarget: number;
	/** the configured percentage, null when the default is in force */
	configured: number | null;
	updatedAt: Date | null;
	updatedBy: string | null;
}

export async function listTargets(db: Queryable): Promise<TargetRow[]> {
	const rows = await db.sql<{ kpi: string; target: string | number; updatedAt: Date; updatedBy: string | null }>`
		SELECT t.kpi, t.target, t.updated_at AS "updatedAt", u.display_name AS "updatedBy"
		FROM kpi_targets t LEFT JOIN users u ON u.id = t.updated_by`;
	const byKey = new Map(rows.map((r) => [r.kpi, r]));
	return TARGET_KPIS.map((key) => {
		const r = byKey.get(key);
		const defaultTarget = targetPercent(DEFAULT_TARGETS[key]);
		const configured = r ? Number(r.target) : null;
		return { key, label: KPI_BY_KEY[key].label, target: configured ?? defaultTarget, defaultTarget, configured, updatedAt: r?.updatedAt ?? null, updatedBy: r?.updatedBy ?? null };
	});
}

export type TargetChanges = Partial<Record<TargetedKpi, number | null>>;

/**
 * {<kpi key>: percent | '' | null} → the changes (null: back to the default). Every key must be a
 * configurable KPI; the first bad one is refused naming it, before anything is written.
 */
export function parseTargetChanges(body: unknown): TargetChanges {
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw badParam('body', '请求体应为 {指标: 目标百分数} 形式的 JSON 对象');
	const entries = Object.entries(body as Record<string, unknown>);
	if (!entries.length) throw badParam('body', '没有要修改的目标值');
	const out: TargetChanges = {};
	for (const [key, raw] of entries) {
		if (!(TARGET_KPIS as readonly string[]).includes(key)) {
			throw badParam(key, `“${key.slice(0, 40)}”不是可设置目标的指标，可设置：${TARGET_KPIS.join('、')}`);
		}
		out[key as TargetedKpi] = parseTargetPercent(key as TargetedKpi, raw);
	}
	return out;
}

/** Writes the changes as `admin` (all or none), each audited; answers the targets now in force. */
export async function saveTargets(db: Database, admin: SessionUser, changes: TargetChanges): Promise<TargetRow[]> {
	// row-level security refuses the write too; this says so in words, before any SQL
	if (admin.role !== 'admin') throw new ApiError(403, 'forbidden', '只有管理员可以修改考核目标值');
	await db.transaction(async (tx) => {
		for (const [key, percent] of Object.entries(changes) as [TargetedKpi, number | null][]) {
			const [before] = await tx.sql<{ target: string }>`SELECT target FROM kpi_targets WHERE kpi = ${key}`;
			if (percent === null) await tx.sql`DELETE FROM kpi_targets WHERE kpi = ${key}`;
			else await tx.sql`INSERT INTO kpi_targets (kpi, target, updated_by) VALUES (${key}, ${percent}, ${admin.id})
				ON CONFLICT (kpi) DO UPDATE SET target = EXCLUDED.target, updated_by = EXCLUDED.updated_by, updated_at = now()`;
			await recordAudit(tx, { userId: admin.id, action: 'kpi_target', subject: `kpi:${key}`,
				detail: { from: before ? Number(before.target) : null, to: percent, default: targetPercent(DEFAULT_TARGETS[key]) } });
		}
	});
	return listTargets(db);
}
