import { describe, expect, it } from 'vitest';
import { changePct, diffRows, diffSummary, type MeasuredRow } from '../../src/lib/domain/import/diff';

const row = (code: string, over: Partial<MeasuredRow>): MeasuredRow => ({ code, name: code, oldName: code, retired: false, beforeM2: 1000, afterM2: 1000, movedM2: 0, ...over });

describe('update diff', () => {
	it('sorts rows into added, reshaped (with the change in %), renamed and unchanged', () => {
		const d = diffRows([
			row('1', { oldName: null, beforeM2: null, movedM2: null }),
			row('2', { afterM2: 600, movedM2: 400 }),
			row('3', { name: '新名' }),
			row('4', { movedM2: 0.4 }), // a sliver from rounding: not a reshape
			row('5', { retired: true })
		], [{ code: '6', name: '六', m2: 1234.4 }], true);
		expect(d.added.map((e) => e.code)).toEqual(['1', '5']);
		expect(d.reshaped).toEqual([{ code: '2', name: '2', beforeM2: 1000, afterM2: 600, changePct: -40, movedM2: 400 }]);
		expect(d.renamed).toEqual([{ code: '3', name: '新名', oldName: '3', beforeM2: 1000, afterM2: 1000, changePct: null }]);
		expect(d.unchanged).toBe(1);
		expect(d.missing).toEqual([{ code: '6', name: '六', beforeM2: 1234, afterM2: null, changePct: null }]);
		expect(diffSummary(d)).toBe('新增 2，边界调整 1，改名 1，未变 1，停用 1');
		expect(diffSummary({ ...d, retireMissing: false })).toMatch(/文件中没有、保留 1$/);
	});

	it('gives the change in percent to one decimal, none without a before', () => {
		expect(changePct(3000, 3100)).toBe(3.3);
		expect(changePct(0, 10)).toBeNull();
	});
});
