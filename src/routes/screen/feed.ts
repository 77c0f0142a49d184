// Bounded lists the screen keeps from the live stream: newest first, never longer than `max`.

// key: the live event id; the screen gets no request code (src/lib/domain/livefilter.ts)
export interface FeedItem { key: number; gridCode: string; category: string; grid: string; channel: string; time: number; urgent: boolean }

export function pushBounded<T>(list: readonly T[], item: T, max: number): T[] {
	const next = [item, ...list];
	return next.length > max ? next.slice(0, max) : next;
}

/** Colour classes of open requests per 100 households: quantiles of the grids, so the map shows contrast. */
export function densityClasses(values: readonly (number | null)[]): [number, string][] {
	const v = values.filter((x): x is number => x !== null).sort((a, b) => a - b);
	const q = (p: number) => (v.length ? v[Math.min(v.length - 1, Math.floor(p * v.length))] : 0);
	const cuts = [q(0.5), q(0.75), q(0.9), q(0.97)];
	const colours = ['#16243a', '#1f4f7a', '#b7841f', '#e0582b', '#ff2d55'];
	const out: [number, string][] = [[0, colours[0]]];
	cuts.forEach((c, i) => {
		if (c > out[out.length - 1][0]) out.push([c, colours[i + 1]]);
	});
	return out;
}
