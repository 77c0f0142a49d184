// 工作台: a grid manager's grids, queue and 敲门行动 coverage; a department's dispatched work and
// 吹哨 calls; the command centre's dispatch queue; a leader's 包案 and a mediator's cases.
import { randomUUID } from 'node:crypto';
import { intParam } from '$lib/domain/apierror';
import { parseDoorKnock } from '$lib/domain/doorknock';
import { parseCareVisit } from '$lib/domain/care';
import { recordCareVisit } from '$lib/server/care/visits';
import { parseIdempotencyKey } from '$lib/domain/requestinput';
import { dbFor } from '$lib/server/access/request';
import { recordDoorKnock } from '$lib/server/requests/households';
import { formFailure, formText, pageUser } from '$lib/server/http/guards';
import { workspace } from '$lib/server/requests/workspace';
import { completeDecision } from '$lib/server/visits/decisions';
import { parseDecisionNote } from '$lib/domain/visits';
import { mapArea } from '$lib/server/queries/userArea';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const days = event.url.searchParams.get('days') ? intParam(event.url.searchParams.get('days'), 'days', '天数', 1, 365) : 30;
	// knockKey: the idempotency key of the next door-knock form, made when the page is shown, so a
	// double submit or a replayed POST records one visit
	return { user, days, ws: await workspace(await dbFor(event), user, days), mapArea: await mapArea(event), knockKey: randomUUID(), careKey: randomUUID() };
};

export const actions: Actions = {
	/** 落实 of a visit's 议定事项 by its owner */
	decision: async (event) => {
		pageUser(event);
		const values = formText(await event.request.formData());
		try {
			const id = intParam(values.id, 'id', '议定事项编号', 1, 2 ** 53 - 1);
			await completeDecision(await dbFor(event), id, parseDecisionNote(values.note));
			return { decisionDone: id };
		} catch (e) {
			return formFailure(e, values);
		}
	},
	/** 关爱走访 of a care household (the outbox replays it with the same key) */
	care: async (event) => {
		const user = pageUser(event);
		const values = formText(await event.request.formData());
		try {
			const input = parseCareVisit(values);
			const key = parseIdempotencyKey(event.request.headers.get('idempotency-key') ?? String(values.key ?? ''));
			return { careVisit: await recordCareVisit(await dbFor(event), user, input, key) };
		} catch (e) {
			return formFailure(e, values);
		}
	},
	knock: async (event) => {
		const user = pageUser(event);
		const form = await event.request.formData();
		const fields: Record<string, unknown> = Object.fromEntries([...form.entries()].filter(([k, v]) => typeof v === 'string' && k !== 'tags'));
		// one `tags` field per ticked checkbox
		const values: Record<string, unknown> = { ...fields, tags: form.getAll('tags').filter((t) => typeof t === 'string') };
		try {
			const input = parseDoorKnock(values, { metRequired: true });
			const key = parseIdempotencyKey(event.request.headers.get('idempotency-key') ?? String(values.key ?? ''));
			const knock = await recordDoorKnock(await dbFor(event), user, input, key);
			return { knocked: knock.householdId, knock };
		} catch (e) {
			return formFailure(e, values);
		}
	}
};
