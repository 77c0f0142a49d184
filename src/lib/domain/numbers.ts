// How figures are shown (domain.md, KPIs): rates with one decimal that never round up to 100 %, and
// standard competition ranks with ties. One definition for every page, the big screen and reasons.

/**
 * A rate (0…1) as a percent with one decimal, without the sign: '93.2'. Rounded half up, except
 * that anything short of 1 stays below 100: 0.9996 → '99.9' (a leader reading "100" believes that
 * nothing is left); exactly 1 → '100.0'.
 */
export function percentNumber(rate: number): string {
	const tenths = Math.round(rate * 1000);
	return ((rate < 1 && tenths >= 1000 ? 999 : tenths) / 10).toFixed(1);
}

/** A count with thousands separators, as zh-CN writes it: 23323 → '23,323'; '—' when there is none. */
export function formatCount(n: number | null | undefined): string {
	return n === null || n === undefined || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('zh-CN');
}

/** '93.2%', or '—' when there is nothing to divide. */
export function formatRate(rate: number | null | undefined): string {
	return rate === null || rate === undefined || !Number.isFinite(rate) ? '—' : `${percentNumber(rate)}%`;
}

export interface Ranked {
	/** standard competition rank: 1 + the number of items strictly better */
	rank: number;
	/** another item has the same value */
	tied: boolean;
}

/**
 * Standard competition ranks ("1224"): equal values share the best rank, and the next rank skips
 * as many places as were tied. `better` is 'higher' when a larger value ranks first.
 */
export function competitionRanks<K>(items: readonly { key: K; value: number }[], better: 'higher' | 'lower' = 'higher'): Map<K, Ranked> {
	const sign = better === 'higher' ? -1 : 1;
	const sorted = [...items].sort((a, b) => sign * (a.value - b.value));
	const out = new Map<K, Ranked>();
	let i = 0;
	while (i < sorted.length) {
		let j = i;
		while (j + 1 < sorted.length && sorted[j + 1].value === sorted[i].value) j++;
		for (let k = i; k <= j; k++) out.set(sorted[k].key, { rank: i + 1, tied: j > i });
		i = j + 1;
	}
	return out;
}

/** '第3' or '并列第84'. */
export const rankLabel = (r: Ranked) => `${r.tied ? '并列' : ''}第${r.rank}`;
