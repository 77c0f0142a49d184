// Spreadsheet-safe cells for CSV and .xlsx exports. A text cell that starts with = + - @ or a
// tab/CR is a formula to Excel (CSV injection, OWASP): it gets a leading apostrophe so it shows
// as typed and never runs.
import { formatCst } from './time';

export type Cell = string | number | boolean | Date | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** Neutralises a text cell; numbers, booleans and dates pass unchanged. */
export function safeText(value: string): string {
	return FORMULA_START.test(value) ? `'${value}` : value;
}

function csvCell(v: Cell): string {
	if (v === null || v === undefined) return '';
	// a date as Beijing wall-clock time with seconds, which Excel reads as a date and an import reads back whole
	const s = v instanceof Date ? formatCst(v, true) : typeof v === 'string' ? safeText(v) : String(v);
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One RFC 4180 line (no line end): for exports written a batch at a time. */
export function csvLine(cells: Cell[]): string {
	return cells.map(csvCell).join(',');
}

/**
 * Undoes safeText for an import: "'=SUM(A1)" → "=SUM(A1)". Only an apostrophe in front of a
 * formula start is ours; any other leading apostrophe was typed by a person and stays.
 */
export function restoreText(value: string): string {
	return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/** RFC 4180 CSV with a UTF-8 BOM (so Excel reads Chinese) and CRLF line ends. */
export function toCsv(header: string[], rows: Cell[][]): string {
	return '\uFEFF' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

