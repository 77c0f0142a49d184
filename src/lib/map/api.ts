// Shapes of the map API documents as the browser reads them, and the browser's one JSON fetch
// (lib/client/fetchJson.ts), re-exported for the map's modules.

export type { GridStat, GridStats as GridStatsDoc, Versions } from '$lib/domain/measures';

export { fetchJson } from '$lib/client/fetchJson';
