// What an update by code would change, for the preview an admin confirms: each row of the file
// against the area or grid of the same code (added, reshaped with its area before → after,
// renamed, unchanged), and the codes of the same communities the file leaves out (retired when
// asked, else kept). Pure: the database measures the areas, this decides what they mean.
import { SLIVER_M2 } from './tiling';

export const IMPORT_MODES = ['append', 'update'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
export const IMPORT_MODE_LABEL: Record<ImportMode, string> = {
	append: '追加（编码已存在则报错）',
	update: '更新（按编码改名、改边界，新编码追加）'
};

/** One row of the file measured against what is stored under its code (m², geodesic). */
export interface MeasuredRow {
	code: string;
	name: string;
	/** null: no row with this code yet */
	oldName: string | null;
	/** the stored row is a retired grid (停用), brought back by this file */
	retired: boolean;
	beforeM2: number | null;
	afterM2: number;
	/** area of the symmetric difference between the old and the new shape */
	movedM2: number | null;
}

export interface DiffEntry {
	code: string;
	name: string;
	oldName?: string;
	beforeM2: number | null;
	afterM2: number | null;
	/** (after − before) ÷ before × 100, one decimal; null when there is no before */
	changePct: number | null;
	/** area that changed hands (symmetric difference), m² */
	movedM2?: number;
}

export interface ImportDiff {
	added: DiffEntry[];
	reshaped: DiffEntry[];
	renamed: DiffEntry[];
	/** codes of the file's communities missing from the file: retired when retireMissing, else kept */
	missing: DiffEntry[];
	retireMissing: boolean;
	unchanged: number;
}

const round = (m2: number) => Math.round(m2);
export const changePct = (before: number, after: number): number | null => (before > 0 ? Math.round(((after - before) / before) * 1000) / 10 : null);

/** A boundary moved when more than a sliver changed hands: re-saving a file leaves only rounding. */
export const reshaped = (r: MeasuredRow) => r.movedM2 !== null && r.movedM2 > SLIVER_M2;

export function diffRows(rows: MeasuredRow[], missing: { code: string; name: string; m2: number }[], retireMissing: boolean): ImportDiff {
	const diff: ImportDiff = { added: [], reshaped: [], renamed: [], missing: [], retireMissing, unchanged: 0 };
	for (const r of rows) {
		const entry: DiffEntry = { code: r.code, name: r.name, beforeM2: r.beforeM2 === null ? null : round(r.beforeM2), afterM2: round(r.afterM2), changePct: null };
		if (r.oldName === null || r.retired) {
			diff.added.push(entry);
			continue;
		}
		const moved = reshaped(r);
		if (moved) diff.reshaped.push({ ...entry, changePct: changePct(r.beforeM2!, r.afterM2), movedM2: round(r.movedM2!) });
		if (r.oldName !== r.name) diff.renamed.push({ ...entry, oldName: r.oldName });
		if (!moved && r.oldName === r.name) diff.unchanged++;
	}
	diff.missing = missing.map((m) => ({ code: m.code, name: m.name, beforeM2: round(m.m2), afterM2: null, changePct: null }));
	return diff;
}

/** One line for the page, the CLI and the audit log. */
export function diffSummary(d: ImportDiff): string {
	const parts = [`新增 ${d.added.length}`, `边界调整 ${d.reshaped.length}`, `改名 ${d.renamed.length}`, `未变 ${d.unchanged}`];
	if (d.missing.length) parts.push(d.retireMissing ? `停用 ${d.missing.length}` : `文件中没有、保留 ${d.missing.length}`);
	return parts.join('，');
}
