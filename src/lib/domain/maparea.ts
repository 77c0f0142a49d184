// The user's area as the map receives it in page data (computed by server/queries/userArea.ts).
import type { BBox } from './tiles';

export interface MapArea {
	/** where the map opens: [west, south, east, north] */
	bbox: BBox;
	/** the grid codes in the user's scope, drawn normally; others are dimmed. null: every grid */
	grids: string[] | null;
}

/** Whether a grid is in the area's scope. */
export const inScope = (area: MapArea | null | undefined, code: string): boolean => !area?.grids || area.grids.includes(code);

/** A grid's code: 15 digits (community 12, street 9, district 6 — each a prefix of it). */
export const GRID_CODE_LENGTH = 15;
const LEVEL_LENGTHS = [GRID_CODE_LENGTH, 12, 9, 6];

/**
 * The smallest area (grid, community, street or district code) that holds every grid of a scope:
 * where a page about "my area" opens. null when the scope is every grid, or holds none.
 */
export function commonArea(grids: readonly string[] | null | undefined): string | null {
	if (!grids?.length) return null;
	let prefix = grids[0];
	for (const g of grids) while (!g.startsWith(prefix)) prefix = prefix.slice(0, -1);
	const len = LEVEL_LENGTHS.find((l) => l <= prefix.length);
	return len ? prefix.slice(0, len) : null;
}
