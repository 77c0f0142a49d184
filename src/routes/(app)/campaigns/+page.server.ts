// 专项行动: the campaigns the reader's area has, newest first, with their state and checks so far.
import { CAMPAIGN_DEFINERS, CAMPAIGN_REFUSAL } from '$lib/domain/campaign';
import { localDate } from '$lib/domain/time';
import { dbFor } from '$lib/server/access/request';
import { listCampaigns } from '$lib/server/campaigns/campaigns';
import { pageUser } from '$lib/server/http/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	pageUser(event, { roles: CAMPAIGN_DEFINERS, refusal: CAMPAIGN_REFUSAL });
	return { campaigns: await listCampaigns(await dbFor(event)), today: localDate(new Date()) };
};
