// Where a sign-in may send the browser afterwards: only a path on this site. An open redirect lets
// a link sign someone in on the real site and then land them on a look-alike that asks again.
// Pure: no framework imports, tested with a table of attacks (tests/unit/redirect.test.ts).

const DUMMY_ORIGIN = 'http://same-site.invalid';

/** `raw` when it is a same-site path (with query and hash), else '/'. */
export function safeRedirect(raw: string | null | undefined): string {
	if (!raw || raw.length > 2048) return '/';
	// one leading slash; '//' and '/\' are protocol-relative to browsers (they turn '\' into '/')
	if (raw[0] !== '/' || raw[1] === '/' || raw[1] === '\\') return '/';
	if (raw.includes('\\') || hasControlOrSpace(raw)) return '/';
	// browsers drop tab/CR/LF from URLs, and the location header may get decoded by something on
	// the way: look at the decoded text too ('/%09/evil' → '/\t/evil' → '//evil')
	// only the path decides where the browser goes: a query may carry an encoded space ('?q=a%20b')
	const path = raw.split(/[?#]/, 1)[0];
	let decoded: string;
	try {
		decoded = decodeURIComponent(path);
	} catch {
		return '/';
	}
	if (decoded[1] === '/' || decoded[1] === '\\' || decoded.includes('\\') || hasControlOrSpace(decoded)) return '/';
	try {
		const url = new URL(raw, DUMMY_ORIGIN);
		if (url.origin !== DUMMY_ORIGIN) return '/';
		const again = new URL(decoded, DUMMY_ORIGIN);
		if (again.origin !== DUMMY_ORIGIN) return '/';
	} catch {
		return '/';
	}
	return raw;
}

// C0 controls, DEL, C1 controls and every Unicode space (U+2028, U+3000 …)
function hasControlOrSpace(s: string): boolean {
	return /[\u0000-\u0020\u007f-\u009f\s]/.test(s);
}
