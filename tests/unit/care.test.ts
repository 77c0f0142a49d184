// 关爱对象's rules: the strictest tag wins, due/overdue on Beijing days, the on-time count, the
// input naming the field, and 0026's CHECKs saying what the domain says.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CARE_TAG_CODES, careDaysInForce, careOnTime, careState, DEFAULT_CARE_DAYS, HELP_KIND_CODES, householdCareDays, parseCareDays, parseCareVisit, warnDays } from '../../src/lib/domain/care';
import { HOUSEHOLD_TAG } from '../../src/lib/domain/labels';

const migration = readFileSync(new URL('../../db/migrations/0029_care.sql', import.meta.url), 'utf8');
const quoted = (s: string) => [...s.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);

describe('care frequencies', () => {
	it('the strictest care tag wins; tags off the list do not count', () => {
		expect(householdCareDays(['low_income', 'left_behind_child'], DEFAULT_CARE_DAYS)).toBe(14);
		expect(householdCareDays(['disabled', 'elderly_alone'], DEFAULT_CARE_DAYS)).toBe(7);
		expect(householdCareDays(['veteran'], DEFAULT_CARE_DAYS)).toBeNull();
		expect(householdCareDays([], DEFAULT_CARE_DAYS)).toBeNull();
	});
	it('configured rows override the defaults, a null row takes a tag off', () => {
		const d = careDaysInForce(new Map<string, number | null>([['elderly_alone', null], ['veteran', 60]]));
		expect(d.elderly_alone).toBeNull();
		expect(d.veteran).toBe(60);
		expect(d.low_income).toBe(30);
		expect(householdCareDays(['elderly_alone', 'low_income'], d)).toBe(30);
	});
	it('an admin types days 1–365, empty for the default, off for none', () => {
		expect(parseCareDays('elderly_alone', ' 10 ')).toBe(10);
		expect(parseCareDays('elderly_alone', '')).toBe('default');
		expect(parseCareDays('veteran', 'off')).toBeNull();
		for (const bad of ['0', '366', '7.5', 'abc']) expect(() => parseCareDays('elderly_alone', bad)).toThrowError(expect.objectContaining({ field: 'elderly_alone' }));
		expect(() => parseCareDays('rich', '7')).toThrowError(expect.objectContaining({ field: 'rich' }));
	});
	it('0026 checks the same tag and help codes as the domain', () => {
		expect(quoted(/tag IN \(([^)]*)\)/.exec(migration)![1])).toEqual(CARE_TAG_CODES);
		expect(CARE_TAG_CODES).toEqual(Object.keys(HOUSEHOLD_TAG));
		expect(quoted(/help_kind IN \(([^)]*)\)/.exec(migration)![1])).toEqual(HELP_KIND_CODES);
	});
});

describe('due and overdue, on Beijing days', () => {
	// 2025-06-02 00:30 Beijing is still 06-01 in UTC: the day is Beijing's
	const justAfterMidnight = new Date('2025-06-01T16:30:00Z');
	const lateEvening = new Date('2025-06-02T15:59:00Z'); // 23:59 Beijing, 06-02
	it('a visit on the deadline day is on time; overdue from the next Beijing day', () => {
		// last visit 05-26, weekly: deadline 06-02
		expect(careState('2025-05-26', 7, lateEvening)).toEqual({ state: 'due', deadline: '2025-06-02', daysLeft: 0 });
		expect(careState('2025-05-26', 7, new Date('2025-06-02T16:00:00Z'))).toMatchObject({ state: 'overdue', daysLeft: -1 });
		expect(careState('2025-05-26', 7, justAfterMidnight)).toMatchObject({ state: 'due', daysLeft: 0 });
	});
	it('due from warnDays before the deadline (never more than frequency − 1), ok before; never visited is overdue', () => {
		expect(warnDays(7)).toBe(3);
		expect(warnDays(2)).toBe(1);
		expect(warnDays(1)).toBe(0);
		expect(careState('2025-05-29', 7, justAfterMidnight)).toMatchObject({ state: 'due', daysLeft: 3 });
		expect(careState('2025-05-30', 7, justAfterMidnight)).toMatchObject({ state: 'ok', daysLeft: 4 });
		expect(careState('2025-06-01', 1, justAfterMidnight)).toMatchObject({ state: 'due', daysLeft: 0 });
		expect(careState(null, 30, justAfterMidnight)).toEqual({ state: 'overdue', deadline: null, daysLeft: null });
	});
});

describe('关爱走访按时率 of one household', () => {
	it('counts deadlines in the period that were met or have passed; open ones wait', () => {
		// weekly: 05-01 → 05-08 met by 05-07; 05-07 → 05-14 missed (05-20); 05-20 → 05-27 passed unmet
		expect(careOnTime(['2025-05-20', '2025-05-01', '2025-05-07'], 7, '2025-05-01', '2025-05-31', '2025-06-02')).toEqual({ due: 3, onTime: 1 });
		// on 05-25, the 05-27 deadline is still open: not counted yet
		expect(careOnTime(['2025-05-01', '2025-05-07', '2025-05-20'], 7, '2025-05-01', '2025-05-31', '2025-05-25')).toEqual({ due: 2, onTime: 1 });
		// a visit after the period does not meet a deadline inside it
		expect(careOnTime(['2025-05-20', '2025-06-01'], 7, '2025-05-01', '2025-05-31', '2025-06-02')).toEqual({ due: 1, onTime: 0 });
		expect(careOnTime([], 7, '2025-05-01', '2025-05-31', '2025-06-02')).toEqual({ due: 1, onTime: 0 });
	});
});

describe('care visit input', () => {
	const now = new Date('2025-06-02T02:00:00Z');
	const ok = { householdId: '7', situation: ' 精神好 ', helpKind: 'material', helpText: '送米一袋' };
	it('trims and keeps what was said', () => {
		expect(parseCareVisit(ok, now)).toEqual({ householdId: 7, situation: '精神好', helpKind: 'material', helpText: '送米一袋', nextStep: null, visitedAt: null });
		expect(parseCareVisit({ ...ok, helpKind: 'none', helpText: '' }, now).helpText).toBeNull();
	});
	it('refuses bad input naming the field', () => {
		const refuse = (b: Record<string, unknown>, field: string) => expect(() => parseCareVisit({ ...ok, ...b }, now)).toThrowError(expect.objectContaining({ status: 400, field }));
		refuse({ householdId: 'x' }, 'householdId');
		refuse({ situation: '  ' }, 'situation');
		refuse({ situation: '长'.repeat(501) }, 'situation');
		refuse({ helpKind: 'money' }, 'helpKind');
		refuse({ helpText: '' }, 'helpText');
		refuse({ visitedAt: '2025-06-03T02:00:00Z' }, 'visitedAt');
		refuse({ visitedAt: '2025-04-01T02:00:00Z' }, 'visitedAt');
	});
});
