// The app's sections and who may use them: the one list the shell's navigation is built from.
// The roles mirror the guards of each page (pageUser / adminUser in src/lib/server/requests/pages.ts,
// pageUser(…, leaderOnly) in src/lib/server/visits/page.ts): a link is shown only when its page would
// not answer 403. The wall display's account (screen) is held to /screen by hooks.server.ts.

export type NavRole = 'admin' | 'leader' | 'grid_manager' | 'department_staff' | 'mediator' | 'screen';

export interface NavLink {
	href: string;
	label: string;
	/** who may open it; absent = every signed-in role but the wall display */
	roles?: readonly NavRole[];
}

const LEADERS = ['leader', 'admin'] as const;
const ADMIN = ['admin'] as const;

export const SECTIONS: readonly NavLink[] = [
	{ href: '/', label: '地图' },
	{ href: '/workspace', label: '工作台' },
	{ href: '/requests', label: '诉求清单' },
	{ href: '/requests/new', label: '上报诉求' },
	{ href: '/kpi', label: '考核指标' },
	{ href: '/workers', label: '网格员排名', roles: LEADERS },
	{ href: '/workers/me', label: '我的工作', roles: ['grid_manager'] },
	{ href: '/patrol', label: '巡查', roles: ['grid_manager'] },
	{ href: '/campaigns', label: '专项行动', roles: LEADERS },
	{ href: '/campaigns/check', label: '专项排查', roles: ['grid_manager'] },
	{ href: '/hotspots', label: '热点与选点' },
	{ href: '/research', label: '调研课题', roles: LEADERS },
	{ href: '/visits', label: '走访' },
	{ href: '/pairings', label: '包联' },
	{ href: '/petitions', label: '信访', roles: ['leader', 'mediator', 'admin'] },
	{ href: '/screen', label: '大屏' }
];

export const ADMIN_SECTIONS: readonly NavLink[] = [
	{ href: '/admin/users', label: '账号管理', roles: ADMIN },
	{ href: '/admin/import', label: '数据导入', roles: ADMIN },
	{ href: '/admin/deadlines', label: '时限设置', roles: ADMIN },
	{ href: '/admin/kpi-targets', label: '考核目标', roles: ADMIN },
	{ href: '/admin/care', label: '关爱走访周期', roles: ADMIN },
	{ href: '/admin/audit', label: '审计日志', roles: ADMIN },
	{ href: '/admin/system', label: '系统状态', roles: ADMIN }
];

export function mayOpen(link: NavLink, role: NavRole | null | undefined): boolean {
	if (!role) return false;
	if (role === 'screen') return link.href === '/screen';
	return !link.roles || link.roles.includes(role);
}

/** The sections a role may use, in menu order: the main list and the administration list. */
export function navFor(role: NavRole | null | undefined): { main: NavLink[]; admin: NavLink[] } {
	return { main: SECTIONS.filter((l) => mayOpen(l, role)), admin: ADMIN_SECTIONS.filter((l) => mayOpen(l, role)) };
}

/**
 * A phone's bottom bar: the few sections a role uses most, in this order (at most PHONE_BAR_MAX;
 * the rest are under 更多). The field roles (网格员, 部门) report and work their queue; leaders read.
 */
const PHONE_BAR: Partial<Record<NavRole, readonly string[]>> = {
	leader: ['/', '/kpi', '/hotspots', '/workspace'],
	admin: ['/', '/workspace', '/requests', '/kpi']
};
const PHONE_BAR_DEFAULT = ['/', '/workspace', '/requests', '/requests/new'] as const;
export const PHONE_BAR_MAX = 4;

/** The sections on a phone's bottom bar for a role: those of its bar list it may open, in that order. */
export function phoneBarFor(role: NavRole | null | undefined): NavLink[] {
	const { main } = navFor(role);
	const wanted = (role && PHONE_BAR[role]) || PHONE_BAR_DEFAULT;
	return wanted.map((h) => main.find((l) => l.href === h)).filter((l): l is NavLink => !!l).slice(0, PHONE_BAR_MAX);
}

/** The menu entry a path belongs to: the longest href that is the path or a parent of it. */
export function currentSection(path: string, links: readonly NavLink[]): string | null {
	let best: string | null = null;
	for (const { href } of links) {
		const hit = href === '/' ? path === '/' : path === href || path.startsWith(href + '/');
		if (hit && (!best || href.length > best.length)) best = href;
	}
	return best;
}
