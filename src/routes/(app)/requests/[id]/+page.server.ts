// One request: its history, its 吹哨 summons, and the moves this user may make now. Each move
// form carries the version the user saw, so a stale page gets a clear conflict, not an overwrite.
import { error, redirect } from '@sveltejs/kit';
import { intParam } from '$lib/domain/apierror';
import { visibleGridCodes } from '$lib/server/auth/visibility';
import { dbFor } from '$lib/server/access/request';
import { requestDetail, type RequestDetail } from '$lib/server/requests/detail';
import { parseMove, photosFromForm } from '$lib/server/requests/http';
import { formFailure, formText, pageUser } from '$lib/server/http/guards';
import { referenceLists } from '$lib/server/queries/reference';
import { moveRequest, offeredMoves } from '$lib/server/requests/transition';
import { mapArea } from '$lib/server/queries/userArea';
import { parseAgreement, parseContact, PETITION_CONTACT_LABEL } from '$lib/domain/petition';
import { localDate } from '$lib/domain/time';
import { addContact, caseRecords, caseReportedOn, signAgreement, worksPetition } from '$lib/server/petitions/petitions';
import { approveExtension, askExtension, caseInfo, endSupervision, mergeCandidates, refuseExtension, supervise, urge } from '$lib/server/requests/cases';
import { EXTENSION_STATUSES, mayUrge, maySupervise, parseExtensionAsk, URGE_STATUSES } from '$lib/domain/cases';
import { OPEN_STATUSES, type RequestStatus } from '$lib/domain/workflow';
import { parseVersion } from '$lib/domain/requestinput';
import type { RequestEvent } from '@sveltejs/kit';
import { HAZARD_REPORTER_ROLES } from '$lib/domain/hazardflow';
import { hazardsFromRequest } from '$lib/server/hazards/report';
import { decideAppeal, fileAppeal, verificationInfo, verifyRequest } from '$lib/server/requests/verification';
import { appealProblem, mayVerify, parseAppealDecision, parseVerify, verifyProblem } from '$lib/domain/verification';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const db = await dbFor(event);
	const id = Number(event.params.id);
	const r = Number.isSafeInteger(id) && id > 0 ? await requestDetail(db, id) : null;
	const grids = await visibleGridCodes(db, user);
	if (!r || (grids && !grids.includes(r.gridCode))) error(404, { message: `诉求 ${event.params.id} 不存在或不在你的网格内` });
	const actions = offeredMoves(user, r);
	const { departments, mediators } = await referenceLists(db);
	const cases = await caseInfo(db, id);
	const open = (OPEN_STATUSES as readonly string[]).includes(r.status);
	const pendingExtension = cases.extensions.find((x) => x.status === 'pending') ?? null;
	// what this user may do besides the moves: 延期 (ask or decide), 督办, 催办
	const can = {
		askExtension: !pendingExtension && (EXTENSION_STATUSES as readonly string[]).includes(r.status)
			&& (user.role === 'admin' || (user.role === 'department_staff' && user.departmentId === r.departmentId)),
		decideExtension: !!pendingExtension && user.role === 'admin',
		supervise: open && maySupervise(user.role) && !cases.supervisions.some((s) => s.leaderId === user.id && !s.endedAt),
		endSupervision: cases.supervisions.some((s) => s.leaderId === user.id && !s.endedAt),
		urge: (URGE_STATUSES as readonly string[]).includes(r.status) && mayUrge(user.role) && r.departmentId !== null
	};
	// 核查 (before 销号) and 申诉 (against an unsatisfied 评单)
	const verify = await verificationInfo(db, id);
	const canVerify = verify.verifyRequired && mayVerify(user, { gridManagerIds: r.gridManagerIds, leaderId: r.leaderId })
		&& !verifyProblem(r.status as RequestStatus, user.id, verify.resolverId);
	const canAppeal = (user.role === 'admin' || (user.role === 'department_staff' && user.departmentId === r.departmentId))
		&& !appealProblem(verify.evaluation && { ...verify.evaluation, at: new Date(verify.evaluation.at) }, new Date(), verify.evaluation?.appealed ?? false);
	const canDecideAppeal = user.role === 'admin' && verify.appeals.some((a) => a.status === 'pending');
	// 立案审核: nearby open requests of the same kind, offered as the original to merge into
	const candidates = actions.includes('merge') ? await mergeCandidates(db, id) : [];
	return {
		user, r, actions, departments, mediators, cases, pendingExtension, can, candidates, verify, canVerify, canAppeal, canDecideAppeal,
		petition: r.kind === 'petition' ? await petitionPanel(db, r) : null, mapArea: await mapArea(event),
		hazards: await hazardsFromRequest(db, id), mayReportHazard: (HAZARD_REPORTER_ROLES as readonly string[]).includes(user.role)
	};
};

/** A form action of the case card: `fn` with the form's fields; refusals come back with the values typed. */
async function caseAction(event: RequestEvent<{ id: string }>, fn: (db: Awaited<ReturnType<typeof dbFor>>, id: number, body: Record<string, unknown>) => Promise<string>) {
	const id = intParam(event.params.id, 'id', '诉求编号', 1, Number.MAX_SAFE_INTEGER);
	const body: Record<string, unknown> = Object.fromEntries((await event.request.formData()).entries());
	let done: string;
	try {
		done = await fn(await dbFor(event), id, body);
	} catch (e) {
		return formFailure(e, body);
	}
	redirect(303, `/requests/${id}?case=${done}`);
}


