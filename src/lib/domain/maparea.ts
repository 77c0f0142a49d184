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
