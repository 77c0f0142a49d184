// Residential buildings and households: compounds (小区) of apartment blocks in town, clusters of
// houses around each village centre in the countryside. Households never stand in water.
import type { Random } from '../../src/lib/domain/random';
import { COMPOUND_FIRST, COMPOUND_LAST, GIVEN, SURNAMES } from './catalog';
import { dist, type Geography, type GridCell, type XY } from './geography';

export interface Building { id: number; grid: number; name: string; kind: 'apartment' | 'house'; floors: number; p: XY }
export interface Household {
	id: number; building: number; grid: number; address: string; headName: string; phone: string;
	idNumber: string; size: number; tags: string[]; p: XY;
}

/** Households per grid: ~300–500 in town, fewer in villages, scaled so the total is exact. */
export function householdQuota(grids: GridCell[], total: number, rng: Random): number[] {
	const raw = grids.map((g) => Math.max(80, g.setting === 'urban' ? rng.normal(420, 55) : rng.normal(270, 70)));
	const sum = raw.reduce((a, b) => a + b, 0);
	const quota = raw.map((r) => Math.floor((r / sum) * total));
	let left = total - quota.reduce((a, b) => a + b, 0);
	for (let i = 0; left > 0; i = (i + 1) % quota.length, left--) quota[i]++;
	return quota;
}

export function populate(geo: Geography, total: number, rng: Random) {
	const quota = householdQuota(geo.grids, total, rng);
	const buildings: Building[] = [];
	const households: Household[] = [];
	const compoundNames = new Set<string>();
	for (const grid of geo.grids) {
		let left = quota[grid.index];
		const community = geo.communities[grid.community];
		const street = geo.streets[community.street];
		while (left > 0) {
			if (grid.setting === 'urban') {
				const name = uniqueName(compoundNames, rng);
				const centre = pointIn(geo, grid, rng, grid.seed, 160);
				const blocks = rng.int(3, 12);
				for (let b = 0; b < blocks && left > 0; b++) {
					const p = pointIn(geo, grid, rng, centre, 70);
					const floors = rng.pick([6, 6, 7, 11, 18, 26, 33]);
					const building: Building = { id: buildings.length + 1, grid: grid.index, name: `${name}${b + 1}栋`, kind: 'apartment', floors, p };
					buildings.push(building);
					const units = Math.min(left, floors * rng.int(2, 4));
					for (let u = 0; u < units; u++, left--) {
						const room = `${Math.floor(u / 2) % floors + 1}${String((u % 4) + 1).padStart(2, '0')}`;
						const address = `${street.name}${community.name}${building.name}${Math.floor(u / (2 * floors)) + 1}单元${room}室`;
						households.push(household(households.length + 1, building, address, jitterWithin(geo, grid.index, p, 6, rng), 'urban', rng));
					}
				}
			} else {
				// a 村民组: houses scattered around a point, denser near the village centre
				const group = Math.floor(rng.range(0, 12)) + 1;
				const near = rng.chance(0.5) && dist(community.center, grid.seed) < 1500 ? community.center : grid.seed;
				const centre = pointIn(geo, grid, rng, near, 500);
				const houses = rng.int(15, 60);
				for (let h = 0; h < houses && left > 0; h++) {
					const p = pointIn(geo, grid, rng, centre, 160);
					const building: Building = { id: buildings.length + 1, grid: grid.index, name: `${community.name}${group}组${h + 1}号`, kind: 'house', floors: rng.int(1, 3), p };
					buildings.push(building);
					const families = rng.chance(0.12) ? 2 : 1;
					for (let f = 0; f < families && left > 0; f++, left--) {
						households.push(household(households.length + 1, building, `${street.name}${building.name}`, jitterWithin(geo, grid.index, p, 4, rng), 'rural', rng));
					}
				}
			}
		}
	}
	return { buildings, households };
}

