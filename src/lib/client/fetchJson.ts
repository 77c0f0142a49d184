// The browser's one JSON fetch: the API answers errors as {error: {message}} in Chinese; that
// message becomes the thrown Error's, so a page shows it as it is. Browser code only.

/** An API answer that was not 2xx: its HTTP status and the API's message. */
export class FetchError extends Error {
	constructor(readonly status: number, message: string, readonly body: unknown) {
		super(message);
		this.name = 'FetchError';
	}
}

/** GET (or `init`) `url` and parse the JSON; throws FetchError with the API's message when not ok. */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
	const res = await fetch(url, init);
	const body = await res.json().catch(() => null);
	if (!res.ok) throw new FetchError(res.status, body?.error?.message ?? `请求失败：HTTP ${res.status}`, body);
	return body as T;
}
