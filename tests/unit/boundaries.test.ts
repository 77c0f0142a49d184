// The boundary rules of eslint.config.js fail on code that crosses a floor: each case lints a
// small fixture through ESLint's Node API under a path in the guarded group and expects the error.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** The no-restricted-imports errors ESLint reports for `code` placed at `filePath`. */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, { filePath, warnIgnored: true });
	return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' && m.severity === 2).map((m) => m.message);
}

describe('boundary: src/lib/domain is pure', () => {
	const file = 'src/lib/domain/fixture.ts';
	it.each([
		['framework', "import { error } from '@sveltejs/kit';", /no framework/],
		['framework', "import { mount } from 'svelte';", /no framework/],
		['framework', "import { writable } from 'svelte/store';", /no framework/],
		['framework', "import { goto } from '$app/navigation';", /no framework/],
		['server', "import { sql } from '$lib/server/db/client';", /server-only/],
		['server', "import { sql } from '../server/db/client';", /server-only/],
		['map', "import maplibregl from 'maplibre-gl';", /no map/],
		['map', "import { Deck } from '@deck.gl/core';", /no map/],
		['map', "import { boot } from '$lib/map/boot';", /no map/],
		['map', "import { boot } from '../map/boot';", /no map/],
		['database', "import postgres from 'postgres';", /no database/],
		['database', "import { PGlite } from '@electric-sql/pglite';", /no database/]
	])('refuses a %s import: %s', async (_floor, line, message) => {
		const errors = await boundaryErrors(file, `${line}\nexport const used = [${line.match(/import \{? ?(\w+)/)![1]}];\n`);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatch(message);
	});

	it('accepts pure imports: another domain module, a pure library', async () => {
		const code = "import { Random } from './random';\nimport { Delaunay } from 'd3-delaunay';\nexport const used = [Random, Delaunay];\n";
		expect(await boundaryErrors(file, code)).toEqual([]);
	});

	it('holds in nested domain folders, for re-exports and for type-only imports', async () => {
		expect(await boundaryErrors('src/lib/domain/import/fixture.ts', "export { sql } from '$lib/server/db/client';\n")).toHaveLength(1);
		expect(await boundaryErrors(file, "import type { Db } from '$lib/server/db/client';\nexport type D = Db;\n")).toHaveLength(1);
	});
});

describe('boundary: src/lib/server is never imported by client code', () => {
	const server = "import { sql } from '$lib/server/db/client';\nexport const used = sql;\n";
	it.each([
		'src/lib/components/Fixture.svelte',
		'src/routes/fixture/+page.svelte',
		'src/lib/components/fixture.svelte.ts',
		'src/lib/map/fixture.ts',
		'src/lib/components/fixture.ts',
		'src/routes/fixture/+page.ts',
		'src/routes/fixture/+layout.ts',
		'src/routes/fixture/feed.ts',
		'src/routes/fixture/Panel.svelte'
	])('refuses it in %s', async (file) => {
		const code = file.endsWith('.svelte') ? `<script lang="ts">\n${server}</script>\n<p>{used}</p>\n` : server;
		const errors = await boundaryErrors(file, code);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatch(/server-only/);
	});

	it('refuses a relative path into the server floor', async () => {
		expect(await boundaryErrors('src/lib/map/fixture.ts', "import { sql } from '../server/db/client';\nexport const used = sql;\n")).toHaveLength(1);
	});

	it('allows it where the server runs: +page.server.ts, +layout.server.ts, +server.ts, *.server.ts beside a page, hooks.server.ts, src/lib/server', async () => {
		for (const file of ['src/routes/fixture/+page.server.ts', 'src/routes/fixture/+layout.server.ts', 'src/routes/fixture/+server.ts', 'src/routes/fixture/rows.server.ts', 'src/hooks.server.ts', 'src/lib/server/fixture.ts']) {
			expect(await boundaryErrors(file, server), file).toEqual([]);
		}
	});

	it('lets client code use the domain and the map', async () => {
		const code = "import { maskPhone } from '$lib/domain/mask';\nimport maplibregl from 'maplibre-gl';\nexport const used = [maskPhone, maplibregl];\n";
		expect(await boundaryErrors('src/lib/map/fixture.ts', code)).toEqual([]);
	});
});
