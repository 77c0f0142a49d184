import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GLOSSARY, ITINERARY_STORED, RESEARCH_TOPIC_STORED, TERM } from '../../src/lib/domain/glossary';

describe('glossary', () => {
	it('gives each Chinese term one identifier and each identifier one term', () => {
		expect(new Set(GLOSSARY.map((t) => t.zh)).size).toBe(GLOSSARY.length);
		expect(new Set(GLOSSARY.map((t) => t.id)).size).toBe(GLOSSARY.length);
		expect(TERM['吹哨']).toBe('whistle');
		expect(TERM['报到']).toBe('check_in');
		expect(TERM['包联']).toBe('pairing');
		expect(TERM['解剖麻雀']).toBe('research');
		expect(TERM['调研课题']).toBe('research_topic');
		expect(TERM['走访路线/日程']).toBe('itinerary');
	});

	it('is written out in docs/glossary.md, term by term', () => {
		const doc = readFileSync(new URL('../../docs/glossary.md', import.meta.url), 'utf8');
		for (const t of GLOSSARY) expect(doc, t.zh).toContain(`| ${t.zh} | \`${t.id}\` |`);
	});

	it('writes each row of docs/glossary.md whole: definition, stored as, old spellings accepted', () => {
		const doc = readFileSync(new URL('../../docs/glossary.md', import.meta.url), 'utf8');
		for (const t of GLOSSARY) {
			const legacy = (t.legacy ?? []).map((l) => `\`${l}\``).join(', ');
			expect(doc, t.zh).toContain(`| ${t.zh} | \`${t.id}\` | ${t.definition} | ${t.data ?? ''} | ${legacy} |`);
		}
	});

	it('names every stored word of research topics and itineraries in "stored as"', () => {
		const stored = (id: string) => GLOSSARY.filter((t) => t.id.startsWith(id)).map((t) => t.data ?? '').join(' ');
		for (const word of Object.values(RESEARCH_TOPIC_STORED)) expect(stored('research'), word).toContain(word);
		expect(stored('itinerary')).toContain(`visits.${ITINERARY_STORED.column}`);
	});
});
