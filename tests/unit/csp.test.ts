import { describe, expect, it } from 'vitest';
import { mapOrigins, withMapOrigins } from '../../src/lib/domain/csp';

const BUILT = "default-src 'self'; script-src 'self' 'sha256-abc'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'";

describe('the CSP follows the configured base map', () => {
	it('takes the style URL and the extra tile hosts as origins', () => {
		expect(mapOrigins('http://tiles.intranet:8080/styles/basic/style.json?tk=x', 'https://t0.tianditu.gov.cn, https://t1.tianditu.gov.cn/')).toEqual([
			'http://tiles.intranet:8080', 'https://t0.tianditu.gov.cn', 'https://t1.tianditu.gov.cn'
		]);
		// a style served by this app itself (a path) adds nothing
		expect(mapOrigins('/basemaps/style.json', '')).toEqual([]);
		expect(mapOrigins(null, undefined)).toEqual([]);
	});

	it('names the setting of a bad value', () => {
		expect(() => mapOrigins(null, 'tiles intranet')).toThrow(/MAP_ORIGINS 不是有效的网址：“tiles”/);
		expect(() => mapOrigins('ftp://x/style.json', null)).toThrow(/MAP_STYLE_URL 只能是 http\(s\) 地址/);
	});

	it("adds them to connect-src and img-src only, keeping the build's hashes", () => {
		const csp = withMapOrigins(BUILT, ['https://t0.tianditu.gov.cn']);
		expect(csp).toContain("connect-src 'self' https://t0.tianditu.gov.cn");
		expect(csp).toContain("img-src 'self' data: blob: https://t0.tianditu.gov.cn");
		expect(csp).toContain("script-src 'self' 'sha256-abc'");
		expect(csp).not.toMatch(/script-src[^;]*tianditu/);
		expect(withMapOrigins(BUILT, [])).toBe(BUILT);
		expect(withMapOrigins("default-src 'self'", ['http://a:1'])).toBe("default-src 'self'; connect-src 'self' http://a:1; img-src 'self' http://a:1");
	});
});
