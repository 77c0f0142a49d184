// Shared by the hotspot endpoints and pages: the known category codes, and parsing with them.
import type { Queryable } from '../db/client';
import { parseHotspotFilter, type HotspotFilter } from './filters';

export async function categoryCodes(db: Queryable): Promise<{ codes: Set<string>; list: { code: string; name: string; parent: string | null }[] }> {
	const list = await db.sql<{ code: string; name: string; parent: string | null }>`SELECT code, name, parent_code AS parent FROM categories ORDER BY code`;
	return { codes: new Set(list.map((c) => c.code)), list };
}

export async function filterFrom(db: Queryable, url: URL): Promise<HotspotFilter> {
	return parseHotspotFilter(url.searchParams, (await categoryCodes(db)).codes);
}
