// 网格应无缝、无叠地铺满所属社区: how large a gap, an overlap or a part outside the community may
// be before an import is refused. Digitising and coordinate rounding leave small pieces along
// shared edges, so those only warn; a real mistake (a grid drawn 100 m off, a community half
// uncovered, 545 km² outside) is an error and nothing is committed.

/** Pieces smaller than this are floating-point slivers, not real gaps or overlaps: ignored, m². */
export const SLIVER_M2 = 1;
/** Up to this area, or this share of the area it is measured against, a piece only warns. */
export const TILING_TOLERANCE_M2 = 100;
export const TILING_TOLERANCE_SHARE = 0.005;

/**
 * A gap, overlap or outside piece of `m2`, against the area it belongs to (the community for a gap,
 * the grid for an overlap or a part outside): ignored (null), a warning, or an error.
 */
export function tilingLevel(m2: number, ofM2: number): 'error' | 'warning' | null {
	if (!(m2 > SLIVER_M2)) return null;
	return m2 > Math.max(TILING_TOLERANCE_M2, TILING_TOLERANCE_SHARE * ofM2) ? 'error' : 'warning';
}

/** The tolerance in words, for the messages. */
export const TILING_TOLERANCE_TEXT = `容差 ${TILING_TOLERANCE_M2} 平方米或 ${TILING_TOLERANCE_SHARE * 100}%`;
