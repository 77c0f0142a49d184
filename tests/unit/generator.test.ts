import { beforeAll, describe, expect, it } from 'vitest';
import { generateDistrict, type DemoDistrict } from '../../db/seed/generate';
import { idNumber } from '../../db/seed/population';
import { Random } from '../../src/lib/domain/random';
import { TRANSITIONS, type RequestAction, type RequestStatus } from '../../src/lib/domain/workflow';

const NOW = new Date('2026-11-21T00:00:00+08:00');
let d: DemoDistrict;
beforeAll(() => {
	d = generateDistrict({ households: 20_000, now: NOW });
});

describe('demo district generator', () => {
	it('is deterministic for a seed and differs for another seed', () => {
		const again = generateDistrict({ households: 20_000, now: NOW });
		expect(again.households.slice(0, 50)).toEqual(d.households.slice(0, 50));
		expect(again.requests.at(-1)).toEqual(d.requests.at(-1));
		const other = generateDistrict({ households: 20_000, now: NOW, seed: 7 });
		expect(other.households[0].p).not.toEqual(d.households[0].p);
	});

	it('names every local road, apart from the arterials and from one another (the base map labels them at zoom 15)', () => {
		const local = d.geo.roads.filter((r) => r.kind === 'road_local');
		expect(local.length).toBeGreaterThan(40);
		for (const r of local) expect(r.name, JSON.stringify(r.line[0])).toMatch(/^\p{Script=Han}{2,4}[路街]$/u);
		const arterial = new Set(d.geo.roads.filter((r) => r.kind === 'road_arterial').map((r) => r.name));
		expect(local.filter((r) => arterial.has(r.name))).toEqual([]);
		// a road clipped by the district's outline is several pieces of one name; two roads never share one
		const ends = new Map<string, Set<string>>();
		for (const r of local) ends.set(r.name!, (ends.get(r.name!) ?? new Set()).add(r.name!.endsWith('街') ? 'ns' : 'ew'));
		for (const [name, dirs] of ends) expect(dirs.size, name).toBe(1);
		expect(new Set(local.map((r) => r.name)).size).toBeGreaterThan(40);
	});

	it('has ~8 streets, ~80 communities, ~600 grids with GB/T-style codes', () => {
		expect(d.geo.streets).toHaveLength(8);
		expect(d.geo.communities).toHaveLength(80);
		expect(d.geo.grids.length).toBeGreaterThan(520);
		expect(d.geo.grids.length).toBeLessThan(680);
		for (const g of d.geo.grids) expect(g.code).toMatch(new RegExp(`^${d.geo.communities[g.community].code}\\d{3}$`));
		expect(new Set(d.geo.grids.map((g) => g.code)).size).toBe(d.geo.grids.length);
	});

	it('numbers grids north→south: the first grid of a community is north of its last', () => {
		const community = d.geo.grids.filter((g) => g.community === 0);
		expect(community[0].seed[1]).toBeGreaterThan(community.at(-1)!.seed[1]);
	});

	it('places exactly the requested households, each inside its grid and out of the water', () => {
		expect(d.households).toHaveLength(20_000);
		for (const h of d.households.filter((_, i) => i % 97 === 0)) {
			expect(d.geo.gridAt(h.p, h.grid)).toBe(h.grid);
			expect(d.geo.inWater(h.p, 0)).toBe(false);
		}
	});

	it('plays only legal transitions, in time order, none after now', () => {
		for (const r of d.requests) {
			let status: RequestStatus | null = null;
			let last = -Infinity;
			for (const e of r.events) {
				if (status !== null) expect(TRANSITIONS[status][e.action as RequestAction]).toBe(e.to);
				else expect(e.to).toBe('reported');
				expect(e.at).toBeGreaterThanOrEqual(last);
				expect(e.at).toBeLessThanOrEqual(NOW.getTime());
				[status, last] = [e.to, e.at];
			}
			expect(r.status).toBe(status);
		}
	});

	it('lands the closed-loop KPIs in the published ranges', () => {
		const evaluated = d.requests.filter((r) => r.satisfaction);
		const satisfied = evaluated.filter((r) => r.satisfaction !== 'unsatisfied').length / evaluated.length;
		const old = d.requests.filter((r) => r.stamps.reported! < NOW.getTime() - 60 * 86_400_000);
		const closedShare = old.filter((r) => r.status === 'closed').length / old.length;
		expect(satisfied).toBeGreaterThan(0.9);
		expect(satisfied).toBeLessThan(0.995);
		expect(closedShare).toBeGreaterThan(0.93);
		expect(closedShare).toBeLessThan(1);
		expect(d.requests.some((r) => r.status !== 'closed' && r.resolveDeadline && r.resolveDeadline < NOW.getTime())).toBe(true);
	});

	it('writes valid resident ID check digits', () => {
		const id = idNumber(new Random(1));
		const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
		const sum = [...id.slice(0, 17)].reduce((s, c, i) => s + Number(c) * w[i], 0);
		expect(id[17]).toBe('10X98765432'[sum % 11]);
	});
});
