// 专项排查 on the phone: the campaigns running in the grid worker's grids, and for the chosen one the
// households of their grids in its area (the unchecked first) with its checklist. The check itself
// is posted to /api/campaign-checks, through the offline outbox.
import { CAMPAIGN_CHECKERS } from '$lib/domain/campaign';
import { dbFor } from '$lib/server/access/request';
import { runningForWorker, targetsForWorker } from '$lib/server/campaigns/campaigns';
import { pageUser } from '$lib/server/http/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event, { roles: CAMPAIGN_CHECKERS, refusal: '专项排查由网格员在自己的网格内登记；管理员和领导请在“专项行动”中查看进度' });
	const db = await dbFor(event);
	const campaigns = await runningForWorker(db, user.id);
	const chosen = campaigns.find((c) => c.id === Number(event.url.searchParams.get('campaign'))) ?? (campaigns.length === 1 ? campaigns[0] : null);
	return { campaigns, chosen, targets: chosen ? await targetsForWorker(db, user.id, chosen.id) : [] };
};
