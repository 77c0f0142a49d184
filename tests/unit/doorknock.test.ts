// The door-knock record's lists live once in src/lib/domain; 0017's CHECKs must say the same, and
// 转为诉求 carries the agreed prefill parameters of /requests/new.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MET_CODES, SITUATION_TAG_CODES, knockToRequestHref, parseDoorKnock, tagLabels } from '../../src/lib/domain/doorknock';
import { HOUSEHOLD_TAG } from '../../src/lib/domain/labels';
import { TAG_BITS } from '../../src/lib/domain/pointattrs';

const migration = readFileSync(new URL('../../db/migrations/0017_knock.sql', import.meta.url), 'utf8');
const quoted = (s: string) => [...s.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);

describe('door-knock lists', () => {
	it('0017 checks the same who-was-met codes and tag codes as the domain', () => {
		expect(quoted(/met IN \(([^)]*)\)/.exec(migration)![1])).toEqual(MET_CODES);
		expect(quoted(/tags <@ ARRAY\[([^\]]*)\]/.exec(migration)![1])).toEqual(SITUATION_TAG_CODES);
	});
	it('situation tags are the households’ own list, the map’s four vulnerable bits first', () => {
		expect(SITUATION_TAG_CODES).toEqual(Object.keys(HOUSEHOLD_TAG));
		expect(SITUATION_TAG_CODES.slice(0, 4)).toEqual([...TAG_BITS]);
		expect(tagLabels(['empty_nest', 'veteran', 'imported_other'])).toEqual(['空巢', '退役军人', 'imported_other']);
	});
});

describe('转为诉求', () => {
	it('links to /requests/new with householdId, lon, lat, description, address and channel=door_knock', () => {
		const href = knockToRequestHref({ householdId: 42, lon: 113.0041234567, lat: 28.2049, address: '建设社区1栋101' }, '楼道灯坏了 & 老人行动不便');
		const url = new URL(href, 'http://x');
		expect(url.pathname).toBe('/requests/new');
		expect(Object.fromEntries(url.searchParams)).toEqual({
			householdId: '42', lon: '113.004123', lat: '28.204900', channel: 'door_knock', description: '楼道灯坏了 & 老人行动不便', address: '建设社区1栋101'
		});
	});
	it('leaves description out when nothing was found', () => {
		const url = new URL(knockToRequestHref({ householdId: 7, lon: 113, lat: 28, address: null }, null), 'http://x');
		expect([...url.searchParams.keys()].sort()).toEqual(['channel', 'householdId', 'lat', 'lon']);
	});
	it('form fields: one tags field per ticked box, duplicates dropped', () => {
		expect(parseDoorKnock({ householdId: '3', met: 'head', tags: ['veteran', 'veteran', 'disabled'], needs: '', note: '' }, { metRequired: true })).toEqual({
			householdId: 3, met: 'head', tags: ['veteran', 'disabled'], needs: null, note: null, visitedAt: null
		});
	});
});