function household(id: number, building: Building, address: string, p: XY, setting: 'urban' | 'rural', rng: Random): Household {
	const tags: string[] = [];
	const elderlyAlone = rng.chance(setting === 'rural' ? 0.08 : 0.05);
	if (elderlyAlone) tags.push('elderly_alone');
	if (rng.chance(setting === 'rural' ? 0.05 : 0.02)) tags.push('low_income');
	if (rng.chance(0.02)) tags.push('disabled');
	if (!elderlyAlone && rng.chance(setting === 'rural' ? 0.06 : 0.005)) tags.push('left_behind_child');
	const size = elderlyAlone ? 1 : Math.min(8, 1 + rng.poisson(setting === 'rural' ? 2.4 : 1.8));
	return { id, building: building.id, grid: building.grid, address, headName: personName(rng), phone: phoneNumber(rng), idNumber: idNumber(rng), size, tags, p };
}

/** A point inside the grid cell, near `around` (metres), out of the water. */
function pointIn(geo: Geography, grid: GridCell, rng: Random, around: XY, radius: number): XY {
	for (let attempt = 0; attempt < 60; attempt++) {
		const r = radius * Math.sqrt(rng.next()) * (1 + attempt / 15);
		const a = rng.range(0, 2 * Math.PI);
		const p: XY = [around[0] + r * Math.cos(a), around[1] + r * Math.sin(a)];
		if (geo.gridAt(p, grid.index) === grid.index && !geo.inWater(p)) return p;
	}
	for (let attempt = 0; attempt < 400; attempt++) {
		const p: XY = [grid.seed[0] + rng.range(-600, 600), grid.seed[1] + rng.range(-600, 600)];
		if (geo.gridAt(p, grid.index) === grid.index && !geo.inWater(p)) return p;
	}
	return grid.seed; // a cell drowned entirely is impossible with our river widths; seed is inside
}

/** p moved by up to `metres`, staying inside its grid cell (points keep the grid they are filed under). */
export function jitterWithin(geo: Geography, grid: number, p: XY, metres: number, rng: Random): XY {
	const q: XY = [p[0] + rng.range(-metres, metres), p[1] + rng.range(-metres, metres)];
	return geo.gridAt(q, grid) === grid ? q : p;
}

const PHASES = ['', '', '二', '三', '四', '五', '六', '七', '八', '九'];

function uniqueName(used: Set<string>, rng: Random): string {
	for (let i = 0; i < 50; i++) {
		const name = rng.pick(COMPOUND_FIRST) + rng.pick(COMPOUND_LAST);
		if (!used.has(name)) return used.add(name), name;
	}
	// every name is taken: later phases of an existing compound (二期, 三期 …)
	for (let phase = 2; ; phase++) {
		const name = `${rng.pick(COMPOUND_FIRST)}${rng.pick(COMPOUND_LAST)}${PHASES[phase] ?? phase}期`;
		if (!used.has(name)) return used.add(name), name;
	}
}

export function personName(rng: Random): string {
	const surname = SURNAMES[rng.int(0, SURNAMES.length - 1)];
	const given = GIVEN[rng.int(0, GIVEN.length - 1)] + (rng.chance(0.7) ? GIVEN[rng.int(0, GIVEN.length - 1)] : '');
	return surname + given;
}

export function phoneNumber(rng: Random): string {
	return rng.pick(['138', '139', '150', '151', '158', '177', '180', '186', '189', '199']) + String(rng.int(0, 99_999_999)).padStart(8, '0');
}

/** An 18-digit resident ID with a valid ISO 7064 MOD 11-2 check digit (GB 11643). */
export function idNumber(rng: Random): string {
	const birth = new Date(Date.UTC(rng.int(1935, 2005), rng.int(0, 11), rng.int(1, 28)));
	const body = '430199' + birth.toISOString().slice(0, 10).replaceAll('-', '') + String(rng.int(0, 999)).padStart(3, '0');
	const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	const sum = [...body].reduce((s, d, i) => s + Number(d) * weights[i], 0);
	return body + '10X98765432'[sum % 11];
}
