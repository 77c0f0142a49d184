// A planned visit route as GPX 1.1 (waypoints + a route) and KML 2.2 (placemarks + a line), for
// car navigation and GIS tools. Coordinates are WGS84 lon/lat degrees as stored.

export interface ExportPoint {
	name: string;
	lon: number;
	lat: number;
	/** shown as the point's description */
	note?: string;
	/** ISO 8601 planned arrival */
	time?: string | null;
}

export interface ExportRoute {
	title: string;
	/** start, the stops in order, end */
	points: ExportPoint[];
}

const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
const coord = (x: number) => x.toFixed(6);

export function toGpx(route: ExportRoute): string {
	const wpt = (p: ExportPoint, tag: 'wpt' | 'rtept') =>
		`  <${tag} lat="${coord(p.lat)}" lon="${coord(p.lon)}">${p.time ? `<time>${xml(p.time)}</time>` : ''}<name>${xml(p.name)}</name>${p.note ? `<desc>${xml(p.note)}</desc>` : ''}</${tag}>`;
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<gpx version="1.1" creator="网格治理地图" xmlns="http://www.topografix.com/GPX/1/1">',
		`  <metadata><name>${xml(route.title)}</name></metadata>`,
		...route.points.map((p) => wpt(p, 'wpt')),
		`  <rte><name>${xml(route.title)}</name>`,
		...route.points.map((p) => '  ' + wpt(p, 'rtept')),
		'  </rte>',
		'</gpx>',
		''
	].join('\n');
}

export function toKml(route: ExportRoute): string {
	// the name as the caller wrote it: stops come numbered ("1. 建设社区"), start and end do not
	const placemark = (p: ExportPoint) =>
		`    <Placemark><name>${xml(p.name)}</name>${p.note ? `<description>${xml(p.note)}</description>` : ''}<Point><coordinates>${coord(p.lon)},${coord(p.lat)},0</coordinates></Point></Placemark>`;
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<kml xmlns="http://www.opengis.net/kml/2.2">',
		'  <Document>',
		`    <name>${xml(route.title)}</name>`,
		...route.points.map(placemark),
		`    <Placemark><name>${xml(route.title)} 路线</name><LineString><tessellate>1</tessellate><coordinates>${route.points.map((p) => `${coord(p.lon)},${coord(p.lat)},0`).join(' ')}</coordinates></LineString></Placemark>`,
		'  </Document>',
		'</kml>',
		''
	].join('\n');
}
