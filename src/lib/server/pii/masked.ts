// Masked personal data for a page of households in one database call (the 0007 batch function the
// export uses), instead of a SECURITY DEFINER call per row that re-reads the caller's scope
// each time. The app role cannot read these columns itself; rows outside its reach get nothing.
import type { Queryable } from '../db/client';

export interface MaskedHousehold { name: string | null; phone: string | null; id_number: string | null }

export async function maskedHouseholds(db: Queryable, ids: number[]): Promise<Map<number, MaskedHousehold>> {
	if (ids.length === 0) return new Map();
	const rows = await db.sql<MaskedHousehold & { id: number }>`SELECT * FROM pii_households_export(${ids}::int[], false)`;
	return new Map(rows.map((r) => [r.id, r]));
}
