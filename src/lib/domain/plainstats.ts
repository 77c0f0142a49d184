// Statistics in plain words for leaders: a z score and p value become "显著性 99%" and a sentence
// saying what it means. Pure: used by the hotspot and research pages.

/** The confidence level a p value reaches: 99, 95, 90, or null when not significant. */
export function confidence(p: number): 99 | 95 | 90 | null {
	if (!Number.isFinite(p)) return null;
	if (p <= 0.01) return 99;
	if (p <= 0.05) return 95;
	if (p <= 0.1) return 90;
	return null;
}

/** "显著性 99%" or "不显著". */
export function significanceLabel(p: number): string {
	const c = confidence(p);
	return c ? `显著性 ${c}%` : '不显著';
}

/** One sentence for the tooltip: what the number says, then the figures for whoever wants them. */
export function significanceExplain(s: { z: number; p: number; fdr?: boolean }): string {
	const c = confidence(s.p);
	const direction = s.z >= 0 ? '高于' : '低于';
	const meaning = c
		? `该网格及相邻网格的件数明显${direction}全区平均，这种集中由偶然造成的可能不到 ${100 - c}%。`
		: '该网格与全区平均的差别可能只是偶然，不能据此下结论。';
	const fdr = s.fdr ? '已按多重比较（FDR）校正，' : '';
	return `${meaning}（${fdr}Gi* 统计量 z = ${s.z.toFixed(2)}，p = ${s.p < 0.0001 ? '< 0.0001' : s.p.toFixed(4)}）`;
}
