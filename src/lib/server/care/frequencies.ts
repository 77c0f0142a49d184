// 关爱走访周期: days between care visits per household tag. Read here by everything that decides
// who is due (the due list, the KPI), changed here by the admin page; a tag without a row uses the
// domain's default (DEFAULT_CARE_DAYS). Each change is audited in its transaction.
import { ApiError, badParam } from '../../domain/apierror';
import { CARE_TAG_CODES, careDaysInForce, DEFAULT_CARE_DAYS, parseCareDays } from '../../domain/care';
import { HOUSEHOLD_TAG } from '../../domain/labels';
import type { SessionUser } from '../auth/user';
import type { Database, Queryable } from '../db/client';
import { recordAudit } from '../access/audit';

/** Days per tag in force (null: not a care tag): the one function the due rule and the KPI read. */
export async function careDays(db: Queryable): Promise<Record<string, number | null>> {
	const rows = await db.sql<{ tag: string; interval_days: number | null }>`SELECT tag, interval_days FROM care_frequencies`;
	return careDaysInForce(new Map(rows.map((r) => [r.tag, r.interval_days === null ? null : Number(r.interval_days)])));
}

export interface CareDaysRow {
	tag: string;
	label: string;
	/** in force; null: not on the care list */
	days: number | null;
	defaultDays: number | null;
	configured: boolean;
	updatedAt: Date | null;
	updatedBy: string | null;
	/** households carrying the tag that the reader sees */
	households: number;
}

export async function listCareDays(db: Queryable): Promise<CareDaysRow[]> {
	const rows = await db.sql<{ tag: string; interval_days: number | null; updatedAt: Date; updatedBy: string | null }>`
		SELECT f.tag, f.interval_days, f.updated_at AS "updatedAt", u.display_name AS "updatedBy"
		FROM care_frequencies f LEFT JOIN users u ON u.id = f.updated_by`;
	const counts = await db.sql<{ tag: string; n: number }>`SELECT t AS tag, count(*) AS n FROM households, unnest(tags) t GROUP BY t`;
	const byTag = new Map(rows.map((r) => [r.tag, r]));
	const n = new Map(counts.map((c) => [c.tag, Number(c.n)]));
	return CARE_TAG_CODES.map((tag) => {
		const r = byTag.get(tag);
		const defaultDays = DEFAULT_CARE_DAYS[tag] ?? null;
		return { tag, label: HOUSEHOLD_TAG[tag], days: r ? (r.interval_days === null ? null : Number(r.interval_days)) : defaultDays, defaultDays,
			configured: !!r, updatedAt: r?.updatedAt ?? null, updatedBy: r?.updatedBy ?? null, households: n.get(tag) ?? 0 };
	});
}

/** {tag: days | 'off' | ''} → the changes ('default': the row goes); the first bad one is refused by name. */
export function parseCareDaysChanges(body: unknown): Map<string, number | null | 'default'> {
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw badParam('body', '请求体应为 {标签: 天数} 形式的 JSON 对象');
	const entries = Object.entries(body as Record<string, unknown>);
	if (!entries.length) throw badParam('body', '没有要修改的走访周期');
	return new Map(entries.map(([tag, raw]) => [tag, parseCareDays(tag, raw)]));
}

/** Writes the changes as `admin` (all or none), each audited. */
export async function saveCareDays(db: Database, admin: SessionUser, changes: Map<string, number | null | 'default'>): Promise<CareDaysRow[]> {
	// row-level security refuses the write too; this says so in words, before any SQL
	if (admin.role !== 'admin') throw new ApiError(403, 'forbidden', '只有管理员可以修改关爱走访周期');
	await db.transaction(async (tx) => {
		const before = await careDays(tx);
		for (const [tag, asked] of changes) {
			// the default typed out is the default: no row, so a later change of the default applies
			const days = asked === (DEFAULT_CARE_DAYS[tag] ?? null) ? 'default' : asked;
			if (days === 'default') await tx.sql`DELETE FROM care_frequencies WHERE tag = ${tag}`;
			else await tx.sql`INSERT INTO care_frequencies (tag, interval_days, updated_by) VALUES (${tag}, ${days}, ${admin.id})
				ON CONFLICT (tag) DO UPDATE SET interval_days = EXCLUDED.interval_days, updated_by = EXCLUDED.updated_by, updated_at = now()`;
			const to = days === 'default' ? (DEFAULT_CARE_DAYS[tag] ?? null) : days;
			if (to !== before[tag]) {
				await recordAudit(tx, { userId: admin.id, action: 'care_frequency', subject: `care:${tag}`, detail: { from: before[tag], to, default: DEFAULT_CARE_DAYS[tag] ?? null } });
			}
		}
	});
	return listCareDays(db);
}
