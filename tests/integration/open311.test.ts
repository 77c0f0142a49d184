// Open311 GeoReport v2 on the request loop: services from the category catalogue, the standard
// list filters, public reads without personal data, and a keyed POST that becomes a 点单 with its
// 'report' event; bad input answers in Open311's [{code, description}] shape, in Chinese; discovery,
// jurisdiction_id, +08:00 times, and every field of every answer checked against the spec's lists.
import { beforeAll, expect, it } from 'vitest';
import { discoveryXml, Open311Error, parseOpen311Post, parseOpen311Query, splitFormat, toXml } from '../../src/lib/domain/open311';
import { open311, open311Fields } from '../../src/lib/server/open311/http';
import {
	discoveryFor, getOpen311Request, jurisdictions, listOpen311Requests, listServices, postOpen311Request, requireJurisdiction, serviceDefinition
} from '../../src/lib/server/open311/georeport';
import { createApiKey, revokeApiKey, userFromApiKey } from '../../src/lib/server/open311/keys';
import { describeBackends } from './helpers/backends';
import { insertOpenDataFixture, OD, type OpenDataPeople } from './opendata.fixture';

const query = (qs: string) => parseOpen311Query(new URLSearchParams(qs));
const codes = (rows: { service_request_id: string }[]) => rows.map((r) => r.service_request_id).sort();

