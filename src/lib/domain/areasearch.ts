// The map's search box: finds streets, communities and grids by name or code among the places
// the page already holds (≈700), so typing costs no request.

export type PlaceLevel = 'district' | 'street' | 'community' | 'grid';

export interface Place {
	code: string;
	name: string;
	level: PlaceLevel;
	/** name of the enclosing area, shown under the hit to tell same-named places apart */
	parentName?: string;
}

const LEVEL_ORDER: Record<PlaceLevel, number> = { district: 0, street: 1, community: 2, grid: 3 };

/** Best first: exact code, code prefix, name prefix, name contains; then coarser level, then code. */
export function searchPlaces<P extends Place>(places: readonly P[], query: string, limit = 12): P[] {
	const q = query.trim().toLowerCase();
	if (!q) return [];
	const isCode = /^\d+$/.test(q);
	const scored: [number, P][] = [];
	for (const p of places) {
		const name = p.name.toLowerCase();
		let score = -1;
		if (isCode) score = p.code === q ? 0 : p.code.startsWith(q) ? 1 : -1;
		else score = name === q ? 0 : name.startsWith(q) ? 2 : name.includes(q) ? 3 : -1;
		if (score >= 0) scored.push([score, p]);
	}
	scored.sort(
		(a, b) => a[0] - b[0] || LEVEL_ORDER[a[1].level] - LEVEL_ORDER[b[1].level] || a[1].code.localeCompare(b[1].code)
	);
	return scored.slice(0, limit).map(([, p]) => p);
}
