// Travel times from an OSRM-compatible table service (OSRM, Valhalla's OSRM façade, GraphHopper's
// compatible endpoint): GET {base}/table/v1/{profile}/{lon,lat;lon,lat…}?annotations=duration,distance
// answers {code: "Ok", durations: seconds[][], distances: metres[][]}. Configured by OSRM_URL.
import type { LonLat, TravelMatrix } from '../../domain/travel';

export interface OsrmOptions {
	/** routing profile in the URL, e.g. driving */
	profile?: string;
	/** give up after this long, ms */
	timeoutMs?: number;
	/** injected for tests */
	fetch?: typeof fetch;
}

export class OsrmError extends Error {}

export async function osrmTable(baseUrl: string, points: LonLat[], options: OsrmOptions = {}): Promise<TravelMatrix> {
	const { profile = 'driving', timeoutMs = 5000, fetch: get = fetch } = options;
	const coords = points.map((p) => `${p.lon.toFixed(6)},${p.lat.toFixed(6)}`).join(';');
	const url = `${baseUrl.replace(/\/$/, '')}/table/v1/${encodeURIComponent(profile)}/${coords}?annotations=duration,distance`;
	let body: any;
	try {
		const res = await get(url, { signal: AbortSignal.timeout(timeoutMs) });
		body = await res.json();
		if (!res.ok || body?.code !== 'Ok') throw new OsrmError(`路网服务返回 ${res.status} ${body?.code ?? ''} ${body?.message ?? ''}`.trim());
	} catch (e) {
		if (e instanceof OsrmError) throw e;
		throw new OsrmError(`路网服务不可用：${(e as Error).message}`);
	}
	const n = points.length;
	const durations: unknown = body.durations;
	if (!Array.isArray(durations) || durations.length !== n || durations.some((r: unknown) => !Array.isArray(r) || r.length !== n)) {
		throw new OsrmError(`路网服务的 durations 不是 ${n}×${n} 矩阵`);
	}
	const minutes = (durations as (number | null)[][]).map((row, i) =>
		row.map((sec, j) => {
			if (sec == null || !Number.isFinite(sec)) throw new OsrmError(`路网服务找不到从第 ${i + 1} 个点到第 ${j + 1} 个点的路线`);
			return sec / 60;
		})
	);
	const metres = Array.isArray(body.distances) ? (body.distances as (number | null)[][]).map((r) => r.map((m) => m ?? NaN)) : null;
	return { minutes, metres, source: 'osrm', assumption: `行程时间来自路网服务（${profile}）` };
}
