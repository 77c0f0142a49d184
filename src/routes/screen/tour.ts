// The slow automatic tour of the wall display: the whole district, then one street, then one of
// its communities, then the district again; each round visits the next street, worst-ranked first,
// so the places that need attention come up first and every street comes up in turn.

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
