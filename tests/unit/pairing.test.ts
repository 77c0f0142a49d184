import { describe, expect, it } from 'vitest';
import { PAIRING_VISIT_DAYS, pairingDue, parseEnd, parsePairing } from '../../src/lib/domain/pairing';

const leader = { id: 7, role: 'leader' };
const admin = { id: 1, role: 'admin' };
const now = new Date('2026-12-01T02:00:00Z'); // 10:00 Beijing

describe('a 包联 from a form', () => {
	it('a village/community: its code, the leader themself, starting today (Beijing)', () => {
		expect(parsePairing({ kind: 'area', name: ' 裕民社区 ', areaCode: '430199001001', leaderId: '99' }, leader, now))
			.toEqual({ kind: 'area', name: '裕民社区', areaCode: '430199001001', lon: null, lat: null, note: null, leaderId: 7, startedOn: '2026-12-01' });
	});
	it('an enterprise: a place on the map; an admin names the leader', () => {
		expect(parsePairing({ kind: 'enterprise', name: '某食品公司', lon: '112.95', lat: '28.21', leaderId: '12', startedOn: '2026-03-01', note: '用工' }, admin, now))
			.toEqual({ kind: 'enterprise', name: '某食品公司', areaCode: null, lon: 112.95, lat: 28.21, note: '用工', leaderId: 12, startedOn: '2026-03-01' });
	});
	it('names the field and the problem', () => {
		expect(() => parsePairing({ kind: 'school', name: 'x' }, leader)).toThrow(/包联类型 kind/);
		expect(() => parsePairing({ kind: 'area', name: '' }, leader)).toThrow('请填写包联对象名称（name），不超过 60 字');
		expect(() => parsePairing({ kind: 'area', name: 'x', areaCode: '4301' }, leader)).toThrow(/areaCode/);
		expect(() => parsePairing({ kind: 'project', name: 'x', lon: '', lat: '28' }, leader)).toThrow('经度（lon）应在 73–136 之间：请在地图上点选位置');
		expect(() => parsePairing({ kind: 'project', name: 'x', lon: '28.2', lat: '112.9' }, leader)).toThrow(/经度（lon）/);
		expect(() => parsePairing({ kind: 'area', name: 'x', areaCode: '430199001001' }, admin)).toThrow(/包联领导/);
		expect(() => parsePairing({ kind: 'area', name: 'x', areaCode: '430199001001', startedOn: '2026-02-30' }, leader)).toThrow(/开始日期（startedOn）/);
	});
});

describe('待走访 and 结束', () => {
	it(`is due after ${PAIRING_VISIT_DAYS} days without a visit, counted from the start when never visited`, () => {
		expect(pairingDue('2026-09-02', '2025-01-01', '2026-12-01')).toBe(true); // 90 days
		expect(pairingDue('2026-09-03', '2025-01-01', '2026-12-01')).toBe(false);
		expect(pairingDue(null, '2026-11-01', '2026-12-01')).toBe(false);
		expect(pairingDue(null, '2026-09-01', '2026-12-01')).toBe(true);
		// a visit before the pairing began does not count for it
		expect(pairingDue('2026-01-01', '2026-10-01', '2026-12-01')).toBe(false);
	});
	it('ends today unless told, never before it began', () => {
		expect(parseEnd('', '2026-01-01', now)).toBe('2026-12-01');
		expect(parseEnd('2026-06-30', '2026-01-01', now)).toBe('2026-06-30');
		expect(() => parseEnd('2025-12-31', '2026-01-01', now)).toThrow('结束日期（endedOn）2025-12-31 早于包联开始日期 2026-01-01');
	});
});
