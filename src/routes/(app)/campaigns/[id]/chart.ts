// The campaign's rows as an ECharts bar: 覆盖率 and 销号率 per row (percent). The figures are the
// server's (campaignFigures); nothing is counted here.
import type { ChartOption } from '$lib/charts/echarts';
import { percentNumber } from '$lib/domain/numbers';

export function coverageOption(rows: readonly { name: string; coverage: number | null; closureRate: number | null }[]): ChartOption {
	const pct = (v: number | null) => (v === null ? '-' : Number(percentNumber(v)));
	return {
		animation: false,
		legend: { top: 0, textStyle: { fontSize: 12 } },
		grid: { left: 4, right: 4, top: 30, bottom: 4, containLabel: true },
		tooltip: { trigger: 'axis', confine: true, valueFormatter: (v: unknown) => (v === '-' ? '—' : `${v}%`) },
		xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { fontSize: 12, hideOverlap: true } },
		yAxis: { type: 'value', min: 0, max: 100, splitNumber: 2, axisLabel: { fontSize: 12, formatter: '{value}%' } },
		series: [
			{ type: 'bar', name: '覆盖率', data: rows.map((r) => pct(r.coverage)), itemStyle: { color: '#4a6fa5' } },
			{ type: 'bar', name: '销号率', data: rows.map((r) => pct(r.closureRate)), itemStyle: { color: '#5a9e6f' } }
		]
	} as ChartOption;
}
