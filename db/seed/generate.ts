// The demo district in memory, deterministic from (seed, now, scale). Nothing here touches the
// database; load.ts writes it.
import { startOfLocalDay } from '../../src/lib/domain/calendar';
import { Random } from '../../src/lib/domain/random';
import { buildGeography } from './geography';
import { populate } from './population';
import { makePeople } from './people';
import { generateRequests, makeHotspots, makeRequest, type RequestContext } from './requests';
import { generateCareVisits, generateDoorKnocks, generateHazards, generateVisits } from './field';
import { DEFAULT_CARE_DAYS, householdCareDays } from '../../src/lib/domain/care';

export interface SeedOptions {
	/** PRNG seed: same seed, same district */
	seed: number;
	/** households in the district (~200 000 by default; 1 000 000 for benchmarks) */
	households: number;
	/** requests over the period; defaults to 1 per 4 households (50 000 at default scale) */
	requests?: number;
	/** hazards; defaults to 1 per 40 households (5 000) */
	hazards?: number;
	/** months of history */
	months: number;
	/** the clock the history ends at (defaults to the start of today, China time) */
	now?: Date;
}

export const DEFAULT_SEED_OPTIONS: SeedOptions = { seed: 20261121, households: 200_000, months: 24 };

export type DemoDistrict = ReturnType<typeof generateDistrict>;

export function generateDistrict(options: Partial<SeedOptions> = {}) {
	const opts = { ...DEFAULT_SEED_OPTIONS, ...options };
	if (!(opts.households >= 100)) throw new RangeError(`households must be ≥ 100, got ${opts.households}`);
	const now = (opts.now ?? startOfLocalDay(new Date())).getTime();
	const start = now - opts.months * 30.44 * 86_400_000;
	const rng = new Random(opts.seed);
	const geo = buildGeography(rng.fork('geography'));
	const { buildings, households } = populate(geo, opts.households, rng.fork('population'));
	const people = makePeople(geo, rng.fork('people'));
	const hotspots = makeHotspots(geo, rng.fork('hotspots'));

	const byGrid: number[][] = geo.grids.map(() => []);
	const bySetting = { urban: [] as number[], rural: [] as number[] };
	households.forEach((h, i) => {
		byGrid[h.grid].push(i);
		bySetting[geo.grids[h.grid].setting].push(i);
	});
	const perfRng = rng.fork('performance');
	const gridPerformance = geo.grids.map(() => Math.max(0.5, perfRng.logNormal(1, 0.3)));
	const ctx: RequestContext = { rng: rng.fork('requests'), geo, now, start, households, byGrid, bySetting, hotspots, gridPerformance, people };
	const requests = generateRequests(ctx, opts.requests ?? Math.round(opts.households / 4));

	const pairedGrids = new Map<number, number[]>();
	for (const p of people.pairings) {
		if (p.kind !== 'area') continue;
		const grids = geo.grids.filter((g) => geo.communities[g.community].code === p.areaCode).map((g) => g.index);
		pairedGrids.set(p.leader, [...(pairedGrids.get(p.leader) ?? []), ...grids]);
	}
	const visits = generateVisits(geo, people.leaders, pairedGrids, hotspots, now, rng.fork('visits'));
	// What leaders found on their visits became requests, linked back to the visit (走找想促).
	const visitRng = rng.fork('visit-findings');
	for (const v of visits) {
		for (let k = visitRng.int(0, 2); k > 0; k--) {
			const stop = visitRng.pick(v.stops);
			if (!byGrid[stop.grid].length) continue;
			requests.push(makeRequest({ ...ctx, rng: visitRng }, requests.length + 1, { at: stop.arrive + 30 * 60_000, grid: stop.grid, channel: 'visit', visit: v.id }));
		}
	}
	const hazards = generateHazards(geo, buildings, hotspots, opts.hazards ?? Math.round(opts.households / 40), start, now, rng.fork('hazards'));
	const { knocks, lastVisit } = generateDoorKnocks(households, people.gridManagers, geo.grids.length, now, rng.fork('door-knocks'));
	const careVisits = generateCareVisits(households, people.gridManagers, geo.grids.length, now, (tags) => householdCareDays(tags, DEFAULT_CARE_DAYS), rng.fork('care-visits'));
	return { options: { ...opts, now: new Date(now) }, geo, buildings, households, people, hotspots, requests, hazards, knocks, lastVisit, visits, careVisits };
}
