// /kpi's trend of one KPI as an ECharts option: its value per day/week/month of the period
// (server: kpiSeries), each point coloured by its own red/amber/green, the target as a line and the
// colour bands behind (domain/kpi.ts: ragBounds, the bounds ragOf rates by). Nothing is counted here.
import type { ChartOption } from '$lib/charts/echarts';
import { formatKpi, KPI_BY_KEY, type KpiValue, type RagBounds } from '$lib/domain/kpi';
import { percentNumber } from '$lib/domain/numbers';

/** the page's red/amber/green (the tiles' borders) */
export const RAG_FILL: Record<string, string> = { green: '#2e9d4b', amber: '#e0a100', red: '#d32f2f', none: '#9aa3ad' };

export interface TrendPoint { label: string; span: string; value: KpiValue }

const band = (from: number, to: number, colour: string) => [{ yAxis: from, itemStyle: { color: colour, opacity: 0.1 } }, { yAxis: to }];

/** The chart's option; `bounds` are those of the period's last piece (超期数'  amber bound follows the households). */
export function kpiTrendOption(points: readonly TrendPoint[], bounds: RagBounds): ChartOption {
	const rate = bounds.kind === 'rate';
	const values = points.map((p) => p.value.value);
	const shown = (v: number) => (rate ? `${percentNumber(v)}%` : String(v));
	const top = rate ? 1 : Math.max(bounds.amberUpTo * 1.5, ...values.map((v) => v ?? 0), 1);
	const bands = rate
		? [band(0, bounds.amberFrom, RAG_FILL.red), band(bounds.amberFrom, bounds.target, RAG_FILL.amber), band(bounds.target, 1, RAG_FILL.green)]
		: [band(0, bounds.amberUpTo, RAG_FILL.amber), band(bounds.amberUpTo, top, RAG_FILL.red)];
	// a rate's axis starts under the lowest value or the red band's edge, not at 0: a 90 % target
	// and values of 85–99 % squeezed into the top tenth of the chart would say nothing
	const low = Math.min(...values.filter((v): v is number => v !== null), rate ? bounds.amberFrom : 0);
	const min = rate ? Math.max(0, Math.floor((low - 0.05) * 10) / 10) : 0;
	const key = points[0]?.value.key;
	return {
		animation: false,
		grid: { left: 4, right: 12, top: 14, bottom: 4, containLabel: true },
		tooltip: {
			trigger: 'axis', confine: true,
			formatter: (params: unknown) => {
				const p = points[(params as { dataIndex: number }[])[0]?.dataIndex ?? -1];
				if (!p) return '';
				const v = p.value;
				return `${p.span}<br>${key ? KPI_BY_KEY[key].label : ''} <b>${formatKpi(v)}</b>${v.den !== null ? `（${v.num} / ${v.den}）` : ''}`;
			}
		},
		xAxis: { type: 'category', data: points.map((p) => p.label), axisLabel: { fontSize: 12, hideOverlap: true } },
		yAxis: {
			type: 'value', min, max: rate ? 1 : undefined, minInterval: rate ? undefined : 1, splitNumber: 3,
			axisLabel: { fontSize: 12, formatter: (v: number) => shown(v) }
		},
		series: [{
			type: 'line', name: key ? KPI_BY_KEY[key].label : '', connectNulls: false, symbolSize: 7, lineStyle: { color: '#4a6fa5', width: 2 },
			data: points.map((p) => ({ value: p.value.value ?? '-', itemStyle: { color: RAG_FILL[p.value.rag] } })),
			markLine: {
				silent: true, symbol: 'none', lineStyle: { color: '#2e9d4b', type: 'dashed', width: 2 },
				label: { formatter: `目标 ${rate ? '≥' : '≤'} ${shown(bounds.target)}`, position: 'insideEndTop', fontSize: 12, color: '#1f6f35' },
				data: [{ yAxis: bounds.target }]
			},
			markArea: { silent: true, data: bands as never }
		}]
	};
}
