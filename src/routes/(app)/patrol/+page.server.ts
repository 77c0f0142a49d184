// 巡查: the grid worker's own page to start and end a patrol (the tracking itself happens in the
// browser, only while a patrol runs) and their patrols of the last 30 days, one shown on the map.
import { lastDays } from '$lib/domain/calendar';
import { dbFor } from '$lib/server/access/request';
import { pageUser } from '$lib/server/http/guards';
import { keepDays, patrolsOf, patrolTrack } from '$lib/server/patrols/patrols';
import { viewerVersions } from '$lib/server/queries/versions';
import type { PageServerLoad } from './$types';

const DAYS = 30;

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event, { roles: ['grid_manager'], refusal: '巡查由网格员本人在手机上记录；领导可在“网格员排名”中查看网格员的巡查' });
	const db = await dbFor(event);
	const { from, to } = lastDays(DAYS, new Date());
	const [list, v] = await Promise.all([patrolsOf(db, user.id, from, to), viewerVersions(db)]);
	const chosen = Number(event.url.searchParams.get('id')) || list.rows[0]?.id || null;
	const track = chosen ? await patrolTrack(db, chosen) : null;
	return {
		list, days: DAYS, keepDays: keepDays(), username: user.username,
		chosen: track && track.userId === user.id ? chosen : null, line: track && track.userId === user.id ? track.line : [],
		basemap: `/api/map/basemap?v=${v.basemap}`
	};
};
