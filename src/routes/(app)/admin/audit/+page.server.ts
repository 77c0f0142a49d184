// 审计日志 (admins): every unmasking, export and account event, newest first.
import { ApiError } from '$lib/domain/apierror';
import { dbFor } from '$lib/server/access/request';
import { AUDIT_ACTIONS, AUDIT_LABEL, auditRows, parseAuditFilter } from '$lib/server/access/audit';
import { chainProblem, verifyAuditChain } from '$lib/server/access/auditchain';
import { adminUser } from '$lib/server/http/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = adminUser(event, '查看审计日志');
	// the hash chain (0012): a red banner names the first row changed or deleted behind the app's back
	const tampered = chainProblem(await verifyAuditChain(await dbFor(event)));
	try {
		const filter = parseAuditFilter(event.url.searchParams);
		return { user, filter, rows: await auditRows(await dbFor(event), filter), actions: AUDIT_ACTIONS.map((a) => [a, AUDIT_LABEL[a]]), problem: null, tampered };
	} catch (e) {
		if (!(e instanceof ApiError)) throw e;
		return { user, filter: null, rows: [], actions: AUDIT_ACTIONS.map((a) => [a, AUDIT_LABEL[a]]), problem: e.message, tampered };
	}
};
