// The 走访路线单's route map: start, the numbered stops and the end joined in visiting order, over the
// outlines of the stops' grids, drawn as SVG so it prints sharp on any printer and needs no base-map
// tiles (the sheet is printed in offices with no internet). Web Mercator, like the map on screen, so
// the shapes look the same; fitted to the box with equal scale on both axes.

export interface SheetMapPoint {
	lon: number;
	lat: number;
	/** what is written in the marker: "起", "终", or the stop's number */
	mark: string;
	kind: 'start' | 'stop' | 'end';
}

export interface SheetMapOutline {
	/** polygons, each a list of rings of [lon, lat] */
	polygons: [number, number][][][];
}

export interface SheetMap {
	width: number;
	height: number;
	/** the route in visiting order as one SVG path */
	route: string;
	/** each outline as one SVG path (holes included; draw with fill-rule evenodd) */
	outlines: string[];
	/** one marker per place: a route that ends where it started has one "起/终" marker */
	points: (SheetMapPoint & { x: number; y: number })[];
	/** a round-number scale bar: its length in px and its label */
	scale: { px: number; label: string };
}

const R = 6378137;
const mercX = (lon: number) => (R * lon * Math.PI) / 180;
const mercY = (lat: number) => R * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));

/** The largest 1, 2 or 5 × 10^k metres not longer than `maxM`. */
export function roundScaleMetres(maxM: number): number {
	const p = 10 ** Math.floor(Math.log10(maxM));
	return [5, 2, 1].map((f) => f * p).find((m) => m <= maxM) ?? p;
}

function markers(points: (SheetMapPoint & { x: number; y: number })[]) {
	const out: typeof points = [];
	for (const p of points) {
		const same = out.find((o) => o.x === p.x && o.y === p.y);
		if (same) same.mark = `${same.mark}/${p.mark}`;
		else out.push({ ...p });
	}
	return out;
}

/**
 * Fits the points (and the outlines) into a width × height box with `pad` px on each side. The box
 * keeps its size; the drawing is centred in it. A single point (or all at one place) is drawn at a
 * scale of 1 km across the box.
 */
export function sheetMap(points: SheetMapPoint[], outlines: SheetMapOutline[], width: number, height: number, pad = 24): SheetMap {
	const xs: number[] = [], ys: number[] = [];
	const add = (lon: number, lat: number) => { xs.push(mercX(lon)); ys.push(mercY(lat)); };
	for (const p of points) add(p.lon, p.lat);
	for (const o of outlines) for (const poly of o.polygons) for (const ring of poly) for (const [lon, lat] of ring) add(lon, lat);
	if (!xs.length) return { width, height, route: '', outlines: [], points: [], scale: { px: 0, label: '' } };
	const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
	// Mercator metres shrink by cos(lat) on the ground: the scale bar measures ground metres
	const midLat = (Math.atan(Math.sinh((minY + maxY) / 2 / R)) * 180) / Math.PI;
	const ground = Math.cos((midLat * Math.PI) / 180);
	const spanX = Math.max(maxX - minX, 1000 / ground), spanY = Math.max(maxY - minY, 1000 / ground);
	const k = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY); // px per Mercator metre
	const cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
	const px = (lon: number) => +(width / 2 + (mercX(lon) - cx) * k).toFixed(1);
	const py = (lat: number) => +(height / 2 - (mercY(lat) - cy) * k).toFixed(1);
	const path = (ring: [number, number][], close: boolean) =>
		ring.map(([lon, lat], i) => `${i ? 'L' : 'M'}${px(lon)} ${py(lat)}`).join('') + (close ? 'Z' : '');
	const metresPerPx = ground / k;
	const m = roundScaleMetres(metresPerPx * width * 0.25);
	return {
		width, height,
		route: path(points.map((p) => [p.lon, p.lat]), false),
		outlines: outlines.map((o) => o.polygons.flatMap((poly) => poly.map((ring) => path(ring, true))).join('')),
		points: markers(points.map((p) => ({ ...p, x: px(p.lon), y: py(p.lat) }))),
		scale: { px: +(m / metresPerPx).toFixed(1), label: m >= 1000 ? `${m / 1000} 公里` : `${m} 米` }
	};
}
