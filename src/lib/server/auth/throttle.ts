// Repeated sign-in failures on one account: each answer waits longer, then the account locks.
// (Per-address limits are access/limits.ts.)

/** After this many failures in a row each answer waits longer (250 ms doubling, at most 8 s)… */
export const SLOWDOWN_AFTER = 3;
/** …and after this many the account is locked for LOCK_MINUTES. */
export const LOCK_AFTER = 10;
export const LOCK_MINUTES = 15;

/** How long the answer to the n-th failure in a row waits. */
export const slowdownMs = (failures: number) => (failures < SLOWDOWN_AFTER ? 0 : Math.min(8000, 250 * 2 ** (failures - SLOWDOWN_AFTER)));

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The answer to an attempt on an account that was locked before it (answered at once). */
export const stillLocked = (retryAfterS: number) => ({
	ok: false as const, code: 'locked' as const, retryAfterS,
	message: `连续登录失败次数过多，账号已临时锁定，请 ${Math.ceil(retryAfterS / 60)} 分钟后再试或联系管理员`
});
