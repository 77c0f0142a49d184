// 系统状态 (admins): release, migration level, readiness (ops/systemStatus.ts).
import { adminUser } from '$lib/server/http/guards';
import { systemStatus } from '$lib/server/ops/systemStatus';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = adminUser(event, '查看系统状态');
	return { user, status: await systemStatus() };
};
