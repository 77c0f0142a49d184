// 巡查: the sampling rule the phone applies, the track's length, and what the server refuses.
import { describe, expect, it } from 'vitest';
import { keepFix, metres, parsePatrol, patrolKeepDays, PATROL_KEEP_DAYS_DEFAULT, PATROL_MAX_FIXES, trackLength, type Fix } from '../../src/lib/domain/patrol';

const T0 = Date.parse('2026-12-01T01:00:00Z');
const fix = (s: number, lon: number, lat: number, acc = 8): Fix => ({ t: T0 + s * 1000, lon, lat, acc });
const body = (fixes: unknown[], extra: Record<string, unknown> = {}) => ({
	clientId: '3f1c2b9e-7d4a-4c1e-9b2a-1234567890ab', startedAt: new Date(T0).toISOString(), endedAt: new Date(T0 + 3600_000).toISOString(), fixes, ...extra
});
const NOW = new Date(T0 + 2 * 3600_000);

describe('patrol track', () => {
	it('measures great-circle distance: 0.001° of latitude is 111.2 m, and a track sums its legs', () => {
		expect(metres({ lon: 112.9, lat: 28.2 }, { lon: 112.9, lat: 28.201 })).toBeCloseTo(111.2, 0);
		// 0.001° of longitude at 28.2° N is 111.2 × cos(28.2°) = 98.0 m
		expect(metres({ lon: 112.9, lat: 28.2 }, { lon: 112.901, lat: 28.2 })).toBeCloseTo(98.0, 0);
		expect(trackLength([fix(0, 112.9, 28.2), fix(30, 112.9, 28.201), fix(60, 112.901, 28.201)])).toBeCloseTo(111.2 + 98.0, 0);
		expect(trackLength([fix(0, 112.9, 28.2)])).toBe(0);
	});

	it('keeps a fix after 10 s or 15 m, drops inaccurate ones', () => {
		const last = fix(0, 112.9, 28.2);
		expect(keepFix(null, last)).toBe(true);
		expect(keepFix(last, fix(5, 112.9, 28.20005))).toBe(false); // 5 s, 5.6 m
		expect(keepFix(last, fix(5, 112.9, 28.2002))).toBe(true); // 22 m
		expect(keepFix(last, fix(10, 112.9, 28.2))).toBe(true); // 10 s standing
		expect(keepFix(last, fix(60, 112.91, 28.2, 150))).toBe(false); // 150 m accuracy
		expect(keepFix(null, fix(0, 112.9, 28.2, Number.NaN))).toBe(false);
	});
});

describe('parsePatrol', () => {
	it('accepts a patrol and drops the fixes too inaccurate to draw', () => {
		const p = parsePatrol(body([fix(0, 112.9, 28.2), { ...fix(20, 112.9, 28.201), acc: 400 }, fix(40, 112.9, 28.202)]), NOW);
		expect(p.fixes.map((f) => f.lat)).toEqual([28.2, 28.202]);
		expect(p.clientId).toBe('3f1c2b9e-7d4a-4c1e-9b2a-1234567890ab');
		expect(p.endedAt.getTime() - p.startedAt.getTime()).toBe(3600_000);
	});

	it('refuses, naming the field: bad id, end before start, in the future, too long, fixes out of time, off the map, out of order, too many', () => {
		expect(() => parsePatrol(body([], { clientId: 'x' }), NOW)).toThrow(/clientId/);
		expect(() => parsePatrol(body([], { endedAt: new Date(T0 - 1000).toISOString() }), NOW)).toThrow(/endedAt.*应晚于开始时间/);
		expect(() => parsePatrol(body([], { endedAt: new Date(NOW.getTime() + 3600_000).toISOString() }), NOW)).toThrow(/晚于当前时间/);
		expect(() => parsePatrol(body([], { startedAt: new Date(T0 - 13 * 3600_000).toISOString() }), NOW)).toThrow(/最长 12 小时/);
		expect(() => parsePatrol(body([fix(7200, 112.9, 28.2)]), NOW)).toThrow(/fixes\[0\].*不在巡查时间内/);
		expect(() => parsePatrol(body([fix(0, 2.35, 48.85)]), NOW)).toThrow(/fixes\[0\].*不在中国境内/);
		expect(() => parsePatrol(body([fix(20, 112.9, 28.2), fix(10, 112.9, 28.2)]), NOW)).toThrow(/fixes\[1\].*早于前一个点/);
		expect(() => parsePatrol(body([{ t: 'x' }]), NOW)).toThrow(/fixes\[0\]/);
		expect(() => parsePatrol(body('nope' as unknown as unknown[]), NOW)).toThrow(/fixes/);
		expect(() => parsePatrol(body(Array.from({ length: PATROL_MAX_FIXES + 1 }, (_, i) => fix(i / 10, 112.9, 28.2))), NOW)).toThrow(/最多 5000 个定位点/);
	});

	it('keeps patrols PATROL_KEEP_DAYS days when that is a whole number, else the default', () => {
		expect(patrolKeepDays('30')).toBe(30);
		expect([patrolKeepDays(undefined), patrolKeepDays('0'), patrolKeepDays('1.5'), patrolKeepDays('abc')]).toEqual(Array(4).fill(PATROL_KEEP_DAYS_DEFAULT));
	});
});
