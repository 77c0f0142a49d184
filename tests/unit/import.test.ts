// The pure half of the import: cells, times, ID numbers, headers, coordinates, WKT.
import { describe, expect, it } from 'vitest';
import { cleanRecords } from '../../src/lib/domain/import/clean';
import { FieldProblem, idNumber, mapColumns, time } from '../../src/lib/domain/import/fields';
import { countVertices, positionProblem, toWgs84 } from '../../src/lib/domain/import/geometry';
import { DEFAULT_LIMITS, ImportFileError } from '../../src/lib/domain/import/types';
import { parseWkt, WktError } from '../../src/lib/domain/import/wkt';

describe('import fields', () => {
	it('reads times as 北京时间 unless a zone is given, and refuses impossible dates', () => {
		expect(time('2026-03-05 14:30')).toBe('2026-03-05T06:30:00.000Z');
		expect(time('2026/3/5')).toBe('2026-03-04T16:00:00.000Z');
		expect(time('2026-03-05T14:30:00+08:00')).toBe('2026-03-05T06:30:00.000Z');
		expect(time('2026-03-05T06:30:00Z')).toBe('2026-03-05T06:30:00.000Z');
		expect(() => time('2026-02-30')).toThrow(FieldProblem);
		expect(() => time('昨天')).toThrow(/请写成 2026-03-05 14:30/);
	});

	it('checks the ID number’s check digit', () => {
		expect(idNumber(' 430104199001011230 ')).toBe('430104199001011230');
		expect(() => idNumber('430104199001011231')).toThrow(/校验位不正确/);
		expect(() => idNumber('4301041990')).toThrow(/18 位/);
	});

	it('maps Chinese and English headers, the specific alias before the generic one', () => {
		expect(Object.fromEntries(mapColumns('households', ['姓名', '户主姓名', '经度（GCJ）', 'LAT', 'Address']))).toEqual({
			head_name: '户主姓名', address: 'Address', lng: '经度（GCJ）', lat: 'LAT'
		});
	});
});

describe('import coordinates', () => {
	it('tells swapped, projected and foreign coordinates apart', () => {
		expect(positionProblem([113.2, 28.2])).toBeNull();
		expect(positionProblem([28.2, 113.2])).toMatch(/写反了/);
		expect(positionProblem([620000, 3120000])).toMatch(/投影坐标/);
		expect(positionProblem([-0.12, 51.5])).toMatch(/不在中国范围内/);
	});

	it('converts GCJ-02 back onto WGS84 within a metre and leaves WGS84 alone', () => {
		const gcj: [number, number] = [113.21093, 28.20295]; // ≈ (113.2055, 28.2061) in WGS84
		const [x, y] = toWgs84(gcj, 'gcj02');
		expect(Math.abs(x - gcj[0]) + Math.abs(y - gcj[1])).toBeGreaterThan(0.004);
		expect(toWgs84(gcj, 'wgs84')).toBe(gcj);
	});

	it('counts vertices of every geometry type', () => {
		expect(countVertices({ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[0, 0], [1, 0], [1, 1], [0, 0]]]] })).toBe(8);
	});
});

describe('import WKT', () => {
	it('reads POLYGON, MULTIPOLYGON and EWKT, and names what is wrong', () => {
		expect(parseWkt('POLYGON((1 2,3 4,5 6,1 2))')).toEqual({ type: 'Polygon', coordinates: [[[1, 2], [3, 4], [5, 6], [1, 2]]] });
		expect(parseWkt('SRID=4326;MULTIPOLYGON(((1 2, 3 4, 5 6, 1 2)),((7 8,9 10,11 12,7 8)))').type).toBe('MultiPolygon');
		expect(() => parseWkt('SRID=3857;POLYGON((1 2,3 4,5 6,1 2))')).toThrow(/不是经纬度/);
		expect(() => parseWkt('POLYGON((1 2,3 4,5 6,1 2)')).toThrow(WktError);
		expect(() => parseWkt('LINESTRING(1 2,3 4)')).toThrow(/无法识别的 WKT/);
	});
});

describe('cleanRecords', () => {
	const rec = (row: number, props: Record<string, unknown>) => ({ row, where: `第 ${row} 行`, props, geometry: null });

	it('names each bad cell and keeps the good rows', () => {
		const c = cleanRecords('households', [rec(2, { 户主姓名: '张三', 经度: '113.2', 纬度: '28.2', 地址: '1栋', 家庭人口: '0' }), rec(3, { 户主姓名: '李四', 经度: '113.2', 纬度: '28.2', 地址: '2栋' })], 'wgs84', DEFAULT_LIMITS);
		expect(c.issues).toEqual([{ row: 2, where: '第 2 行', field: '家庭人口', message: '家庭人口必须在 1–20 之间，收到 0', level: 'error' }]);
		expect(c.rows.map((r) => [r.values.head_name, r.values.size, r.geometry])).toEqual([['李四', 1, { type: 'Point', coordinates: [113.2, 28.2] }]]);
	});

	it('refuses a file without the required columns, listing what it found', () => {
		expect(() => cleanRecords('hazards', [rec(2, { 编号: 'A' })], 'wgs84', DEFAULT_LIMITS)).toThrow(ImportFileError);
		expect(() => cleanRecords('hazards', [rec(2, { 编号: 'A' })], 'wgs84', DEFAULT_LIMITS)).toThrow(/缺少必填列：隐患描述.*文件中的列：编号/);
	});
});
