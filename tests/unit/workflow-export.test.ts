import { describe, expect, it } from 'vitest';
import { safeText, toCsv } from '../../src/lib/domain/csv';

describe('export cells', () => {
	it('neutralises formula starts and quotes CSV', () => {
		expect(safeText('=HYPERLINK("http://x")')).toBe(`'=HYPERLINK("http://x")`);
		expect(['+1', '-2+3', '@SUM(A1)', '\tx', '正常'].map(safeText)).toEqual([`'+1`, `'-2+3`, `'@SUM(A1)`, `'\tx`, '正常']);
		expect(toCsv(['编号', '标题'], [['A,1', '说"好"'], [-3, null], [new Date('2025-06-02T02:00:00Z'), '=1+1']])).toBe(
			'\uFEFF编号,标题\r\n"A,1","说""好"""\r\n-3,\r\n2025-06-02 10:00:00,\'=1+1\r\n'
		);
	});
});
