// The periods of /kpi's KPI trends: Beijing days, Monday weeks, months or years, cut at the
// period's ends, nothing after now.
import { describe, expect, it } from 'vitest';
import { seriesPeriods, seriesStep } from '../../src/lib/domain/kpiseries';

const d = (s: string) => new Date(`${s}T00:00:00+08:00`);

describe('seriesPeriods', () => {
	it('chooses the step by the length of the period', () => {
		expect([1, 31, 32, 190, 191, 731, 732].map(seriesStep)).toEqual(['day', 'day', 'week', 'week', 'month', 'month', 'year']);
	});

	it('cuts 90 days into Monday-to-Sunday weeks in Beijing time, the first and last ones short', () => {
		const { step, periods } = seriesPeriods(d('2026-09-02'), d('2026-12-01'), d('2026-12-01'));
		expect(step).toBe('week');
		expect(periods).toHaveLength(14);
		expect(periods[0]).toMatchObject({ label: '09-02', span: '2026-09-02 至 2026-09-06', from: d('2026-09-02'), to: d('2026-09-07') });
		expect(periods[1].span).toBe('2026-09-07 至 2026-09-13');
		expect(periods.at(-1)).toMatchObject({ label: '11-30', span: '2026-11-30', to: d('2026-12-01') });
	});

	it('months and years: labelled YYYY-MM and YYYY, boundaries at Beijing midnight', () => {
		const months = seriesPeriods(d('2025-12-01'), d('2026-12-01'), d('2026-12-01')).periods;
		expect(months.map((p) => p.label)).toEqual(['2025-12', ...Array.from({ length: 11 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`)]);
		expect(months[2]).toMatchObject({ from: d('2026-02-01'), to: d('2026-03-01'), span: '2026-02-01 至 2026-02-28' });
		const years = seriesPeriods(d('2020-01-15'), d('2026-12-01'), d('2026-12-01')).periods;
		expect(years.map((p) => p.label)).toEqual(['2020', '2021', '2022', '2023', '2024', '2025', '2026']);
		expect(years[0].span).toBe('2020-01-15 至 2020-12-31');
	});

	it('leaves out the pieces that start after now (a period running into the future)', () => {
		const { periods } = seriesPeriods(d('2026-11-01'), d('2026-12-01'), new Date('2026-11-20T09:00:00+08:00'));
		expect(periods).toHaveLength(20);
		expect(periods.at(-1)!.label).toBe('11-20');
	});
});
