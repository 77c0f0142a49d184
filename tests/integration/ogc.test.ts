// OGC API – Features: bbox as an exact intersection (through the GiST index), offset paging with
// numberMatched and next/prev links, limit capped at the maximum, datetime in Beijing time, one
// feature by id, the access rules (hazards only signed in, inside one's grids; requests only their
// public face), bad parameters answered 400 naming the parameter, and the OpenAPI 3.0 document
// checked by a maintained validator (@apidevtools/swagger-parser) and against the real answers.
import SwaggerParser from '@apidevtools/swagger-parser';
import { beforeAll, expect, it } from 'vitest';
import { DEFAULT_LIMIT, MAX_LIMIT, NEXT_LIMIT, OgcError, pageLinks, parseItemsQuery, type ItemsQuery } from '../../src/lib/domain/ogc';
import type { Queryable } from '../../src/lib/server/db/client';
import { FEATURE_PROPERTIES, openApi } from '../../src/lib/server/ogc/documents';
import { COLLECTIONS, collectionFor, collectionsFor, extent, readItems } from '../../src/lib/server/ogc/features';
import { describeBackends } from './helpers/backends';
import { insertOpenDataFixture, OD, type OpenDataPeople } from './opendata.fixture';

const q = (qs = ''): ItemsQuery => parseItemsQuery(new URLSearchParams(qs));

