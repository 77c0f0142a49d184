// The grid choropleth: which measures a grid can be coloured by, how each is computed from a
// grid's counts, and the class breaks and colours that both the map paint and the legend use.

export interface GridCounts {
	households: number;
	/** open requests: not yet resolved, evaluated or closed */
	open: number;
	/** open requests past resolve_deadline at query time */
	overdue: number;
	/** households with last_visit_at within the last 90 days */
	visited90: number;
}

export const MEASURES = {
	open_per_100: { label: '每百户未办结诉求', unit: '件/百户', worseWhenHigh: true },
	overdue: { label: '超期诉求数', unit: '件', worseWhenHigh: true },
	coverage: { label: '近90天入户走访覆盖率', unit: '%', worseWhenHigh: false }
} as const;

export type MeasureKey = keyof typeof MEASURES;
export const MEASURE_KEYS = Object.keys(MEASURES) as MeasureKey[];

/** null where the measure has no meaning (no households to divide by). */
export function measureValue(key: MeasureKey, c: GridCounts): number | null {
	if (key === 'overdue') return c.overdue;
	if (c.households === 0) return null;
	if (key === 'open_per_100') return round1((100 * c.open) / c.households);
	return round1((100 * c.visited90) / c.households);
}

// ColorBrewer YlOrRd, 5 classes: light = fine, dark red = needs attention
const RAMP = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'];
export const NO_DATA_COLOR = '#9e9e9e';

export interface LegendClass {
	/** inclusive lower bound; null (unbounded) for the first class; null keeps it JSON-safe */
	from: number | null;
	/** exclusive upper bound; null (unbounded) for the last class */
	to: number | null;
	color: string;
	label: string;
}

export interface Legend {
	measure: MeasureKey;
	title: string;
	unit: string;
	classes: LegendClass[];
	noData: string;
}

/** Breaks: fixed policy thresholds for coverage, rounded quantiles of the data otherwise. */
export function breaksFor(key: MeasureKey, values: readonly (number | null)[]): number[] {
	if (key === 'coverage') return [30, 50, 70, 85];
	const sorted = values.filter((v): v is number => v != null && Number.isFinite(v)).sort((a, b) => a - b);
	const positive = key === 'overdue' ? sorted.filter((v) => v > 0) : sorted;
	const q = (p: number) => (positive.length ? positive[Math.min(positive.length - 1, Math.floor(p * positive.length))] : 0);
	const raw = key === 'overdue' ? [1, q(0.4), q(0.7), q(0.9)] : [q(0.2), q(0.4), q(0.6), q(0.8)];
	const nice = raw.map((v) => (key === 'overdue' ? Math.max(1, Math.round(v)) : niceRound(v)));
	const out: number[] = [];
	for (const b of nice) if (b > 0 && (!out.length || b > out[out.length - 1])) out.push(b);
	return out;
}

export function legendFor(key: MeasureKey, values: readonly (number | null)[]): Legend {
	const m = MEASURES[key];
	const breaks = breaksFor(key, values);
	const bounds = [null, ...breaks, null];
	// spread the ramp over however many classes survived de-duplication
	const colors = bounds.slice(1).map((_, i, all) => RAMP[Math.round((i * (RAMP.length - 1)) / Math.max(1, all.length - 1))]);
	if (!m.worseWhenHigh) colors.reverse();
	const classes = colors.map((color, i) => ({
		from: bounds[i],
		to: bounds[i + 1],
		color,
		label: classLabel(bounds[i], bounds[i + 1], key)
	}));
	return { measure: key, title: m.label, unit: m.unit, classes, noData: NO_DATA_COLOR };
}

export function classOf(legend: Legend, value: number | null): LegendClass | null {
	if (value == null) return null;
	return legend.classes.find((c) => (c.from == null || value >= c.from) && (c.to == null || value < c.to)) ?? null;
}

function classLabel(from: number | null, to: number | null, key: MeasureKey): string {
	const u = key === 'coverage' ? '%' : '';
	if (from == null) return to == null ? '全部' : key === 'overdue' && to === 1 ? '0' : `< ${fmt(to)}${u}`;
	if (to == null) return `≥ ${fmt(from)}${u}`;
	if (key === 'overdue') return to - from === 1 ? `${from}` : `${from}–${to - 1}`;
	return `${fmt(from)}–${fmt(to)}${u}`;
}

function fmt(v: number): string {
	return String(Number(v.toPrecision(3)));
}

function round1(v: number): number {
	return Math.round(v * 10) / 10;
}

/** Rounds to 2 significant digits so legend labels read like 0.8, 1.5, 12, 35. */
function niceRound(v: number): number {
	if (v <= 0) return 0;
	const p = 10 ** (Math.floor(Math.log10(v)) - 1);
	return Number((Math.round(v / p) * p).toPrecision(2));
}

/** The map API's documents, as the server builds them and the browser reads them. */
export interface Versions {
	households: string;
	hazards: string;
	requests: string;
	grids: string;
	basemap: string;
	/** building tiles (street zoom): the buildings and their household counts */
	buildings: string;
}

export interface GridStat extends GridCounts {
	code: string;
	value: number | null;
	/** 未销号 hazards */
	hazards: number;
}

export interface GridStats {
	measure: MeasureKey;
	label: string;
	unit: string;
	legend: Legend;
	generatedAt: string;
	grids: GridStat[];
}
