// 查看完整信息: a household's whole name, phone and ID number, for those who need them — the grid's
// own 网格员 and admins — with a stated reason. The read and its log row happen together or not at
// all (domain.md: every unmasking is logged).
import { ApiError, badParam, notFound } from '../../domain/apierror';
import type { SessionUser } from '../auth/user';
import type { Database } from '../db/client';

export interface Unmasked {
	id: number;
	name: string;
	phone: string | null;
	idNumber: string | null;
	loggedAt: string;
}

export function parseReason(body: unknown): string {
	const raw = (body as { reason?: unknown } | null)?.reason;
	const reason = typeof raw === 'string' ? raw.trim() : '';
	if (reason.length < 4) throw badParam('reason', '请填写查看原因（reason），至少 4 个字，例如“入户走访核实联系方式”');
	if (reason.length > 200) throw badParam('reason', `查看原因（reason）不能超过 200 个字，收到 ${reason.length} 个字`);
	return reason;
}

export async function unmaskHousehold(db: Database, user: SessionUser, householdId: number, reason: string): Promise<Unmasked> {
	return db.transaction(async (tx) => {
		const [h] = await tx.sql<{ id: number; grid_code: string }>`SELECT id, grid_code FROM households WHERE id = ${householdId}`;
		if (!h) throw notFound(`没有编号为 ${householdId} 的住户`, 'id');
		if (user.role === 'grid_manager') {
			const [own] = await tx.sql`SELECT 1 FROM user_grids WHERE user_id = ${user.id} AND grid_code = ${h.grid_code}`;
			if (!own) throw new ApiError(403, 'forbidden', '只能查看本人负责网格内住户的完整信息');
		} else if (user.role !== 'admin') {
			throw new ApiError(403, 'forbidden', '只有该网格的网格员和管理员可以查看完整个人信息');
		}
		// the checks above give the messages; the database function enforces the same rule and writes
		// the audit row in the same statement (0007_access.sql)
		const [u] = await tx.sql<{ name: string; phone: string | null; id_number: string | null; logged_at: Date }>`
			SELECT * FROM pii_unmask_household(${h.id}, ${reason})`;
		return { id: h.id, name: u.name, phone: u.phone, idNumber: u.id_number, loggedAt: new Date(u.logged_at).toISOString() };
	});
}
