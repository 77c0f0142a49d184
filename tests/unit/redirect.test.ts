import { describe, expect, it } from 'vitest';
import { safeRedirect } from '../../src/lib/domain/redirect';

describe('safeRedirect', () => {
	// each as the server sees it after URLSearchParams decoded the query once
	const attacks = [
		'//evil.example',
		'/\\evil.example',
		'\\/evil.example',
		'/%09/evil.example/phish',
		'/\t/evil.example/phish',
		'/\n/evil.example',
		'/\r\n/evil.example',
		'/ /evil.example',
		'/%2F%2Fevil.example',
		'/%2f/evil.example',
		'/%5Cevil.example',
		'/%5C%5Cevil.example',
		'/%0d%0a/evil.example',
		'https://evil.example',
		'http:/evil.example',
		'javascript:alert(1)',
		'JaVaScRiPt:alert(1)',
		'data:text/html,<script>alert(1)</script>',
		'evil.example',
		'/\u0000/evil.example',
		'/\u3000/evil.example',
		'/%E3%80%80/evil.example',
		'/%',
		'',
		null,
		undefined
	];
	it.each(attacks.map((a) => [JSON.stringify(a), a]))('refuses %s', (_, raw) => {
		expect(safeRedirect(raw as string | null | undefined)).toBe('/');
	});

	it.each(['/', '/requests', '/requests/12?tab=history#events', '/requests?q=a%20b', '/kpi?area=430199001&period=2026-11', '/%E7%BD%91%E6%A0%BC'])(
		'keeps the same-site path %s',
		(raw) => expect(safeRedirect(raw)).toBe(raw)
	);
});
