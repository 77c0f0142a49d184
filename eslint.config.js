// ESLint (flat config), run by `npm test` as the "lint" suite: the recommended JavaScript,
// TypeScript and Svelte rules, and the boundary rules that keep the floors of the house apart.
//
//   src/lib/domain/**  pure: no framework, server, map or database code (it runs in the browser,
//                      on the server, in the seed CLI and in unit tests alike)
//   client code        never imports src/lib/server (.svelte files, src/lib/map, src/lib/components,
//                      universal +page.ts / +layout.ts load functions, and the plain modules that sit
//                      beside a page in src/routes; a server-only module there is named *.server.ts)
//
// The boundaries are checked on import specifiers, aliases ($lib/…) and relative paths alike.
// tests/unit/boundaries.test.ts proves each one fails on a violating fixture.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Import patterns (regular expressions over the specifier) of each floor a boundary closes. */
export const FORBIDDEN = {
	framework: { regex: '^(@sveltejs/|svelte($|[/-])|\\$app/|\\$env/)', message: 'src/lib/domain is pure: no framework (SvelteKit, Svelte, $app, $env) imports.' },
	server: { regex: '(^\\$lib/server($|/))|((^|/)server($|/))', message: 'src/lib/server is server-only: not from src/lib/domain or client code.' },
	map: { regex: '^(maplibre-gl($|/)|@deck\\.gl/|\\$lib/map($|/))|((^|/)map($|/))', message: 'src/lib/domain is pure: no map (MapLibre, deck.gl, $lib/map) imports.' },
	database: { regex: '^(postgres($|/)|@electric-sql/)', message: 'src/lib/domain is pure: no database (postgres, PGlite) imports.' }
};

const restrict = (...floors) => ['error', { patterns: floors.map((floor) => FORBIDDEN[floor]) }];

/** Files that run in the browser. */
export const CLIENT_FILES = [
	'**/*.svelte',
	'**/*.svelte.ts',
	'**/*.svelte.js',
	'src/lib/map/**',
	'src/lib/components/**',
	'src/routes/**/*.ts',
	'src/routes/**/*.js'
];
/** Server files among CLIENT_FILES' routes: endpoints, server loads, and *.server.ts modules (SvelteKit's own rule). */
export const ROUTE_SERVER_FILES = ['src/routes/**/+server.ts', 'src/routes/**/+server.js', 'src/routes/**/*.server.ts', 'src/routes/**/*.server.js'];
export const DOMAIN_FILES = ['src/lib/domain/**'];

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', 'test-results/', 'data/', 'scratch/', 'static/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } }
	},
	{
		rules: {
			'@typescript-eslint/no-explicit-any': 'off',
			// TypeScript checks names (svelte-check); ESLint's no-undef does not know DOM/TS types such as RequestInit
			'no-undef': 'off',
			'@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }], // 1 (outside src/lib/server)
			// recommended rules the code base does not follow yet (findings left after issue 14, by count):
			// reported as warnings so they stay visible without failing `npm test`; raise each to
			// 'error' once its findings are fixed. The boundary rules below are errors.
			'svelte/no-navigation-without-resolve': 'warn', // 42: hrefs built without resolve()
			'svelte/require-each-key': 'warn', // 18
			'no-irregular-whitespace': 'warn', // 6: full-width spaces in Chinese text
			'@typescript-eslint/ban-ts-comment': 'warn', // 3: @ts-ignore on map library imports
			'@typescript-eslint/no-unused-expressions': 'warn', // 3
			'no-control-regex': 'warn', // 2: deliberate (control characters refused in input)
			'svelte/prefer-svelte-reactivity': 'warn', // 1
			'svelte/prefer-writable-derived': 'warn', // 1
			'no-useless-assignment': 'warn', // 1
			'preserve-caught-error': 'error', // 0 since issue 14's leftovers (connect.ts keeps the cause)
			'prefer-const': 'warn' // 173
		}
	},
	// server code has no findings left: every rule above is an error there, so none come back
	{
		files: ['src/lib/server/**'],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
			'no-irregular-whitespace': 'error',
			'@typescript-eslint/ban-ts-comment': 'error',
			'@typescript-eslint/no-unused-expressions': 'error',
			'no-control-regex': 'error', // the one deliberate NUL match (http/guard.ts) says so on its line
			'no-useless-assignment': 'error',
			'prefer-const': 'error'
		}
	},
	// ── boundaries (domain last: a file in both groups gets the stricter domain rule) ──
	{ files: CLIENT_FILES, ignores: ROUTE_SERVER_FILES, rules: { 'no-restricted-imports': restrict('server') } },
	{ files: DOMAIN_FILES, rules: { 'no-restricted-imports': restrict('framework', 'server', 'map', 'database') } }
);
