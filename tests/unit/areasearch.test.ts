import { describe, expect, it } from 'vitest';
import { searchPlaces, type Place } from '../../src/lib/domain/areasearch';
import { badParam, enumParam, intParam } from '../../src/lib/domain/apierror';

const places: Place[] = [
	{ code: '430199001', name: '城关街道', level: 'street' },
	{ code: '430199001002', name: '城关社区', level: 'community' },
	{ code: '430199001002003', name: '城关社区第3网格', level: 'grid' },
	{ code: '430199002001', name: '新城社区', level: 'community' }
];

describe('searchPlaces', () => {
	it('name prefix before contains, coarser level first', () => {
		expect(searchPlaces(places, '城关').map((p) => p.code)).toEqual(['430199001', '430199001002', '430199001002003']);
		expect(searchPlaces(places, '城').map((p) => p.name)).toEqual(['城关街道', '城关社区', '城关社区第3网格', '新城社区']);
	});
	it('code prefix', () => expect(searchPlaces(places, '430199001002').map((p) => p.level)).toEqual(['community', 'grid']));
	it('blank finds nothing', () => expect(searchPlaces(places, '  ')).toEqual([]));
});

describe('api params', () => {
	it('integer in range', () => expect(intParam('12', 'z', '瓦片层级', 10, 16)).toBe(12));
	it('out of range names the field', () => {
		expect(() => intParam('20', 'z', '瓦片层级', 10, 16)).toThrow('瓦片层级 z 必须在 10–16 之间，收到 20');
		try {
			intParam('abc', 'x', '瓦片列号', 0, 9);
		} catch (e) {
			expect((e as ReturnType<typeof badParam>).toJSON()).toEqual({ error: { code: 'invalid_param', field: 'x', message: '瓦片列号 x 必须是整数，收到“abc”' } });
		}
	});
	it('enum lists the choices', () => expect(() => enumParam('foo', 'measure', '指标', ['a', 'b'])).toThrow('未知的指标 measure：“foo”，可选：a、b'));
});

import { buildTree } from '../../src/lib/domain/areatree';

describe('buildTree', () => {
	it('nests grids under their community by code', () => {
		const tree = buildTree(
			[
				{ code: '430199', name: '清溪区', level: 'district', parent: null },
				{ code: '430199001', name: '城关街道', level: 'street', parent: '430199' },
				{ code: '430199001002', name: '城关社区', level: 'community', parent: '430199001' }
			],
			[{ code: '430199001002002', name: '二网格', level: 'grid' } as any, { code: '430199001002001', name: '一网格' }]
		);
		expect(tree[0].children[0].children[0].children.map((g) => g.name)).toEqual(['一网格', '二网格']);
	});
});