describeBackends('OGC API – Features', (getDb) => {
	let people: OpenDataPeople;
	beforeAll(async () => {
		people = await insertOpenDataFixture(getDb());
	});
	const ids = async (id: string, qs = '', user = people.admin) =>
		(await readItems(getDb(), collectionFor(id, user), user, q(qs))).features.map((f) => f.id);

	it('reads grids as CRS84 multipolygons with their community, anonymously', async () => {
		const page = await readItems(getDb(), collectionFor('grids', null), null, q());
		expect(page.matched).toBe(2);
		expect(page.features[0]).toMatchObject({ id: OD.gridA, properties: { code: OD.gridA, name: '东风网格', community: '开放社区' } });
		expect((page.features[0].geometry as { type: string }).type).toBe('MultiPolygon');
	});

	it('filters by bbox', async () => {
		expect(await ids('grids', 'bbox=113.012,28.201,113.013,28.202')).toEqual([OD.gridB]);
		expect(await ids('hazards', 'bbox=113.001,28.201,113.009,28.209')).toEqual(['ODHZ1']);
		expect(await ids('requests', 'bbox=113.001,28.201,113.009,28.209')).toEqual(['ODSQ1', 'ODSQ2']);
	});

	it('pages with limit/offset and counts every match', async () => {
		const first = await readItems(getDb(), collectionFor('requests', null), null, q('limit=2'));
		const second = await readItems(getDb(), collectionFor('requests', null), null, q('limit=2&offset=2'));
		expect(first.matched).toBe(3); // the 信访 petition is never public
		expect(first.features.map((f) => f.id)).toEqual(['ODSQ1', 'ODSQ2']);
		expect(second.features.map((f) => f.id)).toEqual(['ODSQ3']);
	});

	it('writes next and prev links that keep the other parameters', () => {
		const url = new URL('http://x/ogc/collections/requests/items?bbox=1,2,3,4&limit=2&offset=2&api_key=k');
		const links = pageLinks(url, q('limit=2&offset=2'), 5);
		const href = (rel: string) => links.find((l) => l.rel === rel)?.href;
		expect(href('self')).toBe(url.toString());
		// the next page is at least NEXT_LIMIT long (GDAL asks limit=10, then follows next links)
		expect(href('next')).toBe(`http://x/ogc/collections/requests/items?bbox=1%2C2%2C3%2C4&limit=${NEXT_LIMIT}&offset=4&api_key=k`);
		expect(href('prev')).toBe('http://x/ogc/collections/requests/items?bbox=1%2C2%2C3%2C4&limit=2&offset=0&api_key=k');
		expect(pageLinks(url, q('limit=2&offset=4'), 5).map((l) => l.rel)).toEqual(['self', 'prev']);
	});

	it('reads one feature by id, and nothing for an unknown or non-public one', async () => {
		const one = async (id: string, fid: string) => (await readItems(getDb(), collectionFor(id, people.admin), people.admin, q(), fid)).features;
		expect((await one('grids', OD.gridB)).map((f) => f.id)).toEqual([OD.gridB]);
		expect((await one('hazards', 'ODHZ2'))[0].properties).toMatchObject({ status: 'verified', status_label: '已复查销号', type_label: '道路破损' });
		expect(await one('requests', 'ODSQ4')).toEqual([]);
		expect(await one('grids', 'nope')).toEqual([]);
	});

	it('keeps hazards from anonymous callers and limits a grid manager to their grids', async () => {
		expect(collectionsFor(null).map((c) => c.id)).toEqual(['grids', 'requests']);
		expect(collectionsFor(people.leader).map((c) => c.id)).toEqual(['grids', 'hazards', 'requests']);
		expect(() => collectionFor('hazards', null)).toThrow(expect.objectContaining({ status: 401 }));
		expect(() => collectionFor('households', people.admin)).toThrow(expect.objectContaining({ status: 404 }));
		expect(await ids('hazards', '', people.gmA)).toEqual(['ODHZ1']);
		expect(await ids('hazards', '', people.leader)).toEqual(['ODHZ1', 'ODHZ2']);
	});

	it('never carries personal data in requests', async () => {
		const { features } = await readItems(getDb(), collectionFor('requests', null), null, q());
		const text = JSON.stringify(features);
		expect(text).not.toMatch(/张三华|13812341234|reporter/);
		expect(features.find((f) => f.id === 'ODSQ2')!.geometry).toEqual({ type: 'Point', coordinates: [113.006, 28.206] });
	});

	it('filters by datetime instants and intervals', async () => {
		const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
		expect(await ids('requests', `datetime=${day(6)}/..`)).toEqual(['ODSQ1', 'ODSQ3']);
		expect(await ids('requests', `datetime=../${day(6)}`)).toEqual(['ODSQ2']);
		expect(await ids('hazards', `datetime=${day(10)}/${day(1)}`)).toEqual(['ODHZ1']);
	});

	it('gives the district extent (PostGIS box, rounded outwards to float4)', async () => {
		const [w, s, e, n] = (await extent(getDb()))!;
		expect([w <= 113, s <= 28.2, e >= 113.02, n >= 28.21]).toEqual([true, true, true, true]);
		[w - 113, s - 28.2, e - 113.02, n - 28.21].forEach((d) => expect(Math.abs(d)).toBeLessThan(1e-5));
	});

	it('answers bad parameters with 400 naming the parameter', () => {
		const bad = (qs: string) => {
			try {
				q(qs);
			} catch (e) {
				return e instanceof OgcError ? [e.status, e.parameter] : e;
			}
			return 'accepted';
		};
		expect(bad('bbox=1,2,3')).toEqual([400, 'bbox']);
		expect(bad('bbox=a,b,c,d')).toEqual([400, 'bbox']);
		expect(bad('bbox=113,29,114,28')).toEqual([400, 'bbox']);
		expect(bad('limit=0')).toEqual([400, 'limit']);
		expect(bad('limit=ten')).toEqual([400, 'limit']);
		expect(bad('limit=-5')).toEqual([400, 'limit']);
		expect(bad('datetime=2026-02-30')).toEqual([400, 'datetime']);
		expect(bad('datetime=../..')).toEqual([400, 'datetime']);
		expect(bad('datetime=2026-11-22/2026-11-21')).toEqual([400, 'datetime']);
		expect(bad('offset=-1')).toEqual([400, 'offset']);
		expect(bad('f=html')).toEqual([400, 'f']);
		expect(bad('bbox-crs=EPSG:3857')).toEqual([400, 'bbox-crs']);
		expect(bad('datetime=yesterday')).toEqual([400, 'datetime']);
		expect(bad('colour=red')).toEqual([400, 'colour']);
		expect(q('bbox=113,28,0,114,29,100').bbox).toEqual([113, 28, 114, 29]);
	});

	it('caps a limit above the maximum instead of refusing it, and defaults to DEFAULT_LIMIT', async () => {
		expect(q(`limit=${MAX_LIMIT + 1}`).limit).toBe(MAX_LIMIT);
		expect(q('limit=99999999999').limit).toBe(MAX_LIMIT);
		expect(q('').limit).toBe(DEFAULT_LIMIT);
		const page = await readItems(getDb(), collectionFor('requests', null), null, q('limit=100000'));
		expect([page.matched, page.features.length]).toEqual([3, 3]);
	});

	// one rolled-back transaction per case: the fixture stays as the other cases expect it
	const rollback = async (fn: (tx: Queryable) => Promise<void>) => {
		const undo = new Error('rollback');
		await expect(getDb().transaction(async (tx) => {
			await fn(tx);
			throw undo;
		})).rejects.toBe(undo);
	};

	it('answers bbox with the features that intersect it, not those whose envelope does', async () => {
		await rollback(async (tx) => {
			// a triangle over both grids: its envelope covers the box's corner, the triangle does not
			await tx.sql`INSERT INTO grids (code, community_code, name, geom, label_point) VALUES ('430196001001003', ${OD.community}, '三角网格',
				'SRID=4326;MULTIPOLYGON(((113 28.2,113.02 28.2,113 28.22,113 28.2)))', 'SRID=4326;POINT(113.004 28.204)')`;
			const box = [113.015, 28.215, 113.02, 28.22];
			const [{ n: byEnvelope }] = await tx.sql<{ n: number }>`SELECT count(*)::int AS n FROM grids
				WHERE geom && ST_MakeEnvelope(${box[0]}, ${box[1]}, ${box[2]}, ${box[3]}, 4326)`;
			const exact = await readItems(tx, collectionFor('grids', null), null, q(`bbox=${box.join(',')}`));
			expect({ byEnvelope, exact: exact.matched, ids: exact.features.map((f) => f.id) }).toEqual({ byEnvelope: 1, exact: 0, ids: [] });
			// a box the triangle really touches
			const touching = await readItems(tx, collectionFor('grids', null), null, q('bbox=113.005,28.212,113.007,28.214'));
			expect(touching.features.map((f) => f.id)).toEqual(['430196001001003']);
		});
	});

	it('reads datetime in Beijing time: a bare date is a Beijing day, a time without offset is +08:00', async () => {
		await rollback(async (tx) => {
			// 07:30 in Beijing on 21 November is still 20 November in UTC
			await tx.sql`UPDATE requests SET reported_at = '2026-11-21T07:30:00+08:00' WHERE code = 'ODSQ1'`;
			const at = async (datetime: string) =>
				(await readItems(tx, collectionFor('requests', null), null, q(`datetime=${encodeURIComponent(datetime)}`))).features.map((f) => f.id).filter((id) => id === 'ODSQ1');
			expect(await at('2026-11-21')).toEqual(['ODSQ1']);
			expect(await at('2026-11-20')).toEqual([]);
			expect(await at('2026-11-01/2026-11-21')).toEqual(['ODSQ1']); // the end day counts whole
			expect(await at('../2026-11-20')).toEqual([]);
			expect(await at('2026-11-21/..')).toEqual(['ODSQ1']);
			expect(await at('2026-11-21T07:00:00/2026-11-21T08:00:00')).toEqual(['ODSQ1']);
			expect(await at('2026-11-21T07:00:00Z/2026-11-21T08:00:00Z')).toEqual([]);
			expect(await at('2026-11-20T23:30:00Z')).toEqual(['ODSQ1']);
			expect(await at('2026-11-21T07:30:00')).toEqual(['ODSQ1']);
			const [one] = (await readItems(tx, collectionFor('requests', null), null, q(), 'ODSQ1')).features;
			expect(one.properties.requested_datetime).toBe('2026-11-21T07:30:00+08:00');
		});
		expect(q('datetime=2026-11-21').datetime).toEqual({ start: new Date('2026-11-20T16:00:00Z'), end: new Date('2026-11-21T16:00:00Z'), endExclusive: true });
	});

	it('describes itself in a complete OpenAPI 3.0 document that a maintained validator accepts', async () => {
		const doc = openApi('http://127.0.0.1:3104/ogc', COLLECTIONS);
		// validate() dereferences in place: hand it a copy
		await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
		const items = doc.paths['/collections/grids/items'] as { get: { parameters: { $ref: string }[]; security: object[] } };
		const params = doc.components.parameters;
		expect(items.get.parameters.map((p) => p.$ref.split('/').pop())).toEqual(['bbox', 'bbox-crs', 'datetime', 'limit', 'offset', 'f']);
		expect(params.bbox).toMatchObject({ in: 'query', style: 'form', explode: false, schema: { type: 'array', minItems: 4, maxItems: 6 } });
		expect(params.limit.schema).toEqual({ type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT });
		expect(doc.components.securitySchemes).toEqual({
			bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
			api_key: expect.objectContaining({ type: 'apiKey', in: 'query', name: 'api_key' })
		});
		expect((doc.paths['/collections/hazards/items'] as { get: { security: object[] } }).get.security).toEqual([{ bearer: [] }, { api_key: [] }]);
		expect(Object.keys(doc.paths)).toEqual(['/', '/conformance', '/api', '/collections',
			...COLLECTIONS.flatMap((c) => [`/collections/${c.id}`, `/collections/${c.id}/items`, `/collections/${c.id}/items/{featureId}`])]);
		// the schemas say what the answers really carry, property for property
		for (const c of COLLECTIONS) {
			const { features } = await readItems(getDb(), c, people.admin, q());
			expect(features.length, c.id).toBeGreaterThan(0);
			for (const f of features) expect(Object.keys(f.properties).sort(), `${c.id} ${f.id}`).toEqual(Object.keys(FEATURE_PROPERTIES[c.id]).sort());
		}
	});
});
