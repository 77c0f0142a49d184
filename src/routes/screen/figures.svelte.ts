// The wall's aggregates: the district's summary, the summary of the area on tour, and the grid
// colours and hot spots of the map. Fetched on the tour's every stop, every 30 s, a few seconds
// after live arrivals (one fetch for a burst), and after a reconnect. A failed fetch leaves the
// last figures up; the header's stale banner says since when.
import { fetchJson } from '$lib/client/fetchJson';
import type { PageData } from './$types';
import { densityClasses } from './feed';

export type Summary = NonNullable<PageData['summary']>;

/** The parts of the screen's map the figures colour. */
export interface FiguresMap {
	setDensity(values: Map<string, number | null>): void;
	setHot(codes: readonly string[]): void;
}

export interface FiguresOptions {
	/** the code of the area on tour, null on the whole district */
	area: () => string | null;
	map: () => FiguresMap | undefined;
	/** after each successful fetch: the figures on the wall are fresh */
	onFresh: () => void;
}

// the wall display always wants the figures of now, never a cached answer
const NO_STORE: RequestInit = { cache: 'no-store' };
const PERIOD_MS = 30_000;
const AFTER_ARRIVAL_MS = 5000;

export class Figures {
	district = $state<Summary | null>(null);
	/** the summary of the area on tour (the district's on the district) */
	view = $state<Summary | null>(null);
	/** [from, colour] steps of open requests per 100 households */
	classes = $state<[number, string][]>([[0, '#16243a']]);
	hotCount = $state(0);
	private refreshing = false;
	private soon: ReturnType<typeof setTimeout> | null = null;
	private periodic: ReturnType<typeof setInterval> | null = null;

	constructor(summary: Summary | null, private readonly o: FiguresOptions) {
		this.district = summary;
		this.view = summary;
	}

	start(): void {
		this.periodic = setInterval(() => void this.refresh(), PERIOD_MS);
	}

	stop(): void {
		if (this.periodic) clearInterval(this.periodic);
		if (this.soon) clearTimeout(this.soon);
	}

	async refresh(): Promise<void> {
		if (this.refreshing) return;
		this.refreshing = true;
		try {
			const area = this.o.area();
			const [d, g] = await Promise.all([
				fetchJson<Summary>('/api/screen/summary', NO_STORE),
				fetchJson<{ grids: { code: string; per100: number | null }[]; hot: string[] }>('/api/screen/grids', NO_STORE)
			]);
			this.district = d;
			this.view = area ? await fetchJson<Summary>(`/api/screen/summary?area=${area}`, NO_STORE) : d;
			this.classes = densityClasses(g.grids.map((x) => x.per100));
			const map = this.o.map();
			map?.setDensity(new Map(g.grids.map((x) => [x.code, x.per100])));
			map?.setHot(g.hot);
			this.hotCount = g.hot.length;
			this.o.onFresh();
		} catch {
			// stale figures stay up; the banner says since when
		} finally {
			this.refreshing = false;
		}
	}

	/** One refresh a few seconds from now, however many ask before it runs. */
	refreshSoon(): void {
		this.soon ??= setTimeout(() => {
			this.soon = null;
			void this.refresh();
		}, AFTER_ARRIVAL_MS);
	}
}
