// One error mapper (src/lib/server/http/errors.ts), three answer formats: the map API's
// {error: {code, message, field}}, OGC API exceptions {code, description, parameter} and Open311's
// [{code, description}]. Bad input is told in the format with the field named, a database refusal
// is a 403 in every format, and only a real bug is a 500.
import { describe, expect, it, vi } from 'vitest';
import { badParam } from '../../src/lib/domain/apierror';
import { parseItemsQuery } from '../../src/lib/domain/ogc';
import { parseOpen311Post } from '../../src/lib/domain/open311';
import { SeedingError } from '../../src/lib/server/db/database';
import { api } from '../../src/lib/server/http/respond';
import { ogc } from '../../src/lib/server/ogc/http';
import { open311 } from '../../src/lib/server/open311/http';

const refusedByRls = () => Promise.reject(Object.assign(new Error('permission denied for table hazards'), { code: '42501' }));
const bug = () => Promise.reject(new TypeError('x is undefined'));
const apiCall = (fn: () => Promise<Response>) => api(fn)({} as never);

describe('one error mapper, each format its own body', () => {
	it('OGC: a bad parameter is an InvalidParameterValue naming it', async () => {
		const res = await ogc(async () => {
			parseItemsQuery(new URLSearchParams('bbox=1,2,3'));
			return new Response('unreachable');
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({ code: 'InvalidParameterValue', parameter: 'bbox' });
	});

	it('Open311: a missing field is a 400 naming it, in JSON and in XML', async () => {
		const post = async () => {
			parseOpen311Post({ lat: '28.2', long: '113', description: '路灯不亮' });
			return new Response('unreachable');
		};
		const json = await open311(() => 'json', post);
		expect(json.status).toBe(400);
		expect(await json.json()).toEqual([{ code: 400, description: expect.stringMatching(/^service_code: /) }]);
		const xml = await open311(() => 'xml', post);
		expect(xml.status).toBe(400);
		expect(await xml.text()).toMatch(/<errors>\s*<error>\s*<code>400<\/code>\s*<description>service_code: /);
	});

	it('an ApiError from shared code keeps its field in every format', async () => {
		const thrower = () => Promise.reject(badParam('limit', 'limit 必须是整数'));
		expect(await (await apiCall(thrower)).json()).toEqual({ error: { code: 'invalid_param', message: 'limit 必须是整数', field: 'limit' } });
		expect(await (await ogc(thrower)).json()).toEqual({ code: 'invalid_param', description: 'limit 必须是整数', parameter: 'limit' });
		expect(await (await open311(() => 'json', thrower)).json()).toEqual([{ code: 400, description: 'limit: limit 必须是整数' }]);
	});

	it('a database refusal (42501) is a 403 in every format, never a 500', async () => {
		expect((await apiCall(refusedByRls)).status).toBe(403);
		expect((await ogc(refusedByRls)).status).toBe(403);
		expect((await open311(() => 'json', refusedByRls)).status).toBe(403);
	});

	it('a real bug is a logged 500 that tells nothing of the bug', async () => {
		const log = vi.spyOn(console, 'error').mockImplementation(() => {});
		try {
			expect(await (await apiCall(bug)).json()).toEqual({ error: { code: 'internal', message: '服务器内部错误，请稍后重试' } });
			expect(await (await ogc(bug)).json()).toEqual({ code: 'ServerError', description: '服务器内部错误，请稍后重试' });
			expect(await (await open311(() => 'json', bug)).json()).toEqual([{ code: 500, description: '服务器内部错误，请稍后重试' }]);
			expect(log.mock.calls.map((c) => c[0])).toEqual(['[api]', '[ogc]', '[open311]']);
		} finally {
			log.mockRestore();
		}
	});

	it('a database that cannot be reached is a 503 with a retry in every format', async () => {
		const down = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
		const answers = [await apiCall(down), await ogc(down), await open311(() => 'json', down)];
		expect(answers.map((r) => [r.status, r.headers.get('retry-after')])).toEqual([[503, '5'], [503, '5'], [503, '5']]);
		expect(await answers[0].json()).toEqual({ error: { code: 'database_unavailable', message: '数据库暂时不可用，请稍后重试' } });
		expect(await answers[1].json()).toMatchObject({ code: 'ServiceUnavailable' });
	});

	it('a district still seeding is a 503 with its progress in the map API', async () => {
		const seeding = () => Promise.reject(new SeedingError({ message: '生成网格' } as never));
		const res = await apiCall(seeding);
		expect([res.status, res.headers.get('retry-after')]).toEqual([503, '2']);
		expect(await res.json()).toMatchObject({ error: { code: 'seeding' }, progress: { message: '生成网格' } });
	});

	it('Open311 answers in JSON when the extension itself is unknown', async () => {
		const res = await open311(() => {
			throw new Error('unknown format');
		}, () => Promise.reject(badParam('format', 'use .json or .xml')));
		expect(res.headers.get('content-type')).toMatch(/json/);
		expect(await res.json()).toEqual([{ code: 400, description: 'format: use .json or .xml' }]);
	});
});
