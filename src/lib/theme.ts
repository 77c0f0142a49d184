// Light/dark theme for every page. The choice is kept in a cookie (so the server renders the right
// theme, no flash: the CSP allows no inline script to read localStorage first) and mirrored to
// localStorage 'map-theme', the key the map page has always used. The root layout provides it as
// context; the map reads it to restyle its base map.
import { getContext, setContext } from 'svelte';

export type ThemeName = 'light' | 'dark';
export const THEME_COOKIE = 'theme';
const KEY = Symbol('theme');

export interface ThemeState {
	readonly value: ThemeName;
	set(t: ThemeName): void;
}

export function parseTheme(raw: string | null | undefined): ThemeName {
	return raw === 'dark' ? 'dark' : 'light';
}

export function provideTheme(state: ThemeState): void {
	setContext(KEY, state);
}

/** The page's theme, or a fixed light theme outside the layout (component tests). */
export function useTheme(): ThemeState {
	return getContext<ThemeState | undefined>(KEY) ?? { value: 'light', set() {} };
}

export function rememberTheme(t: ThemeName): void {
	document.cookie = `${THEME_COOKIE}=${t}; path=/; max-age=31536000; samesite=lax`;
	try {
		localStorage.setItem('map-theme', t);
	} catch {
		/* private mode: the cookie is enough */
	}
}
