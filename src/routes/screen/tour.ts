// The slow automatic tour of the wall display: the whole district, then one street, then one of
// its communities, then the district again; each round visits the next street, worst-ranked first,
// so the places that need attention come up first and every street comes up in turn.
// tourRound plans a round (pure); startTour walks the rounds on a timer.

import type { AreaNode } from '$lib/domain/areatree';

/** The tour visits the areas of the sidebar tree. */
export type TourArea = AreaNode;

export interface TourStop { area: TourArea; seconds: number }

export interface TourOptions {
	/** seconds on the whole district */
	districtSeconds: number;
	/** seconds on a street or a community */
	areaSeconds: number;
}

export const DEFAULT_TOUR: TourOptions = { districtSeconds: 60, areaSeconds: 40 };

/**
 * The stops of round `round` (0, 1, …): district → street → community. `worstFirst` lists codes
 * ranked worst first (streets, then communities when known); unranked areas follow in code order.
 */
export function tourRound(areas: readonly TourArea[], worstFirst: readonly string[], round: number, o: TourOptions = DEFAULT_TOUR): TourStop[] {
	const district = areas.find((a) => a.level === 'district');
	if (!district) return [];
	const rank = (code: string) => {
		const i = worstFirst.indexOf(code);
		return i < 0 ? worstFirst.length : i;
	};
	const order = (list: TourArea[]) => [...list].sort((a, b) => rank(a.code) - rank(b.code) || a.code.localeCompare(b.code));
	const streets = order(areas.filter((a) => a.level === 'street'));
	const stops: TourStop[] = [{ area: district, seconds: o.districtSeconds }];
	if (!streets.length) return stops;
	const street = streets[round % streets.length];
	stops.push({ area: street, seconds: o.areaSeconds });
	const communities = order(areas.filter((a) => a.level === 'community' && a.parent === street.code));
	const visitsOfStreet = Math.floor(round / streets.length);
	if (communities.length) stops.push({ area: communities[visitsOfStreet % communities.length], seconds: o.areaSeconds });
	return stops;
}

/** The page's ?tour=<s> (tests): every stop that long; otherwise the default pace. */
export function tourOptions(seconds: number | null): TourOptions {
	return seconds ? { districtSeconds: seconds, areaSeconds: seconds } : DEFAULT_TOUR;
}

/**
 * Walks the tour from its first stop, round after round, calling `onStop` on arrival at each.
 * `worstFirst` is asked at the start of each round, so a round follows the latest ranking.
 * Returns the function that ends the tour.
 */
export function startTour(areas: readonly TourArea[], worstFirst: () => readonly string[], o: TourOptions, onStop: (stop: TourStop | null) => void): () => void {
	let round = 0;
	let index = 0;
	let stops: TourStop[] = [];
	let timer: ReturnType<typeof setTimeout>;
	const next = () => {
		if (index >= stops.length) {
			stops = tourRound(areas, worstFirst(), round++, o);
			index = 0;
		}
		const stop = stops[index++] ?? null;
		onStop(stop);
		timer = setTimeout(next, (stop?.seconds ?? 60) * 1000);
	};
	next();
	return () => clearTimeout(timer);
}
