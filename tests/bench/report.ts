// What the scale benchmark prints: figures collected per back end under the same labels, then one
// table per measurement with PostgreSQL and PGlite side by side and the PGlite ÷ PostgreSQL ratio.
// Ratios inside one back end (API ÷ bare SQL, loader ÷ plain COPY) are rows of their own.

/** label → value, in insertion order; the unit is part of the label. */
export type Figures = Map<string, number>;

export function percentile(samples: number[], p: number): number {
	if (!samples.length) return NaN;
	const s = [...samples].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const p50 = (s: number[]) => percentile(s, 50);
export const p95 = (s: number[]) => percentile(s, 95);

/** Runs fn, returns [result, milliseconds]. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
	const t = performance.now();
	const r = await fn();
	return [r, performance.now() - t];
}

export function fmt(v: number | undefined): string {
	if (v === undefined || Number.isNaN(v)) return '—';
	const a = Math.abs(v);
	if (a >= 10_000) return Math.round(v).toLocaleString('en');
	if (a >= 100) return v.toFixed(0);
	if (a >= 10) return v.toFixed(1);
	return v.toFixed(2);
}

export interface Column {
	name: string;
	/** null: this back end was not run (the reason goes in `why`) */
	figures: Figures | null;
	why?: string;
}

/** A table: one row per label seen in any column; a last column with the ratio of column 2 to column 1. */
export function table(title: string, columns: Column[], print: (line: string) => void, prefixes: string[] = []) {
	const labels = [...new Set(columns.flatMap((c) => (c.figures ? [...c.figures.keys()] : [])))].filter((l) => !prefixes.length || prefixes.some((p) => l.startsWith(p)));
	if (!labels.length) return;
	const strip = (l: string) => (prefixes.length === 1 ? l.slice(prefixes[0].length).trimStart() : l);
	const w = Math.max(38, ...labels.map((l) => strip(l).length + 2));
	const cw = 14;
	const ratioName = columns.length === 2 ? `${columns[1].name}÷${columns[0].name}` : '';
	print(`\n### ${title}`);
	print(`${''.padEnd(w)}${columns.map((c) => c.name.padStart(cw)).join('')}${ratioName.padStart(cw + 4)}`);
	for (const l of labels) {
		const vals = columns.map((c) => (c.figures ? c.figures.get(l) : undefined));
		const cells = columns.map((c, i) => (c.figures ? fmt(vals[i]) : 'NOT RUN').padStart(cw));
		const ratio = vals.length === 2 && vals[0] !== undefined && vals[1] !== undefined && vals[0] > 0 ? `${(vals[1]! / vals[0]).toFixed(2)}×` : '';
		print(`${strip(l).padEnd(w)}${cells.join('')}${ratio.padStart(cw + 4)}`);
	}
	for (const c of columns) if (!c.figures && c.why) print(`  ${c.name}: NOT RUN — ${c.why}`);
}

/** A stopwatch for section headers: "[12.3 s, 1:02 total]". */
export function stopwatch() {
	const start = performance.now();
	let last = start;
	return () => {
		const now = performance.now();
		const s = `[${((now - last) / 1000).toFixed(1)} s, ${Math.floor((now - start) / 60000)}:${String(Math.floor(((now - start) / 1000) % 60)).padStart(2, '0')} total]`;
		last = now;
		return s;
	};
}
