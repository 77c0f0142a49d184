// A campaign's dashboard (覆盖率, 发现问题, 隐患 by state and 销号率 by grid, street and responsible
// unit) and its two changes: 修改 (name, last day) and 提前结束.
import { intParam } from '$lib/domain/apierror';
import { CAMPAIGN_DEFINERS, CAMPAIGN_REFUSAL, parseCampaignEdit } from '$lib/domain/campaign';
import { localDate } from '$lib/domain/time';
import { dbFor } from '$lib/server/access/request';
import { editCampaign, endCampaign, getCampaign } from '$lib/server/campaigns/campaigns';
import { campaignDashboard } from '$lib/server/campaigns/dashboard';
import { formAction, pageCall, pageUser } from '$lib/server/http/guards';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const idOf = (event: { params: { id: string } }) => intParam(event.params.id, 'id', '专项行动编号', 1, 2 ** 31 - 1);

export const load: PageServerLoad = async (event) => {
	pageUser(event, { roles: CAMPAIGN_DEFINERS, refusal: CAMPAIGN_REFUSAL });
	const db = await dbFor(event);
	return pageCall(async () => {
		const campaign = await getCampaign(db, idOf(event));
		return { campaign, dashboard: await campaignDashboard(db, campaign.id), today: localDate(new Date()) };
	});
};

const action = (run: (values: Record<string, string>, event: RequestEvent) => Promise<string>) =>
	formAction<RequestEvent>({ roles: CAMPAIGN_DEFINERS, refusal: CAMPAIGN_REFUSAL }, run);

export const actions: Actions = {
	edit: action(async (values, event) => {
		const db = await dbFor(event);
		const c = await getCampaign(db, idOf(event));
		await editCampaign(db, c.id, parseCampaignEdit(values, c.startsOn));
		return '已保存修改';
	}),
	end: action(async (_values, event) => {
		await endCampaign(await dbFor(event), idOf(event));
		return '专项行动已结束，之后不再登记排查';
	})
};
