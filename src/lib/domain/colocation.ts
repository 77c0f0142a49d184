// Co-location: where hazard hotspots and complaint hotspots overlap ("隐患热点与诉求热点重叠").

export interface ColocationOptions {
	/** a grid is hot at this Gi* bin or above (1 = 90 %, 2 = 95 %, 3 = 99 %) */
	minBin?: number;
	/** a request cluster and a hazard cluster overlap when their centres are this close, metres */
	clusterGapM?: number;
}

export const COLOCATION_DEFAULTS: Required<ColocationOptions> = { minBin: 2, clusterGapM: 150 };

/** Indices of areas hot for both: requests and hazards. */
export function colocatedAreas(requestBins: ArrayLike<number>, hazardBins: ArrayLike<number>, options: ColocationOptions = {}): number[] {
	const { minBin } = { ...COLOCATION_DEFAULTS, ...options };
	if (requestBins.length !== hazardBins.length) throw new Error(`colocatedAreas: ${requestBins.length} request bins, ${hazardBins.length} hazard bins`);
	const out: number[] = [];
	for (let i = 0; i < requestBins.length; i++) if (requestBins[i] >= minBin && hazardBins[i] >= minBin) out.push(i);
	return out;
}

export interface Centre { id: number; x: number; y: number; radiusM: number }

/** Pairs [request cluster id, hazard cluster id] whose extents (centre ± radius) come within clusterGapM. */
export function colocatedClusters(requests: readonly Centre[], hazards: readonly Centre[], options: ColocationOptions = {}): [number, number][] {
	const { clusterGapM } = { ...COLOCATION_DEFAULTS, ...options };
	const out: [number, number][] = [];
	for (const r of requests) for (const h of hazards) {
		if (Math.hypot(r.x - h.x, r.y - h.y) - r.radiusM - h.radiusM <= clusterGapM) out.push([r.id, h.id]);
	}
	return out;
}
