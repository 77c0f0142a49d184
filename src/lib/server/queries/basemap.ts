// The offline base map's data: the district's own land, water, roads, parks and place names from
// basemap_features, plus the street and community polygons and label points from areas. One
// GeoJSON document (MapLibre tiles it in a worker), built in SQL as text and cached per version.
import type { Database } from '../db/client';
import { makeCached, mapCache, type Cached } from './cache';
import { versions } from './versions';

export async function basemapGeojson(db: Database): Promise<Cached> {
	const v = (await versions(db)).basemap;
	return mapCache.get(`basemap:${v}`, async () => {
		const [r] = await db.sql<{ doc: string }>`
			WITH f AS (
				SELECT kind, name, NULL::text AS code, geom FROM basemap_features
				UNION ALL
				SELECT level, name, code, geom FROM areas
				UNION ALL
				SELECT 'label_' || level, name, code, label_point FROM areas WHERE level <> 'district'
			)
			SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
				'type', 'Feature',
				'properties', json_strip_nulls(json_build_object('kind', kind, 'name', name, 'code', code)),
				'geometry', ST_AsGeoJSON(geom, 5)::json)), '[]'::json))::text AS doc
			FROM f`;
		return makeCached(r.doc, 'application/geo+json; charset=utf-8', null);
	});
}
