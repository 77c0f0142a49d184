// The photo limits and the phone's resize target (src/lib/domain/photos.ts).
import { describe, expect, it } from 'vitest';
import { checkPhotos, fitWithin, moveKind, PHOTO_MAX_BYTES, PHOTO_MAX_COUNT, PHOTO_MAX_EDGE } from '../../src/lib/domain/photos';

const photo = (n: number, type = 'image/jpeg') => ({ type, bytes: new Uint8Array(n) });

describe('fitWithin', () => {
	it('shrinks the longer edge to the limit, keeping the aspect', () => {
		expect(fitWithin(4000, 3000)).toEqual({ width: PHOTO_MAX_EDGE, height: 1200 });
		expect(fitWithin(3000, 4000)).toEqual({ width: 1200, height: PHOTO_MAX_EDGE });
		expect(fitWithin(4032, 1960, 1600)).toEqual({ width: 1600, height: 778 });
	});
	it('never enlarges a small picture', () => {
		expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 });
		expect(fitWithin(1, 10_000)).toEqual({ width: 1, height: 1600 });
	});
});

describe('checkPhotos', () => {
	it('takes up to the limit of JPEG, PNG and WebP photos', () => {
		expect(() => checkPhotos(Array.from({ length: PHOTO_MAX_COUNT }, () => photo(10)))).not.toThrow();
		expect(() => checkPhotos([photo(PHOTO_MAX_BYTES, 'image/png'), photo(1, 'image/webp')])).not.toThrow();
	});
	it('refuses too many, too big, empty or another type, naming the field and the photo', () => {
		expect(() => checkPhotos(Array.from({ length: PHOTO_MAX_COUNT + 1 }, () => photo(10)))).toThrow(expect.objectContaining({ field: 'photos', status: 400 }));
		expect(() => checkPhotos([photo(1), photo(PHOTO_MAX_BYTES + 1)])).toThrow(/^第 2 张照片（photos）不能超过 5\.0 MB，现在 5\.0 MB$/);
		expect(() => checkPhotos([photo(0)])).toThrow('照片（photos）是空文件');
		expect(() => checkPhotos([photo(5, 'image/gif')], 'photo')).toThrow(expect.objectContaining({ field: 'photo', message: '照片（photo）只能是 JPG、PNG 或 WebP，收到 image/gif' }));
	});
});

it('photos go with 接单 (处置前) and 办结 (处置后) only', () => {
	expect([moveKind('accept'), moveKind('resolve'), moveKind('dispatch'), moveKind('evaluate')]).toEqual(['before', 'after', null, null]);
});
