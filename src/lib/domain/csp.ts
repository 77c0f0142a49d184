// The Content-Security-Policy follows the base map the district configures. The policy itself is
// SvelteKit's (svelte.config.js: 'self' only, hashes for its start-up script), built when the app
// is built; a base map is configured when it is installed (MAP_STYLE_URL, MAP_ORIGINS), so its
// origins are added to each answer's policy at run time. Without this a configured style could
// never load: connect-src 'self' blocked it, and the page said the style was "无法访问".

/** The directives a map's style, tiles, glyphs and sprites are fetched under (MapLibre uses fetch; images may be <img>). */
const MAP_DIRECTIVES = ['connect-src', 'img-src'] as const;

/**
 * The origins (scheme://host[:port]) of the style URL and of the extra list (tile hosts a style
 * names, e.g. t0…t7.tianditu.gov.cn), or an error naming the setting and the bad value.
 */
export function mapOrigins(styleUrl: string | null | undefined, extra: string | null | undefined): string[] {
	const out = new Set<string>();
	const add = (raw: string, setting: string) => {
		let url: URL;
		try {
			url = new URL(raw);
		} catch {
			throw new Error(`${setting} 不是有效的网址：“${raw}”`);
		}
		if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${setting} 只能是 http(s) 地址：“${raw}”`);
		out.add(url.origin);
	};
	// a path (a style this app serves) needs no origin; anything with a scheme is checked
	if (styleUrl && /^[a-z][a-z0-9+.-]*:/i.test(styleUrl)) add(styleUrl, 'MAP_STYLE_URL');
	for (const o of (extra ?? '').split(/[\s,]+/).filter(Boolean)) add(o, 'MAP_ORIGINS');
	return [...out];
}

/** `policy` with `origins` added to the map's directives (created when missing); unchanged without origins. */
export function withMapOrigins(policy: string, origins: readonly string[]): string {
	if (origins.length === 0) return policy;
	const parts = policy.split(';').map((p) => p.trim()).filter(Boolean);
	for (const directive of MAP_DIRECTIVES) {
		const i = parts.findIndex((p) => p.split(/\s+/)[0] === directive);
		if (i < 0) parts.push(`${directive} 'self' ${origins.join(' ')}`);
		else {
			const have = new Set(parts[i].split(/\s+/));
			parts[i] = [parts[i], ...origins.filter((o) => !have.has(o))].join(' ');
		}
	}
	return parts.join('; ');
}
