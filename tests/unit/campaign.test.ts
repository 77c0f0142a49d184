import { describe, expect, it } from 'vitest';
import {
	campaignFigures, campaignState, failedItems, findingTitle, inArea, noHazards, parseCampaign, parseCampaignCheck, parseCampaignEdit
} from '../../src/lib/domain/campaign';

const checklist = [
	{ question: '燃气软管是否完好？', hazardType: 'gas' },
	{ question: '是否安装燃气报警器？', hazardType: 'gas' },
	{ question: '楼道是否无电动车？', hazardType: 'e_bike' }
];
const good = { name: '燃气安全入户排查', startsOn: '2026-12-01', endsOn: '2026-12-30', areaCodes: ['430199001'], hazardTypes: ['gas', 'e_bike'], checklist };
const fieldOf = (body: unknown) => { try { parseCampaign(body); return null; } catch (e) { return (e as { field: string }).field; } };

describe('parseCampaign', () => {
	it('accepts a campaign and reads a form\'s comma-separated lists', () => {
		expect(parseCampaign(good)).toEqual({ ...good, target: 'household' });
		expect(parseCampaign({ ...good, areaCodes: '430199001, 430199002001', hazardTypes: 'gas e_bike' }).areaCodes).toEqual(['430199001', '430199002001']);
	});
	it('names the bad field', () => {
		expect(fieldOf({ ...good, name: ' ' })).toBe('name');
		expect(fieldOf({ ...good, startsOn: '2026-02-30' })).toBe('startsOn');
		expect(fieldOf({ ...good, endsOn: '2026-11-30' })).toBe('endsOn');
		expect(fieldOf({ ...good, endsOn: '2028-01-01' })).toBe('endsOn');
		expect(fieldOf({ ...good, areaCodes: [] })).toBe('areaCodes');
		expect(fieldOf({ ...good, areaCodes: ['4301'] })).toBe('areaCodes');
		expect(fieldOf({ ...good, areaCodes: ['430199001', '430199001002'] })).toBe('areaCodes');
		expect(fieldOf({ ...good, hazardTypes: ['fire'] })).toBe('hazardTypes');
		expect(fieldOf({ ...good, target: 'compound' })).toBe('target');
		expect(fieldOf({ ...good, checklist: checklist.slice(0, 2) })).toBe('checklist');
		expect(fieldOf({ ...good, checklist: Array.from({ length: 13 }, (_, i) => ({ question: `问${i}`, hazardType: 'gas' })) })).toBe('checklist');
		expect(fieldOf({ ...good, checklist: [...checklist.slice(0, 2), checklist[0]] })).toBe('checklist');
		expect(fieldOf({ ...good, checklist: [...checklist.slice(0, 2), { question: '积水？', hazardType: 'flooding' }] })).toBe('checklist[2].hazardType');
	});
	it('says it in Chinese', () => {
		expect(() => parseCampaign({ ...good, checklist: checklist.slice(0, 2) })).toThrow('检查项（checklist）须为 3–12 项，现在 2 项');
	});
	it('an edit keeps the last day after the first', () => {
		expect(parseCampaignEdit({ name: '改名', endsOn: '2026-12-31' }, '2026-12-01')).toEqual({ name: '改名', endsOn: '2026-12-31' });
		expect(() => parseCampaignEdit({ name: '改名', endsOn: '2026-11-01' }, '2026-12-01')).toThrow('不能早于开始日期');
	});
});

describe('checks', () => {
	it('parses a check and refuses an unanswered item by its number', () => {
		expect(parseCampaignCheck({ campaignId: '3', householdId: 7, answers: [true, false, true] })).toEqual({ campaignId: 3, householdId: 7, answers: [true, false, true], notes: null, checkedAt: null });
		expect(() => parseCampaignCheck({ campaignId: 3, householdId: 7, answers: [true, null, true] })).toThrow('第 2 个检查项还没有回答');
		expect(() => parseCampaignCheck({ campaignId: 3, answers: [true] })).toThrow('请选择住户（householdId）');
	});
	it('each "否" finds a hazard of its item\'s type; the answers must fit the checklist', () => {
		expect(failedItems(parseCampaign(good).checklist, [true, false, false]).map((i) => i.hazardType)).toEqual(['gas', 'e_bike']);
		expect(() => failedItems(parseCampaign(good).checklist, [true])).toThrow('本行动有 3 个检查项，收到 1 个回答');
		expect(findingTitle('燃气', checklist[1] as never)).toBe('燃气：是否安装燃气报警器？（否）');
	});
	it('states on a Beijing date, and the area by code prefix', () => {
		const c = { startsOn: '2026-12-01', endsOn: '2026-12-30', endedAt: null };
		expect([campaignState(c, '2026-11-30'), campaignState(c, '2026-12-30'), campaignState(c, '2026-12-31'), campaignState({ ...c, endedAt: new Date() }, '2026-12-02')])
			.toEqual(['upcoming', 'active', 'ended', 'ended']);
		expect([inArea(['430199001'], '430199001002003'), inArea(['430199001'], '430199002001001')]).toEqual([true, false]);
	});
});

describe('campaignFigures', () => {
	it('coverage, finding rate and 销号率, none when nothing to divide', () => {
		const f = campaignFigures({ targets: 200, checked: 150, findings: 12, hazards: { open: 2, rectifying: 1, rectified: 1, verified: 10 } });
		expect([f.coverage, f.findingRate, f.found, f.closed, f.closureRate]).toEqual([0.75, 0.08, 14, 10, 10 / 14]);
		const none = campaignFigures({ targets: 0, checked: 0, findings: 0, hazards: noHazards() });
		expect([none.coverage, none.findingRate, none.closureRate]).toEqual([null, null, null]);
	});
});
