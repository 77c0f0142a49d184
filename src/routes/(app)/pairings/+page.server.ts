// 包联: each leader's paired places with open items, overdue work and the last visit (a leader sees
// their own by default, ?all=1 everyone's, ?ended=1 also the ended pairings), and the changes a
// leader makes to their own and an admin to anyone's: 新增, 修改 (?edit=<id>), 结束包联.
import { intParam } from '$lib/domain/apierror';
import { parseEnd, parsePairing } from '$lib/domain/pairing';
import { clientAddress, dbFor } from '$lib/server/access/request';
import { viewerVersions } from '$lib/server/queries/versions';
import { formAction, pageUser } from '$lib/server/http/guards';
import { changePairing, createPairing, endPairing, leaderPairings, pairableAreas, pairableLeaders } from '$lib/server/visits/pairings';
import { mapArea } from '$lib/server/queries/userArea';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import type { SessionUser } from '$lib/server/auth/user';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = pageUser({ locals, url });
	const db = await dbFor({ locals });
	const all = url.searchParams.get('all') === '1' || user.role !== 'leader';
	const ended = url.searchParams.get('ended') === '1';
	const canEdit = user.role === 'leader' || user.role === 'admin';
	const [rows, v] = await Promise.all([leaderPairings(db, all ? null : user.id, { ended }), viewerVersions(db)]);
	const editId = Number(url.searchParams.get('edit')) || null;
	const editing = editId ? rows.find((r) => r.id === editId && r.ended_on === null && (user.role === 'admin' || r.leader_id === user.id)) ?? null : null;
	return {
		rows, all, ended, canEdit, editing, userId: user.id, isAdmin: user.role === 'admin',
		leaders: canEdit && user.role === 'admin' ? await pairableLeaders(db) : [],
		areas: canEdit ? await pairableAreas(db) : [],
		basemap: `/api/map/basemap?v=${v.basemap}`, mapArea: await mapArea({ locals })
	};
};

const WRITERS = { roles: ['leader', 'admin'] as const, refusal: '只有领导和管理员可以管理包联' };

/** One form action: the writer, the form's fields, and a refusal shown with the values as entered. */
const action = (run: (user: SessionUser, values: Record<string, string>, event: RequestEvent) => Promise<string>) =>
	formAction<RequestEvent>(WRITERS, (values, event, user) => run(user, values, event));
const pairingId = (values: Record<string, string>) => intParam(values.id, 'id', '包联编号', 1, 2 ** 31 - 1);

export const actions: Actions = {
	create: action(async (user, values, event) => {
		const id = await createPairing(await dbFor(event), user, parsePairing(values, user), clientAddress(event));
		return `已新增包联：${values.name}（第 ${id} 条）`;
	}),
	change: action(async (user, values, event) => {
		await changePairing(await dbFor(event), user, pairingId(values), parsePairing(values, user), clientAddress(event));
		return `已保存包联：${values.name}`;
	}),
	end: action(async (user, values, event) => {
		const id = pairingId(values);
		const end = await endPairing(await dbFor(event), user, id, (started) => parseEnd(values.endedOn, started), clientAddress(event));
		return `已结束包联：${values.name ?? id}（${end}）`;
	})
};