describeBackends('Open311 GeoReport v2', (getDb) => {
	let people: OpenDataPeople;
	beforeAll(async () => {
		people = await insertOpenDataFixture(getDb());
	});

	it('lists leaf categories as services, not 纠纷/微心愿 and not parent categories', async () => {
		const services = await listServices(getDb());
		expect(services.map((s) => s.service_code)).toEqual(['od_city.light', 'od_property.elevator']);
		expect(services[1]).toMatchObject({ service_name: '电梯故障', group: '物业管理', metadata: false, type: 'realtime' });
		expect(await serviceDefinition(getDb(), 'od_city.light')).toEqual({ service_code: 'od_city.light', attributes: [] });
		await expect(serviceDefinition(getDb(), 'od_property')).rejects.toMatchObject({ status: 404 });
	});

	it('lists public requests (never a 信访 petition) with open/closed mapped from the state machine', async () => {
		const rows = await listOpen311Requests(getDb(), query(''));
		expect(codes(rows)).toEqual(['ODSQ1', 'ODSQ2', 'ODSQ3']);
		expect(rows.find((r) => r.service_request_id === 'ODSQ3')!.status).toBe('open');
		expect(rows.find((r) => r.service_request_id === 'ODSQ2')!.status).toBe('closed');
	});

	it('filters by status, service_code, dates and ids, and pages', async () => {
		expect(codes(await listOpen311Requests(getDb(), query('status=closed')))).toEqual(['ODSQ2']);
		expect(codes(await listOpen311Requests(getDb(), query('status=open,closed')))).toEqual(['ODSQ1', 'ODSQ2', 'ODSQ3']);
		expect(codes(await listOpen311Requests(getDb(), query('service_code=od_city.light')))).toEqual(['ODSQ2']);
		const since = new Date(Date.now() - 6 * 86_400_000).toISOString();
		expect(codes(await listOpen311Requests(getDb(), query(`start_date=${since}`)))).toEqual(['ODSQ1', 'ODSQ3']);
		expect(codes(await listOpen311Requests(getDb(), query(`end_date=${since}`)))).toEqual(['ODSQ2']);
		expect(codes(await listOpen311Requests(getDb(), query('service_request_id=ODSQ3,ODSQ4')))).toEqual(['ODSQ3']);
		const page1 = await listOpen311Requests(getDb(), query('page_size=2'));
		const page2 = await listOpen311Requests(getDb(), query('page_size=2&page=2'));
		expect(page1.map((r) => r.service_request_id)).toEqual(['ODSQ1', 'ODSQ3']); // newest first
		expect(page2.map((r) => r.service_request_id)).toEqual(['ODSQ2']);
	});

	it('exposes no personal data: no reporter, title not free text, household requests coarse and without address', async () => {
		const r = await getOpen311Request(getDb(), 'ODSQ1');
		const text = JSON.stringify(r);
		expect(text).not.toContain('张三华');
		expect(text).not.toContain('13812341234');
		expect(r).toMatchObject({ description: '电梯坏了 ODSQ1', address: '幸福路1号', lat: 28.205, long: 113.005, agency_responsible: '区住建局' });
		const home = await getOpen311Request(getDb(), 'ODSQ2');
		expect(home).toMatchObject({ description: '路灯损坏', address: null, lat: 28.206, long: 113.006 });
		await expect(getOpen311Request(getDb(), 'ODSQ4')).rejects.toMatchObject({ status: 404 }); // a petition is not public
	});

	it('POST with a key makes a reported request with channel open311 and a report event by the key user', async () => {
		const { key } = await createApiKey(getDb(), people.admin.id, '12345 热线平台');
		const user = await userFromApiKey(getDb(), key);
		expect(user?.id).toBe(people.admin.id);
		const fields = { service_code: 'od_city.light', lat: '28.2052', long: '113.0151', description: '路灯不亮已经三天', first_name: '小明', last_name: '赵',
			phone: '13512345678', email: 'zhao@example.com', 'attribute[pole]': 'A-12' };
		const [receipt] = await postOpen311Request(getDb(), user!, parseOpen311Post(fields));
		const [r] = await getDb().sql`SELECT id, status, channel, grid_code, reporter_name, reporter_phone, created_by, details, category_code FROM requests WHERE code = ${receipt.service_request_id}`;
		expect(r).toMatchObject({ status: 'reported', channel: 'open311', grid_code: OD.gridB, reporter_name: '赵小明', reporter_phone: '13512345678', created_by: people.admin.id, category_code: 'od_city.light' });
		expect(r.details).toEqual({ open311: { email: 'zhao@example.com', attributes: { pole: 'A-12' } } });
		const events = await getDb().sql`SELECT action, to_status, actor_id, payload FROM request_events WHERE request_id = ${r.id}`;
		expect(events).toEqual([{ action: 'report', to_status: 'reported', actor_id: people.admin.id, payload: { channel: 'open311' } }]);
		expect((await getOpen311Request(getDb(), receipt.service_request_id)).status).toBe('open');
	});

	it("a grid manager's key reports only inside their grids (row-level security)", async () => {
		const user = (await userFromApiKey(getDb(), (await createApiKey(getDb(), people.gmA.id, '网格员手机端')).key))!;
		const at = { service_code: 'od_city.light', lat: '28.2052', long: '113.0151', description: '路灯不亮（网格外）' };
		await expect(postOpen311Request(getDb(), user, parseOpen311Post(at))).rejects.toMatchObject({ status: 403 });
	});

	it('locates an address_string that names a known building or household address, and refuses one it cannot', async () => {
		const user = (await userFromApiKey(getDb(), (await createApiKey(getDb(), people.admin.id, '测试客户端')).key))!;
		const [ok] = await postOpen311Request(getDb(), user, parseOpen311Post({ service_code: 'od_property.elevator', address_string: '西风路2号', description: '电梯异响' }));
		expect((await getDb().sql`SELECT grid_code FROM requests WHERE code = ${ok.service_request_id}`)[0].grid_code).toBe(OD.gridB);
		await expect(postOpen311Request(getDb(), user, parseOpen311Post({ service_code: 'od_property.elevator', address_string: '火星路1号', description: '电梯异响' })))
			.rejects.toMatchObject({ status: 400, field: 'address_string' });
	});

	it('refuses an unknown service, a point outside every grid and a revoked key, writing nothing', async () => {
		const { id, key } = await createApiKey(getDb(), people.admin.id, '将被吊销');
		const user = (await userFromApiKey(getDb(), key))!;
		const before = (await getDb().sql`SELECT count(*) AS n FROM requests`)[0].n;
		await expect(postOpen311Request(getDb(), user, parseOpen311Post({ service_code: 'od_property', lat: '28.205', long: '113.005', description: 'x' })))
			.rejects.toMatchObject({ status: 400, field: 'service_code' });
		await expect(postOpen311Request(getDb(), user, parseOpen311Post({ service_code: 'od_city.light', lat: '30', long: '120', description: '路灯不亮' })))
			.rejects.toMatchObject({ status: 400, field: 'long' });
		expect((await getDb().sql`SELECT count(*) AS n FROM requests`)[0].n).toBe(before);
		await revokeApiKey(getDb(), id);
		expect(await userFromApiKey(getDb(), key)).toBeNull();
	});

	it('parses bad input into Open311 errors naming the parameter', () => {
		const err = (fn: () => unknown) => {
			try {
				fn();
			} catch (e) {
				return e instanceof Open311Error ? [e.status, e.field] : e;
			}
			return 'no error';
		};
		expect(err(() => query('start_date=yesterday'))).toEqual([400, 'start_date']);
		expect(err(() => query('status=pending'))).toEqual([400, 'status']);
		expect(err(() => query('page_size=5000'))).toEqual([400, 'page_size']);
		expect(err(() => query('start_date=2026-11-02&end_date=2026-11-01'))).toEqual([400, 'start_date']);
		expect(err(() => parseOpen311Post({ description: 'x', lat: '1', long: '2' }))).toEqual([400, 'service_code']);
		expect(err(() => parseOpen311Post({ service_code: 'a.b', lat: '28.2', description: 'x' }))).toEqual([400, 'long']);
		expect(err(() => parseOpen311Post({ service_code: 'a.b', lat: '95', long: '113', description: 'x' }))).toEqual([400, 'lat']);
		expect(err(() => parseOpen311Post({ service_code: 'a.b', description: 'x' }))).toEqual([400, 'lat']);
		expect(err(() => parseOpen311Post({ service_code: 'a.b', lat: '28', long: '113' }))).toEqual([400, 'description']);
		expect(err(() => splitFormat('services.html'))).toEqual([404, 'format']);
		expect(new Open311Error(400, 'is required', 'service_code').body()).toEqual([{ code: 400, description: 'service_code: is required' }]);
	});

	it('reads dates without an offset as district time (UTC+8) and keeps a 90-day default window', () => {
		const q = query('start_date=2026-11-01');
		expect(q.start.toISOString()).toBe('2026-10-31T16:00:00.000Z');
		expect(q.end.getTime() - q.start.getTime()).toBe(90 * 86_400_000);
	});

	it('writes GeoReport XML with escaping and empty elements for nulls', () => {
		expect(toXml('service_requests', 'request', [{ service_request_id: 'A&1', address: null, lat: 28.2 }]))
			.toBe('<?xml version="1.0" encoding="utf-8"?>\n<service_requests><request><service_request_id>A&amp;1</service_request_id><address/><lat>28.2</lat></request></service_requests>\n');
	});

	// GeoReport v2 (http://wiki.open311.org/GeoReport_v2), field by field: [name, JSON type, may it be null]
	type Field = [string, 'string' | 'number' | 'boolean' | 'array', boolean];
	const SPEC = {
		service: [['service_code', 'string', false], ['service_name', 'string', false], ['description', 'string', true], ['metadata', 'boolean', false],
			['type', 'string', false], ['keywords', 'string', true], ['group', 'string', true]] as Field[],
		definition: [['service_code', 'string', false], ['attributes', 'array', false]] as Field[],
		request: [['service_request_id', 'string', false], ['status', 'string', false], ['status_notes', 'string', true], ['service_name', 'string', true],
			['service_code', 'string', true], ['description', 'string', true], ['agency_responsible', 'string', true], ['service_notice', 'string', true],
			['requested_datetime', 'string', false], ['updated_datetime', 'string', true], ['expected_datetime', 'string', true], ['address', 'string', true],
			['address_id', 'string', true], ['zipcode', 'string', true], ['lat', 'number', false], ['long', 'number', false], ['media_url', 'string', true]] as Field[],
		receipt: [['service_request_id', 'string', false], ['service_notice', 'string', true], ['account_id', 'string', true]] as Field[]
	};
	const typeOf = (v: unknown) => (Array.isArray(v) ? 'array' : typeof v);
	/** Every spec field present with its type (or null where allowed), and no field the spec lacks. */
	const checkFields = (what: string, row: Record<string, unknown>, fields: Field[]) => {
		expect(Object.keys(row).sort(), `${what}: the spec's fields, no others`).toEqual(fields.map(([n]) => n).sort());
		for (const [name, type, nullable] of fields) {
			const v = row[name];
			expect(v === null ? (nullable ? 'null ok' : 'null!') : typeOf(v), `${what}.${name}`).toBe(v === null ? 'null ok' : type);
		}
	};
	const BEIJING = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?\+08:00$/;
	const checkTimes = (r: Record<string, unknown>) => {
		for (const k of ['requested_datetime', 'updated_datetime', 'expected_datetime']) if (r[k] !== null) expect(r[k], k).toMatch(BEIJING);
	};

	it('answers every GeoReport v2 field with its type: services, a definition, requests (list, by id, POST receipt)', async () => {
		const services = await listServices(getDb());
		for (const s of services) {
			checkFields(`service ${s.service_code}`, { ...s }, SPEC.service);
			expect(['realtime', 'batch', 'blackbox']).toContain(s.type);
		}
		checkFields('definition', await serviceDefinition(getDb(), services[0].service_code), SPEC.definition);
		const rows = (await listOpen311Requests(getDb(), query(''))).map(({ id: _, ...r }) => r);
		expect(rows.length).toBeGreaterThan(0);
		for (const r of rows) {
			checkFields(`request ${r.service_request_id}`, r, SPEC.request);
			expect(['open', 'closed']).toContain(r.status);
			checkTimes(r);
		}
		const { id: _, ...one } = await getOpen311Request(getDb(), 'ODSQ3');
		checkFields('request by id', one, SPEC.request);
		const user = (await userFromApiKey(getDb(), (await createApiKey(getDb(), people.admin.id, '字段核对')).key))!;
		const [receipt] = await postOpen311Request(getDb(), user, parseOpen311Post({ service_code: 'od_city.light', lat: '28.2052', long: '113.0151', description: '路灯闪烁' }));
		checkFields('POST receipt', receipt, SPEC.receipt);
		const { id: __, ...posted } = await getOpen311Request(getDb(), receipt.service_request_id);
		checkFields('the posted request read back', posted, SPEC.request);
		checkTimes(posted);
	});

	it('writes requested, updated and expected times in Beijing time with +08:00, the same instants as stored', async () => {
		const r = await getOpen311Request(getDb(), 'ODSQ1');
		const [row] = await getDb().sql<{ reported_at: Date; resolve_deadline: Date }>`SELECT reported_at, resolve_deadline FROM requests WHERE code = 'ODSQ1'`;
		expect(r.requested_datetime).toMatch(BEIJING);
		expect(r.expected_datetime).toMatch(BEIJING);
		expect(Date.parse(r.requested_datetime)).toBe(new Date(row.reported_at).getTime());
		expect(Date.parse(r.expected_datetime!)).toBe(new Date(row.resolve_deadline).getTime());
	});

	it('describes itself in discovery.json and .xml as the spec lays it out', () => {
		const d = discoveryFor('http://grid.example/open311/v2');
		expect(Object.keys(d).sort()).toEqual(['changeset', 'contact', 'endpoints', 'key_service']);
		expect(d.changeset).toMatch(BEIJING);
		expect(d.contact).toMatch(/[\u4e00-\u9fff]/);
		expect(d.endpoints).toEqual([{ specification: 'http://wiki.open311.org/GeoReport_v2', url: 'http://grid.example/open311/v2', changeset: d.changeset, type: 'production',
			formats: ['application/json', 'text/xml'] }]);
		const xml = discoveryXml(d);
		expect(xml).toContain('<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification><url>http://grid.example/open311/v2</url>');
		expect(xml).toContain('<type>production</type><formats><format>application/json</format><format>text/xml</format></formats></endpoint></endpoints></discovery>');
	});

	it('takes jurisdiction_id when it is ours (the district code) or absent, and answers 404 in GeoReport error form otherwise', async () => {
		expect(await jurisdictions(getDb())).toContain(OD.district);
		await expect(requireJurisdiction(getDb(), OD.district)).resolves.toBeUndefined();
		await expect(requireJurisdiction(getDb(), null)).resolves.toBeUndefined();
		const res = await open311(() => 'json', async () => {
			await requireJurisdiction(getDb(), 'city.gov');
			return new Response('unreachable');
		});
		expect(res.status).toBe(404);
		const body = await res.json();
		expect(body).toEqual([{ code: 404, description: expect.stringMatching(/^jurisdiction_id: 未找到辖区“city\.gov”/) }]);
		expect(body[0].description).toContain(OD.district);
	});

	it('tells every error in one language (Chinese), whichever layer refuses', async () => {
		const user = (await userFromApiKey(getDb(), (await createApiKey(getDb(), people.admin.id, '语言核对')).key))!;
		const refusals: unknown[] = [];
		const refused = async (fn: () => unknown) => {
			try {
				await fn();
				refusals.push('accepted');
			} catch (e) {
				refusals.push(e);
			}
		};
		for (const qs of ['start_date=yesterday', 'status=pending', 'page_size=5000', 'start_date=2026-11-02&end_date=2026-11-01', 'start_date=2026-02-30']) await refused(() => query(qs));
		const posts: Record<string, string>[] = [{ description: 'x', lat: '1', long: '2' }, { service_code: 'a.b', lat: '28.2', description: 'x' }, { service_code: 'a.b', lat: '95', long: '113', description: 'x' },
			{ service_code: 'a.b', description: 'x' }, { service_code: 'a.b', lat: '28', long: '113' }, { service_code: 'a.b', lat: '28', long: '113', description: 'x', phone: 'abc' }];
		for (const f of posts) {
			await refused(() => parseOpen311Post(f));
		}
		await refused(() => splitFormat('services.html'));
		await refused(() => serviceDefinition(getDb(), 'nope'));
		await refused(() => getOpen311Request(getDb(), 'NOPE'));
		await refused(() => postOpen311Request(getDb(), user, parseOpen311Post({ service_code: 'nope', lat: '28.205', long: '113.005', description: 'x' })));
		await refused(() => postOpen311Request(getDb(), user, parseOpen311Post({ service_code: 'od_city.light', lat: '30', long: '120', description: '路灯不亮' })));
		await refused(() => postOpen311Request(getDb(), user, parseOpen311Post({ service_code: 'od_city.light', address_string: '火星路1号', description: '路灯不亮' })));
		await refused(() => open311Fields(new Request('http://x/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })));
		await refused(() => requireJurisdiction(getDb(), 'city.gov'));
		for (const e of refusals) {
			expect(e, String(e)).toBeInstanceOf(Error);
			// a ApiError from the shared workflow is fine too: its messages are Chinese
			const { description } = (e instanceof Open311Error ? e : new Open311Error((e as Open311Error).status, (e as Error).message, (e as Open311Error).field)).body()[0];
			expect(description, description).toMatch(/[\u4e00-\u9fff]/);
			expect(description.replace(/^[a-z_]+: /, ''), description).not.toMatch(/\b(must|is required|no such|unknown|cannot|not a)\b/);
		}
		expect(refusals).toHaveLength(19);
	});
});
