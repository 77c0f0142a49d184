// Who a signed-in user is (the session's row), the roles' names, and the API's role guard.
import { ApiError } from '../../domain/apierror';

export type Role = 'admin' | 'leader' | 'grid_manager' | 'department_staff' | 'mediator' | 'screen';

export interface SessionUser {
	id: number;
	username: string;
	displayName: string;
	role: Role;
	departmentId: number | null;
	title: string | null;
	/** a leader's area (a prefix of the grid codes they see); null for other roles */
	jurisdiction?: string | null;
}

export const ROLE_LABEL: Record<Role, string> = {
	admin: '管理员', leader: '领导', grid_manager: '网格员', department_staff: '部门人员', mediator: '调解员', screen: '大屏'
};

/** The signed-in user, or an ApiError (401 not signed in, 403 role not allowed). */
export function requireUser(event: { locals: App.Locals }, ...roles: Role[]): SessionUser {
	const user = event.locals.user;
	if (!user) throw new ApiError(401, 'unauthenticated', '请先登录');
	if (roles.length && !roles.includes(user.role)) {
		throw new ApiError(403, 'forbidden', `当前账号（${ROLE_LABEL[user.role]}）无权执行此操作，需要：${roles.map((r) => ROLE_LABEL[r]).join('、')}`);
	}
	return user;
}
