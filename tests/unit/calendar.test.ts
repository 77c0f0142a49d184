import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay, lastDays, localDate, localDateSpan, startOfLocalDay, wholeMonths } from '../../src/lib/domain/calendar';

// 2026-11-20 is a Friday in China Standard Time.
const friday10 = new Date('2026-11-20T10:00:00+08:00');

describe('working days (CST)', () => {
	it('skips the weekend', () => {
		expect(addWorkingDays(friday10, 1).toISOString()).toBe(new Date('2026-11-23T10:00:00+08:00').toISOString());
		expect(addWorkingDays(friday10, 7).toISOString()).toBe(new Date('2026-12-01T10:00:00+08:00').toISOString());
	});
	it('counts a Friday late evening by the local date, not UTC', () => {
		// 2026-11-20 23:30 CST is still Friday locally although it is Friday 15:30 UTC
		expect(isWorkingDay(new Date('2026-11-20T23:30:00+08:00'))).toBe(true);
		expect(isWorkingDay(new Date('2026-11-21T00:30:00+08:00'))).toBe(false);
	});
	it('adds half days as hours and rolls off the weekend', () => {
		const fridayEvening = new Date('2026-11-20T20:00:00+08:00');
		expect(addWorkingDays(fridayEvening, 0.5).toISOString()).toBe(new Date('2026-11-23T08:00:00+08:00').toISOString());
	});
	it('honours configured holidays', () => {
		const holidays = new Set(['2026-11-23']);
		expect(addWorkingDays(friday10, 1, holidays).toISOString()).toBe(new Date('2026-11-24T10:00:00+08:00').toISOString());
	});
	it('refuses negative days', () => {
		expect(() => addWorkingDays(friday10, -1)).toThrow(/days must be ≥ 0/);
	});
	it('finds the local start of day', () => {
		expect(startOfLocalDay(friday10).toISOString()).toBe('2026-11-19T16:00:00.000Z');
	});
});

describe('local dates (CST)', () => {
	it('names the Beijing date of an instant, and a [from, to) period by its first and last date', () => {
		expect(localDate(new Date('2026-11-20T16:30:00Z'))).toBe('2026-11-21');
		expect(localDate(new Date('2026-11-20T15:59:59Z'))).toBe('2026-11-20');
		expect(localDateSpan(new Date('2026-11-01T00:00:00+08:00'), new Date('2026-12-01T00:00:00+08:00'))).toEqual({ from: '2026-11-01', to: '2026-11-30' });
	});
});

describe('近 N 天', () => {
	it('is N Beijing calendar days ending today, today included, not N × 24 hours back', () => {
		// 2026-11-30 07:30 Beijing time (23:30 UTC the day before)
		const at = new Date('2026-11-29T23:30:00Z');
		const w = lastDays(30, at);
		expect(w.from.toISOString()).toBe('2026-10-31T16:00:00.000Z'); // 2026-11-01 00:00 Beijing
		expect(w.to.toISOString()).toBe('2026-11-30T16:00:00.000Z'); // 2026-12-01 00:00 Beijing
		expect(localDateSpan(w.from, w.to)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
		expect(lastDays(1, at)).toEqual({ from: startOfLocalDay(at), to: new Date(startOfLocalDay(at).getTime() + 86_400_000) });
		expect(() => lastDays(0, at)).toThrow(RangeError);
	});
});

describe('whole months within a span of days (the KPI rollups read them from monthly rows)', () => {
	it('a year of 近365天 holds the eleven months between its ends', () => {
		expect(wholeMonths('2025-11-21', '2026-11-21')).toEqual({ from: '2025-12-01', to: '2026-11-01' });
	});
	it('a span starting on the 1st holds its first month; one ending on the 1st its last', () => {
		expect(wholeMonths('2026-01-01', '2026-03-01')).toEqual({ from: '2026-01-01', to: '2026-03-01' });
		expect(wholeMonths('2025-12-01', '2026-01-01')).toEqual({ from: '2025-12-01', to: '2026-01-01' });
	});
	it('none in 近30天 that crosses a month, nor in a month cut short', () => {
		expect(wholeMonths('2026-10-22', '2026-11-21')).toBeNull();
		expect(wholeMonths('2026-02-01', '2026-02-28')).toBeNull();
		expect(wholeMonths('2026-02-02', '2026-03-01')).toBeNull();
	});
});
