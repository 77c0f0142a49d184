// 时限设置 (admins): deadline rules per category and priority, and the statutory holidays that
// working-day deadlines skip. Changes apply from the next 派单.
import { dbFor } from '$lib/server/access/request';
import { holidays, listRules, listVerifySettings, parseHolidays, saveHolidays, saveRule, saveVerifySettings } from '$lib/server/requests/deadlineRules';
import { adminUser, formFailure } from '$lib/server/http/guards';
import type { Actions, PageServerLoad } from './$types';

const adminOnly = (event: Parameters<typeof adminUser>[0]) => adminUser(event, '修改时限设置');

export const load: PageServerLoad = async (event) => {
	const user = adminOnly(event);
	const db = await dbFor(event);
	return { user, rules: await listRules(db), holidays: [...(await holidays(db))], verify: await listVerifySettings(db) };
};

const num = (v: FormDataEntryValue | null) => (v === null || v === '' ? null : Number(v));

export const actions: Actions = {
	rule: async (event) => {
		adminOnly(event);
		const f = await event.request.formData();
		const values = Object.fromEntries(f);
		try {
			const rule = { categoryCode: f.get('categoryCode'), priority: f.get('priority'), acceptWorkingDays: num(f.get('acceptWorkingDays')),
				resolveWorkingDays: num(f.get('resolveWorkingDays')), whistleReportHours: num(f.get('whistleReportHours')) };
			const saved = await saveRule(await dbFor(event), rule);
			return { saved: `${saved.categoryCode}/${saved.priority}` };
		} catch (e) {
			return formFailure(e, values);
		}
	},
	verify: async (event) => {
		adminOnly(event);
		const codes = (await event.request.formData()).getAll('verify').map(String);
		try {
			return { savedVerify: await saveVerifySettings(await dbFor(event), codes) };
		} catch (e) {
			return formFailure(e, { verify: codes.join(',') });
		}
	},
	holidays: async (event) => {
		adminOnly(event);
		const text = String((await event.request.formData()).get('holidays') ?? '');
		try {
			const days = parseHolidays(text);
			await saveHolidays(await dbFor(event), days);
			return { savedHolidays: days.length };
		} catch (e) {
			return formFailure(e, { holidays: text });
		}
	}
};
