// OGC API – Features: bbox through the GiST index, offset paging with numberMatched and next/prev
// links, one feature by id, the access rules (hazards only signed in, inside one's grids; requests
// only their public face), and bad parameters answered 400 naming the parameter.
import { beforeAll, expect, it } from 'vitest';
import { MAX_LIMIT, OgcError, pageLinks, parseItemsQuery, type ItemsQuery } from '../../src/lib/domain/ogc';
import { collectionFor, collectionsFor, extent, readItems } from '../../src/lib/server/ogc/features';
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
		expect(href('next')).toBe('http://x/ogc/collections/requests/items?bbox=1%2C2%2C3%2C4&limit=2&offset=4&api_key=k');
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
		expect(bad(`limit=${MAX_LIMIT + 1}`)).toEqual([400, 'limit']);
		expect(bad('limit=0')).toEqual([400, 'limit']);
		expect(bad('offset=-1')).toEqual([400, 'offset']);
		expect(bad('f=html')).toEqual([400, 'f']);
		expect(bad('bbox-crs=EPSG:3857')).toEqual([400, 'bbox-crs']);
		expect(bad('datetime=yesterday')).toEqual([400, 'datetime']);
		expect(bad('colour=red')).toEqual([400, 'colour']);
		expect(q('bbox=113,28,0,114,29,100').bbox).toEqual([113, 28, 114, 29]);
	});
});
