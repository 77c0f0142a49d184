// The wall's two charts as ECharts options: the 14-day trend (lines) and a ranking (bars on their
// side). Readable at 10 m on a 1920×1080 wall: axis labels 18 px and more, values 22 px and more,
// the screen's dark colours. They draw the figures they are given (the summary's, the same as
// /kpi's): nothing is computed here but the layout.
import type { ChartOption } from '$lib/charts/echarts';
import { formatRate } from '$lib/domain/numbers';
import { RAG_COLOUR } from './format';

export const SCREEN_COLOURS = { reported: '#36d6ff', resolved: '#3ddc84', axis: '#a9b8d0', line: '#1e3354', text: '#eef2f8', tooltip: '#0d1626' };
/** px: the smallest text on the wall's charts (axis labels) and the size of their values */
export const AXIS_FONT = 18;
export const VALUE_FONT = 22;

const tooltipStyle = {
	backgroundColor: SCREEN_COLOURS.tooltip, borderColor: SCREEN_COLOURS.line,
	textStyle: { color: SCREEN_COLOURS.text, fontSize: VALUE_FONT }
};

export interface TrendDay { day: string; reported: number; resolved: number }

/** 上报 and 办结 per day as two lines, each ending in its last value. */
export function trendOption(days: readonly TrendDay[]): ChartOption {
	const line = (name: string, key: 'reported' | 'resolved') => ({
		type: 'line' as const, name, data: days.map((d) => d[key]), symbolSize: 7, lineStyle: { width: 3.5 },
		itemStyle: { color: SCREEN_COLOURS[key] },
		endLabel: { show: true, fontSize: VALUE_FONT, fontWeight: 'bold' as const, color: SCREEN_COLOURS[key] }
	});
	return {
		animation: false,
		grid: { left: 8, right: 44, top: 44, bottom: 6, containLabel: true },
		legend: { top: 0, right: 0, itemWidth: 22, itemHeight: 12, textStyle: { color: SCREEN_COLOURS.axis, fontSize: 20 } },
		tooltip: { trigger: 'axis', ...tooltipStyle },
		xAxis: {
			type: 'category', boundaryGap: false, data: days.map((d) => d.day),
			axisLabel: { color: SCREEN_COLOURS.axis, fontSize: AXIS_FONT }, axisLine: { lineStyle: { color: SCREEN_COLOURS.line } }
		},
		yAxis: {
			type: 'value', minInterval: 1, splitNumber: 3,
			axisLabel: { color: SCREEN_COLOURS.axis, fontSize: AXIS_FONT }, splitLine: { lineStyle: { color: SCREEN_COLOURS.line } }
		},
		series: [line('上报', 'reported'), line('办结', 'resolved')]
	};
}

export interface RankBar {
	/** the row's place ('1', '2', … ; equal scores share one) and name */
	rank: string;
	name: string;
	/** the rate the bar is as long as (0…1), null when there is nothing to divide */
	value: number | null;
	rag: string;
	/** the text at the right end (超期 n) and the tooltip's line (every column of the row) */
	note: string;
	detail: string;
}

/** A gap row between the best rows and the last ones ('⋯ 共 n 个'), drawn without a bar. */
export interface RankGap { gap: string }

/** A ranking, best on top, as bars on their side: name left, the rate in the bar, a note on the right. */
export function rankingOption(rows: readonly (RankBar | RankGap)[], metric: string): ChartOption {
	const isGap = (r: RankBar | RankGap): r is RankGap => 'gap' in r;
	const names = rows.map((r) => (isGap(r) ? r.gap : `${r.rank} ${r.name}`));
	const notes = rows.map((r) => (isGap(r) ? '' : r.note));
	const axis = { axisTick: { show: false }, axisLine: { show: false }, inverse: true, type: 'category' as const, data: names };
	return {
		animation: false,
		grid: { left: 4, right: 4, top: 4, bottom: 4, containLabel: true },
		tooltip: {
			trigger: 'item', ...tooltipStyle,
			formatter: (p: unknown) => {
				const row = rows[(p as { dataIndex: number }).dataIndex];
				return row && !isGap(row) ? `${row.name}<br>${row.detail}` : '';
			}
		},
		xAxis: { type: 'value', min: 0, max: 1, show: false },
		yAxis: [
			{ ...axis, axisLabel: { color: SCREEN_COLOURS.text, fontSize: 20, width: 150, overflow: 'truncate' } },
			{ ...axis, position: 'right', data: notes, axisLabel: { color: SCREEN_COLOURS.axis, fontSize: AXIS_FONT } }
		],
		series: [
			// the 0…100 % track behind each bar (not behind the gap row, as showBackground would draw it)
			{ type: 'bar', name: '', silent: true, barWidth: 26, itemStyle: { color: '#16253d' }, tooltip: { show: false }, data: rows.map((r) => (isGap(r) ? '-' : 1)) },
			{
				type: 'bar', name: metric, barWidth: 26, barGap: '-100%',
				data: rows.map((r) => (isGap(r) ? '-' : { value: r.value ?? 0, itemStyle: { color: RAG_COLOUR[r.rag] ?? RAG_COLOUR.none }, label: { formatter: formatRate(r.value), color: r.value === null ? SCREEN_COLOURS.axis : '#07101d' } })),
				label: { show: true, position: 'insideLeft', fontSize: VALUE_FONT, fontWeight: 'bold' }
			}
		]
	};
}