/** 信访办理: the case's records, and which forms the user gets (the database decides who may write). */
async function petitionPanel(db: Awaited<ReturnType<typeof dbFor>>, r: RequestDetail) {
	const mayWork = await worksPetition(db, r.id);
	const satisfied = r.satisfaction === 'satisfied' || r.satisfaction === 'basic';
	return {
		...(await caseRecords(db, r.id)), mayWork, mayAgree: mayWork && satisfied && (r.status === 'evaluated' || r.status === 'closed'),
		today: localDate(new Date()), reportedOn: localDate(new Date(r.reportedAt))
	};
}

/** A 信访办理 form: the fields, then `run`; a refusal comes back with the values as entered. */
const petitionAction = (run: (db: Awaited<ReturnType<typeof dbFor>>, userId: number, id: number, values: Record<string, string>) => Promise<string>) =>
	async (event: Parameters<Actions[string]>[0]) => {
		const user = pageUser(event);
		const id = intParam(event.params.id, 'id', '诉求编号', 1, Number.MAX_SAFE_INTEGER);
		const values = formText(await event.request.formData());
		try {
			return { petitionDone: await run(await dbFor(event), user.id, id, values) };
		} catch (e) {
			return formFailure(e, { ...values, form: 'petition' });
		}
	};

export const actions: Actions = {
	contact: petitionAction(async (db, userId, id, values) => {
		const c = parseContact(values, localDate(new Date()), await caseReportedOn(db, id));
		await addContact(db, userId, id, c);
		return `已记录${PETITION_CONTACT_LABEL[c.kind]}（${c.happenedOn}）`;
	}),
	agreement: petitionAction(async (db, userId, id, values) => {
		await signAgreement(db, userId, id, parseAgreement(values, localDate(new Date())));
		return '已记录息访协议：现在可以销号';
	}),
	move: async (event) => {
		const user = pageUser(event);
		const id = intParam(event.params.id, 'id', '诉求编号', 1, Number.MAX_SAFE_INTEGER);
		const form = await event.request.formData();
		const body: Record<string, unknown> = Object.fromEntries(form.entries());
		body.departments = form.getAll('departments').map(String);
		// 合并: a typed 诉求编号 wins over the nearby suggestion
		const code = String(form.get('intoCode') ?? '').trim();
		if (code) body.into = code;
		let done: string;
		try {
			const photos = await photosFromForm(form, 'photos');
			done = (await moveRequest(await dbFor(event), user, { ...parseMove(id, body, new Headers()), photos })).status;
		} catch (e) {
			return formFailure(e, { action: body.action });
		}
		redirect(303, `/requests/${id}?done=${done}`);
	},
	extensionAsk: (event) => caseAction(event, async (db, id, b) => {
		await askExtension(db, pageUser(event), id, parseExtensionAsk(b));
		return 'extension_asked';
	}),
	extensionApprove: (event) => caseAction(event, async (db, id, b) => {
		await approveExtension(db, pageUser(event), id, parseVersion(b.version, 'version'), typeof b.reason === 'string' ? b.reason.trim() || null : null);
		return 'extension_approved';
	}),
	extensionRefuse: (event) => caseAction(event, async (db, id, b) => {
		await refuseExtension(db, pageUser(event), id, b.reason);
		return 'extension_refused';
	}),
	supervise: (event) => caseAction(event, async (db, id, b) => {
		await supervise(db, pageUser(event), id, b.note);
		return 'supervised';
	}),
	endSupervision: (event) => caseAction(event, async (db, id) => {
		await endSupervision(db, pageUser(event), id);
		return 'supervision_ended';
	}),
	verify: async (event) => {
		const user = pageUser(event);
		const id = intParam(event.params.id, 'id', '诉求编号', 1, Number.MAX_SAFE_INTEGER);
		const form = await event.request.formData();
		const body: Record<string, unknown> = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string'));
		let status: string;
		try {
			const [before] = await photosFromForm(form, 'beforePhoto');
			const [after] = await photosFromForm(form, 'afterPhoto');
			const v = parseVerify(body);
			// a photo taken now wins over the chosen one of the report
			({ status } = await verifyRequest(await dbFor(event), user, id, { ...v, beforePhotoId: before ? null : v.beforePhotoId, beforePhoto: before ?? null, afterPhoto: after ?? null }));
		} catch (e) {
			return formFailure(e, { ...body, form: 'verify' });
		}
		redirect(303, `/requests/${id}?check=${status === 'reopened' ? 'fail' : 'pass'}`);
	},
	appeal: (event) => caseAction(event, async (db, id, b) => {
		await fileAppeal(db, pageUser(event), id, b.reason);
		return 'appealed';
	}),
	appealDecide: (event) => caseAction(event, async (db, id, b) => {
		const d = parseAppealDecision(b);
		await decideAppeal(db, pageUser(event), id, d);
		return d.decision === 'upheld' ? 'appeal_upheld' : 'appeal_rejected';
	}),
	urge: (event) => caseAction(event, async (db, id, b) => {
		const { escalated } = await urge(db, pageUser(event), id, b.message);
		return escalated ? 'urged_escalated' : 'urged';
	})
};
