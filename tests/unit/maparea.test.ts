import { describe, expect, it } from 'vitest';
import { commonArea, inScope } from '../../src/lib/domain/maparea';

describe("the user's own area", () => {
	it('is the smallest grid, community, street or district holding every grid of the scope', () => {
		expect(commonArea(['430199001001001'])).toBe('430199001001001');
		expect(commonArea(['430199001001001', '430199001001002'])).toBe('430199001001');
		expect(commonArea(['430199001001001', '430199001002003'])).toBe('430199001');
		expect(commonArea(['430199001001001', '430199004001001'])).toBe('430199');
		expect(commonArea(['430199001001001', '430200001001001'])).toBeNull();
	});
	it('is none (the district) for every grid or none', () => {
		expect(commonArea(null)).toBeNull();
		expect(commonArea([])).toBeNull();
		expect(inScope({ bbox: [0, 0, 1, 1], grids: null }, 'x')).toBe(true);
	});
});
