import { describe, expect, it } from 'vitest';
import { decisionOverdue, parseDecisionNote, parseVisitFilter, visitQuery } from '../../src/lib/domain/visits';

const parse = (s: string) => parseVisitFilter(new URLSearchParams(s));

describe('the visit list filter', () => {
	it('reads period, type, leader and page; nothing given is everything, page 1', () => {
		expect(parse('')).toEqual({ from: null, to: null, type: null, leader: null, page: 1 });
		expect(parse('from=2026-01-01&to=2026-03-31&type=research&leader=12&page=3')).toEqual({ from: '2026-01-01', to: '2026-03-31', type: 'research', leader: 12, page: 3 });
	});
	it('names the field and the problem', () => {
		expect(() => parse('from=2026-02-30')).toThrow('开始日期（from）应为 YYYY-MM-DD 格式的日期，收到“2026-02-30”');
		expect(() => parse('to=26-1-1')).toThrow(/结束日期（to）/);
		expect(() => parse('from=2026-05-01&to=2026-04-01')).toThrow('开始日期（from）2026-05-01 晚于结束日期（to）2026-04-01');
		expect(() => parse('type=party')).toThrow(/走访类型 type/);
		expect(() => parse('page=0')).toThrow(/页码/);
		expect(() => parse('leader=abc')).toThrow(/带队领导/);
	});
	it('writes the query back, changing only what is asked', () => {
		const f = parse('from=2026-01-01&type=research&page=2');
		expect(visitQuery(f)).toBe('?from=2026-01-01&type=research&page=2');
		expect(visitQuery(f, { type: null, page: 1 })).toBe('?from=2026-01-01');
		expect(parse(visitQuery(f, { page: 3 }).slice(1))).toEqual({ ...f, page: 3 });
		expect(visitQuery(parse(''))).toBe('');
	});
});

describe('议定事项', () => {
	it('is overdue from the day after its deadline while not done, never without one', () => {
		expect(decisionOverdue('2026-11-30', false, '2026-12-01')).toBe(true);
		expect(decisionOverdue('2026-12-01', false, '2026-12-01')).toBe(false);
		expect(decisionOverdue('2026-11-30', true, '2026-12-01')).toBe(false);
		expect(decisionOverdue(null, false, '2026-12-01')).toBe(false);
	});
	it('needs what was done, 1–500 characters, named note', () => {
		expect(parseDecisionNote(' 已修复路面 ')).toBe('已修复路面');
		expect(() => parseDecisionNote('  ')).toThrow('请填写落实情况（note），不超过 500 字');
		expect(() => parseDecisionNote('x'.repeat(501))).toThrow(/note/);
	});
});
