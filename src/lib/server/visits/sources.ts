// Where a new visit's stops come from: the leader's saved 解剖麻雀 research topics (their sites,
// at each grid's label point), the leader's 包联 places, and the default start (区人民政府, else the
// district's or its grids' centre: from the data, never a fixed place).
import type { Queryable } from '../db/client';
import { ApiError } from '../../domain/apierror';
import { researchTopicSites } from '../research/topics';
import { leaderPairings } from './pairings';

export async function stopSources(db: Queryable, leaderId: number) {
	const researchTopics = await researchTopicSites(db, leaderId);
	const pairings = (await leaderPairings(db, leaderId)).filter((p) => p.lon !== null);
	const [start] = await db.sql<{ name: string; lon: number; lat: number }>`
		SELECT name, lon, lat FROM (
		  SELECT name, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat, 0 AS k FROM basemap_features WHERE kind = 'place' AND name = '区人民政府'
		  UNION ALL SELECT name || '（中心）', ST_X(label_point), ST_Y(label_point), 1 FROM areas WHERE level = 'district'
		  UNION ALL SELECT '辖区中心', ST_X(c), ST_Y(c), 2 FROM (SELECT ST_Centroid(ST_Extent(geom)::geometry) AS c FROM grids) g WHERE c IS NOT NULL) x
		ORDER BY k LIMIT 1`;
	// no place to start from is no district at all: nothing to visit yet
	if (!start) throw new ApiError(409, 'no_district', '尚未导入辖区数据，暂不能安排走访');
	return { researchTopics, pairings, start };
}
