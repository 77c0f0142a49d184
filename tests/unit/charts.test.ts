// The charts' options (big screen, /kpi): they draw the figures they are given, at sizes readable
// on the wall, with /kpi's colour bands where ragOf puts the colours.
import { describe, expect, it } from 'vitest';
import { kpiValue, ragBounds, ragOf } from '../../src/lib/domain/kpi';
import { rankingOption, trendOption } from '../../src/routes/screen/charts';
import { kpiTrendOption } from '../../src/routes/(app)/kpi/trend';

type Loose = any;

describe('screen charts', () => {
	it('the trend: the days and both lines as given, labels ≥ 18 px, values ≥ 22 px', () => {
		const o: Loose = trendOption([{ day: '11-29', reported: 12, resolved: 9 }, { day: '11-30', reported: 7, resolved: 11 }]);
		expect(o.xAxis.data).toEqual(['11-29', '11-30']);
		expect(o.series.map((s: Loose) => [s.name, s.data])).toEqual([['上报', [12, 7]], ['办结', [9, 11]]]);
		expect(Math.min(o.xAxis.axisLabel.fontSize, o.yAxis.axisLabel.fontSize)).toBeGreaterThanOrEqual(18);
		expect(o.series[0].endLabel.fontSize).toBeGreaterThanOrEqual(22);
		expect(o.tooltip.trigger).toBe('axis');
	});

	it('a ranking: rows in order, a gap row without a bar, no-data rows at 0 labelled —', () => {
		const o: Loose = rankingOption([
			{ rank: '1', name: '望岳街道', value: 0.981, rag: 'red', note: '超期 45', detail: '在办 142' },
			{ gap: '⋯ 共 8 个' },
			{ rank: '8', name: '桃源镇', value: null, rag: 'none', note: '超期 0', detail: '在办 0' }
		], '办结率');
		expect(o.yAxis[0].data).toEqual(['1 望岳街道', '⋯ 共 8 个', '8 桃源镇']);
		expect(o.yAxis[1].data).toEqual(['超期 45', '', '超期 0']);
		expect(o.series[0].data).toEqual([1, '-', 1]);
		expect(o.series[1].data.map((d: Loose) => (d === '-' ? d : [d.value, d.label.formatter]))).toEqual([[0.981, '98.1%'], '-', [0, '—']]);
		expect(o.series[1].label.fontSize).toBeGreaterThanOrEqual(22);
		expect(o.tooltip.formatter({ dataIndex: 0 })).toBe('望岳街道<br>在办 142');
		expect(o.tooltip.formatter({ dataIndex: 1 })).toBe('');
	});
});

describe('/kpi trend chart', () => {
	const targets = undefined;
	it('a rate: the target line and the bands where ragOf changes colour; each point in its own colour', () => {
		const values = [0.97, 0.87, 0.5].map((v) => kpiValue('close_rate', v * 100, 100));
		const o: Loose = kpiTrendOption(values.map((v, i) => ({ label: `0${i}`, span: `s${i}`, value: v })), ragBounds('close_rate', { targets }));
		expect(o.series[0].markLine.data[0].yAxis).toBe(0.9);
		const edges = o.series[0].markArea.data.map((b: Loose) => [b[0].yAxis, b[1].yAxis]);
		expect(edges).toEqual([[0, 0.9 - 0.05], [0.9 - 0.05, 0.9], [0.9, 1]]);
		expect(o.series[0].data.map((d: Loose) => d.value)).toEqual([0.97, 0.87, 0.5]);
		// the band a point sits in is the colour ragOf gives it
		expect(values.map((v) => ragOf('close_rate', v.value))).toEqual(['green', 'amber', 'red']);
		expect(o.series[0].data.map((d: Loose) => d.itemStyle.color)).toEqual(['#2e9d4b', '#e0a100', '#d32f2f']);
		expect(o.yAxis.min).toBe(0.4);
		expect(o.tooltip.formatter([{ dataIndex: 1 }])).toBe('s1<br>办结率 <b>87.0%</b>（87 / 100）');
	});

	it('超期数: amber up to 2 per 1 000 households, a piece without data drawn as a gap', () => {
		const bounds = ragBounds('overdue', { targets, households: 2000 });
		expect(bounds).toEqual({ kind: 'count', target: 0, amberUpTo: 4 });
		const o: Loose = kpiTrendOption([{ label: 'a', span: 'a', value: kpiValue('overdue', 3, null, { households: 2000 }) }], bounds);
		expect(o.series[0].markArea.data.map((b: Loose) => [b[0].yAxis, b[1].yAxis])).toEqual([[0, 4], [4, 6]]);
		expect(o.series[0].data[0].itemStyle.color).toBe('#e0a100');
		const none: Loose = kpiTrendOption([{ label: 'a', span: 'a', value: kpiValue('close_rate', 0, 0) }], ragBounds('close_rate'));
		expect(none.series[0].data[0].value).toBe('-');
	});
});
