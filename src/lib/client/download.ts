// A download with progress: a district's households take 20–70 s to export, and a plain link shows
// nothing meanwhile. The server counts the rows before it streams them (x-export-rows); CSV and
// GeoJSON carry one row per line, so the lines received are the rows done. An .xlsx is compressed,
// so there only the bytes received can be shown. The file is then saved under the server's name.

export interface DownloadProgress {
	/** rows the file will hold (x-export-rows), when the server said */
	total: number | null;
	/** rows received so far (CSV, GeoJSON), or null when they cannot be counted (.xlsx) */
	rows: number | null;
	bytes: number;
}

/** The file name of a Content-Disposition header: RFC 5987's UTF-8 name, else the plain one. */
export function dispositionName(header: string | null, fallback: string): string {
	if (!header) return fallback;
	const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
	if (star) {
		try {
			return decodeURIComponent(star[1]);
		} catch {
			// a malformed name: the plain one below
		}
	}
	return /filename="([^"]+)"/i.exec(header)?.[1] ?? fallback;
}

/** Fetches `url`, reports progress as it streams, and saves it; throws with the server's message on an error. */
export async function downloadWithProgress(url: string, fallbackName: string, onProgress: (p: DownloadProgress) => void, signal?: AbortSignal): Promise<void> {
	const res = await fetch(url, { signal });
	if (!res.ok) {
		const body = await res.json().catch(() => null);
		throw new Error(body?.error?.message ?? `导出失败（HTTP ${res.status}）`);
	}
	const totalHeader = res.headers.get('x-export-rows');
	const total = totalHeader === null ? null : Number(totalHeader);
	const countLines = !/spreadsheetml/.test(res.headers.get('content-type') ?? '');
	const chunks: Uint8Array[] = [];
	let bytes = 0;
	let lines = 0;
	const reader = res.body!.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		chunks.push(value);
		bytes += value.byteLength;
		if (countLines) for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
		// CSV: the header line is no row; GeoJSON: the opening line is none either
		onProgress({ total, rows: countLines ? Math.max(0, Math.min(total ?? Infinity, lines - 1)) : null, bytes });
	}
	const blob = new Blob(chunks as BlobPart[], { type: res.headers.get('content-type') ?? 'application/octet-stream' });
	const href = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = href;
	a.download = dispositionName(res.headers.get('content-disposition'), fallbackName);
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
