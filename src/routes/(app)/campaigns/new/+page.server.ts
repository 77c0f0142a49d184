// 新建专项行动: name, period, area (streets / communities of the definer's jurisdiction), hazard
// types and a 3–12 item yes/no checklist. Validated by domain/campaign.ts; the database refuses an
// area outside a leader's jurisdiction (row-level security, 0033).
import { redirect } from '@sveltejs/kit';
import { CAMPAIGN_DEFINERS, CAMPAIGN_REFUSAL, CHECKLIST_MAX, parseCampaign } from '$lib/domain/campaign';
import { localDate } from '$lib/domain/time';
import { dbFor } from '$lib/server/access/request';
import { areaChoices, createCampaign } from '$lib/server/campaigns/campaigns';
import { formFailure, formText, pageUser } from '$lib/server/http/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	pageUser(event, { roles: CAMPAIGN_DEFINERS, refusal: CAMPAIGN_REFUSAL });
	const today = localDate(new Date());
	const end = localDate(new Date(Date.now() + 29 * 86_400_000));
	return { areas: await areaChoices(await dbFor(event)), today, end, rows: CHECKLIST_MAX };
};

export const actions: Actions = {
	default: async (event) => {
		const user = pageUser(event, { roles: CAMPAIGN_DEFINERS, refusal: CAMPAIGN_REFUSAL });
		const form = await event.request.formData();
		const values = formText(form);
		let id: number;
		try {
			const checklist = Array.from({ length: CHECKLIST_MAX }, (_, i) => ({ question: values[`q${i}`]?.trim() ?? '', hazardType: values[`t${i}`] ?? '' }))
				.filter((c) => c.question);
			const input = parseCampaign({
				name: values.name, startsOn: values.startsOn, endsOn: values.endsOn, target: 'household',
				areaCodes: form.getAll('areaCodes').map(String), hazardTypes: form.getAll('hazardTypes').map(String), checklist
			});
			id = await createCampaign(await dbFor(event), user.id, input);
		} catch (e) {
			return formFailure(e, { ...values, areaCodes: form.getAll('areaCodes').map(String), hazardTypes: form.getAll('hazardTypes').map(String) });
		}
		redirect(303, `/campaigns/${id}`);
	}
};
