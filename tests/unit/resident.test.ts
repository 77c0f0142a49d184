import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS_BODY_MAX_BYTES, guardRequest } from '../../src/lib/server/http/guard';
import {
	RESIDENT_BODY_MAX_BYTES, TRACKING_ALPHABET, challengeToken, chineseNumber, makeChallenge, normaliseTrackingCode, parseResidentPhone, parseResidentRating,
	parseResidentReport, phoneTail, residentStage, trackingCode, verifyChallenge
} from '../../src/lib/domain/resident';

const mac = (s: string) => createHmac('sha256', 'k').update(s).digest('base64url');
const equal = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
const nonce = 'abcdefghijklmnop1234';
const fieldOf = (fn: () => unknown) => { try { fn(); } catch (e) { return (e as { field?: string; code?: string }).field ?? (e as { code: string }).code; } return null; };

describe('跟踪码', () => {
	it('is 10 letters of the unambiguous alphabet', () => {
		const c = trackingCode((n) => randomBytes(n));
		expect(c).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
		expect(TRACKING_ALPHABET).not.toMatch(/[01OIL]/);
	});
	it('drops bytes ≥ 248 so every letter is equally likely', () => {
		const bytes = [255, 248, 0, 31, 62, 30, 249, 1, 2, 3, 4, 5, 6, 7, 8, 9];
		expect(trackingCode(() => Uint8Array.from(bytes))).toBe('222Z345678');
	});
	it('is read back whatever the case, spaces and dashes', () => {
		expect(normaliseTrackingCode(' abcd-efgh 23 ')).toBe('ABCDEFGH23');
		expect(normaliseTrackingCode('ABCDEFGH2O')).toBeNull(); // O is not one of ours
		expect(normaliseTrackingCode('ABC')).toBeNull();
	});
});

describe('验证题', () => {
	it('asks in Chinese words and answers in digits', () => {
		expect([chineseNumber(7), chineseNumber(10), chineseNumber(12), chineseNumber(30), chineseNumber(45)]).toEqual(['七', '十', '十二', '三十', '四十五']);
		expect(makeChallenge(() => 0)).toEqual({ question: '六加一等于几？', answer: 7 });
		expect(makeChallenge(() => 0.99)).toEqual({ question: '三十减十等于几？', answer: 20 });
	});
	it('accepts the right answer before expiry only', () => {
		const token = challengeToken(nonce, 2000, 13, mac);
		expect(verifyChallenge(token, '13', 1000, mac, equal)).toEqual({ nonce, expires: 2000 });
		expect(fieldOf(() => verifyChallenge(token, '14', 1000, mac, equal))).toBe('challengeAnswer');
		expect(fieldOf(() => verifyChallenge(token, '十三', 1000, mac, equal))).toBe('challengeAnswer');
		expect(fieldOf(() => verifyChallenge(token, '13', 2001, mac, equal))).toBe('challenge');
	});
	it('refuses a token signed with another key or with its expiry changed', () => {
		const other = challengeToken(nonce, 2000, 13, (s) => createHmac('sha256', 'x').update(s).digest('base64url'));
		expect(fieldOf(() => verifyChallenge(other, '13', 1000, mac, equal))).toBe('challengeAnswer');
		const [n, , sig] = challengeToken(nonce, 2000, 13, mac).split('.');
		expect(fieldOf(() => verifyChallenge(`${n}.9999.${sig}`, '13', 1000, mac, equal))).toBe('challengeAnswer');
		expect(fieldOf(() => verifyChallenge('garbage', '13', 1000, mac, equal))).toBe('challenge');
	});
});

describe('网上点单 fields', () => {
	const ok = { categoryCode: 'municipal.streetlight', description: '路灯坏了三天了', gridCode: '430199001001001', address: '幸福路 12 号', phone: '138 0013 8000' };
	it('reads a report and names the first bad field', () => {
		expect(parseResidentReport(ok)).toMatchObject({ gridCode: '430199001001001', lon: null, phone: '13800138000' });
		expect(fieldOf(() => parseResidentReport({ ...ok, description: '坏了' }))).toBe('description');
		expect(fieldOf(() => parseResidentReport({ ...ok, gridCode: '' }))).toBe('gridCode');
		expect(fieldOf(() => parseResidentReport({ ...ok, phone: '12345' }))).toBe('phone');
		expect(fieldOf(() => parseResidentReport({ ...ok, address: '' }))).toBe('address');
		expect(fieldOf(() => parseResidentReport({ ...ok, lon: '112.9' }))).toBe('lat');
	});
	it('refuses a filled honeypot without naming it', () => {
		expect(fieldOf(() => parseResidentReport({ ...ok, website: 'http://spam' }))).toBe('rejected');
	});
	it('takes mobiles and landlines with an area code; the tail is the last four digits', () => {
		expect(parseResidentPhone('0731-88886666')).toBe('0731-88886666');
		expect(phoneTail('0731-88886666')).toBe('6666');
		expect(fieldOf(() => parseResidentPhone('88886666'))).toBe('phone');
	});
	it('reads a rating as the evaluate move takes it', () => {
		expect(parseResidentRating({ satisfaction: 'basic', solved: 'false' })).toEqual({ satisfaction: 'basic', solved: false });
		expect(fieldOf(() => parseResidentRating({ satisfaction: 'great', solved: 'true' }))).toBe('satisfaction');
		expect(fieldOf(() => parseResidentRating({ satisfaction: 'satisfied' }))).toBe('solved');
	});
	it('tells stages in plain words, naming units only', () => {
		expect(residentStage('dispatch', '区城管局', false)).toBe('已派单至区城管局');
		expect(residentStage('evaluate', null, true)).toBe('您已评价');
	});
});

describe('网上点单 body cap (http/guard.ts)', () => {
	const post = (path: string, body: BodyInit) =>
		({ url: new URL(path, 'http://grid.test'), request: new Request(new URL(path, 'http://grid.test'), { method: 'POST', body }) }) as unknown as RequestEvent;
	it('lets three resized photos through, binary parts and all, and refuses past 5 MB', async () => {
		const form = new FormData();
		form.append('description', '路灯坏了');
		for (let i = 0; i < 3; i++) form.append('photos', new File([new Uint8Array(400_000).fill(i)], `p${i}.jpg`, { type: 'image/jpeg' }));
		const ok = post('/r', form);
		expect(await guardRequest(ok, false)).toBeNull();
		expect((await ok.request.formData()).getAll('photos')).toHaveLength(3);
		const big = new FormData();
		big.append('photos', new File([new Uint8Array(RESIDENT_BODY_MAX_BYTES + 1)], 'big.jpg', { type: 'image/jpeg' }));
		expect((await guardRequest(post('/r', big), false))?.status).toBe(413);
		// any other signed-out post keeps the 16 KB cap
		expect((await guardRequest(post('/requests/new', 'a'.repeat(ANONYMOUS_BODY_MAX_BYTES + 1)), false))?.status).toBe(413);
	});
});
