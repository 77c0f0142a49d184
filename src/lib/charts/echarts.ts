// ECharts, the parts this app draws with and no more: echarts/core with line and bar charts, the
// cartesian grid, tooltips, legends, mark lines/areas (a KPI's target and its red/amber/green
// bands) and the canvas renderer. The full `echarts` import would add the maps, 3-D and every other
// series (~1 MB); importing from 'echarts/core' keeps the pages that draw a chart small.
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
	GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent,
	type GridComponentOption, type LegendComponentOption, type MarkAreaComponentOption, type MarkLineComponentOption, type TooltipComponentOption
} from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, MarkAreaComponent, CanvasRenderer]);

/** An option the registered parts can draw (type-checked: a series or component not registered is an error). */
export type ChartOption = ComposeOption<
	LineSeriesOption | BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | MarkLineComponentOption | MarkAreaComponentOption
>;

export { init, type ECharts };
