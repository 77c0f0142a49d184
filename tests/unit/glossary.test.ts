import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GLOSSARY, TERM } from '../../src/lib/domain/glossary';

describe('glossary', () => {
	it('gives each Chinese term one identifier and each identifier one term', () => {
		expect(new Set(GLOSSARY.map((t) => t.zh)).size).toBe(GLOSSARY.length);
		expect(new Set(GLOSSARY.map((t) => t.id)).size).toBe(GLOSSARY.length);
		expect(TERM['吹哨']).toBe('whistle');
		expect(TERM['报到']).toBe('check_in');
		expect(TERM['包联']).toBe('pairing');
	});

	it('is written out in docs/glossary.md, term by term', () => {
		const doc = readFileSync(new URL('../../docs/glossary.md', import.meta.url), 'utf8');
		for (const t of GLOSSARY) expect(doc, t.zh).toContain(`| ${t.zh} | \`${t.id}\` |`);
	});
});
