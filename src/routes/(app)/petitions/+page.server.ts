// 信访: the 包案 leader's own cases (everyone's for ?all=1, and for 矛调 and admins by default) with
// their last contact and 息访 state, paged on the server; and the 接访日 calendar of the next weeks,
// where a leader schedules their own reception days and 矛调/admins anyone's.
import { intParam } from '$lib/domain/apierror';
import { parseReceptionDay } from '$lib/domain/petition';
import { localDate } from '$lib/domain/time';
import { dbFor } from '$lib/server/access/request';
import { formAction, pageUser } from '$lib/server/http/guards';
import { addReceptionDay, cancelReceptionDay, petitionCases, petitionCounts, receivingLeaders, receptionDays } from '$lib/server/petitions/petitions';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const PAGE_SIZE = 30;
const READERS = ['leader', 'mediator', 'admin'] as const;
const refusal = '信访页面供领导、矛调人员和管理员使用';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event, { roles: READERS, refusal });
	const db = await dbFor(event);
	const q = event.url.searchParams;
	const all = user.role !== 'leader' || q.get('all') === '1';
	const openOnly = q.get('closed') !== '1';
	const page = Math.max(1, Math.min(10_000, Number(q.get('page')) || 1));
	const leaderId = all ? null : user.id;
	const today = localDate(new Date());
	const [cases, counts, days] = await Promise.all([
		petitionCases(db, { leaderId, openOnly, page, pageSize: PAGE_SIZE }),
		petitionCounts(db, leaderId),
		receptionDays(db, today)
	]);
	return {
		cases, counts, days, all, openOnly, page, pageSize: PAGE_SIZE, today,
		isLeader: user.role === 'leader', userId: user.id, isAdmin: user.role === 'admin', role: user.role,
		leaders: user.role === 'leader' ? [] : await receivingLeaders(db)
	};
};

const action = (run: (values: Record<string, string>, event: RequestEvent) => Promise<string>) => formAction<RequestEvent>({ roles: READERS, refusal }, run);

export const actions: Actions = {
	schedule: action(async (values, event) => {
		const user = pageUser(event);
		const d = parseReceptionDay(values, user, localDate(new Date()));
		await addReceptionDay(await dbFor(event), user.id, d);
		return `已安排接访：${d.day} ${d.startsAt}–${d.endsAt}，${d.place}`;
	}),
	cancel: action(async (values, event) => {
		await cancelReceptionDay(await dbFor(event), intParam(values.id, 'id', '接访安排编号', 1, 2 ** 31 - 1));
		return '已取消这次接访安排';
	})
};
