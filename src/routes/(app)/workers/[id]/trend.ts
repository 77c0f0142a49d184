// A worker's week-by-week trend as an ECharts option: reports and door-knocks as bars (left axis),
// 受理率 and 按期办结率 as lines (right axis, percent). The figures are the server's (workerPage
// counts each week as if it were the period chosen); nothing is counted here.
import type { ChartOption } from '$lib/charts/echarts';
import { KPI_BY_KEY, type KpiValue } from '$lib/domain/kpi';
import { percentNumber } from '$lib/domain/numbers';

export interface WeekPoint { label: string; reports: number; knocks: number; values: KpiValue[] }

const LINES = ['accept_rate', 'ontime_rate'] as const;

export function workerTrendOption(weeks: readonly WeekPoint[]): ChartOption {
	const rate = (w: WeekPoint, key: string) => {
		const v = w.values.find((x) => x.key === key)?.value;
		return v === null || v === undefined ? '-' : Number(percentNumber(v));
	};
	return {
		animation: false,
		legend: { top: 0, textStyle: { fontSize: 12 } },
		grid: { left: 4, right: 4, top: 34, bottom: 4, containLabel: true },
		tooltip: { trigger: 'axis', confine: true },
		xAxis: { type: 'category', data: weeks.map((w) => w.label), axisLabel: { fontSize: 12, hideOverlap: true } },
		yAxis: [
			{ type: 'value', minInterval: 1, splitNumber: 3, axisLabel: { fontSize: 12 } },
			{ type: 'value', min: 0, max: 100, splitNumber: 2, axisLabel: { fontSize: 12, formatter: '{value}%' }, splitLine: { show: false } }
		],
		series: [
			{ type: 'bar', name: '上报', data: weeks.map((w) => w.reports), itemStyle: { color: '#4a6fa5' } },
			{ type: 'bar', name: '走访', data: weeks.map((w) => w.knocks), itemStyle: { color: '#8fb3de' } },
			...LINES.map((k, i) => ({
				type: 'line' as const, name: KPI_BY_KEY[k].label, yAxisIndex: 1, connectNulls: false, symbolSize: 6,
				lineStyle: { color: i ? '#2e9d4b' : '#e07b00' }, itemStyle: { color: i ? '#2e9d4b' : '#e07b00' },
				data: weeks.map((w) => rate(w, k))
			}))
		]
	};
}
