// Test hooks: the one door through which the browser tests look inside a page (the MapLibre map,
// the map controller, "drawn" flags, the screen's soak injector).
//
// A hook is written to `window[name]` only when the page was opened with the flag
//     window.__GRID_TEST_HOOKS__ === true
// set before any of the app's scripts run. The browser tests set it per browser context with
//     context.addInitScript(() => { window.__GRID_TEST_HOOKS__ = true; })
// (tests/support/browser.mjs: enableTestHooks, withTestHooks). It is a property of the browser,
// not of the server: the app under test is started exactly as users start it, and a user's page
// never carries these objects.

/** The window property the tests set before the page loads. */
export const TEST_HOOKS_FLAG = '__GRID_TEST_HOOKS__';

/** The names the tests read; one list, so a new hook is a visible decision. */
export type TestHook =
	| '__gridmap'
	| '__gridmapReady'
	| '__screenMap'
	| '__screen'
	| '__loopMap'
	| '__importMapReady'
	| '__hotspotSites'
	| '__hotspotFill'
	| '__routeMapReady'
	| '__outbox'
	| '__charts';

/** Whether this page was opened by the browser tests. */
export function testHooksEnabled(): boolean {
	return typeof window !== 'undefined' && (window as unknown as Record<string, unknown>)[TEST_HOOKS_FLAG] === true;
}

/** Writes `value` to `window[name]` for the tests; does nothing on a user's page or during SSR. */
export function exposeForTests(name: TestHook, value: unknown): void {
	if (testHooksEnabled()) (window as unknown as Record<string, unknown>)[name] = value;
}
