// One definition per status set (issue 14/15): hazard and request status lists are spelled once,
// in src/lib/domain (hazard.ts, workflow.ts) and turned into SQL once (server/db/fragments.ts).
// This test fails when another file spells a hazard status set or the done-request list by hand.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAZARD_CLOSED, HAZARD_NOT_CLOSED, HAZARD_RECTIFIED, HAZARD_STATUSES, HAZARD_UNRECTIFIED } from '../../src/lib/domain/hazard';

const SRC = path.resolve(__dirname, '../../src');
function files(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const p = path.join(dir, name);
		return statSync(p).isDirectory() ? files(p) : /\.(ts|svelte)$/.test(name) ? [p] : [];
	});
}
/** where the words themselves are defined: the sets, their labels, the glossary, the import aliases */
const DEFINERS = ['lib/domain/hazard.ts', 'lib/domain/hazardflow.ts', 'lib/domain/workflow.ts', 'lib/domain/deadlines.ts', 'lib/domain/labels.ts', 'lib/domain/glossary.ts', 'lib/domain/import/fields.ts', 'lib/server/db/fragments.ts'];

describe('status sets have one definition', () => {
	const sources = files(SRC).filter((f) => !DEFINERS.some((d) => f.endsWith(d))).map((f) => [path.relative(SRC, f), readFileSync(f, 'utf8')] as const);

	it('the hazard sets partition the statuses as domain.md says', () => {
		expect([...HAZARD_UNRECTIFIED, ...HAZARD_RECTIFIED]).toEqual([...HAZARD_STATUSES]);
		expect(HAZARD_NOT_CLOSED).not.toContain(HAZARD_CLOSED);
		expect(HAZARD_NOT_CLOSED.length + 1).toBe(HAZARD_STATUSES.length);
	});

	it('no file spells a hazard status by hand', () => {
		const spelled = sources.filter(([, text]) => /'(rectifying|rectified|verified)'/.test(text)).map(([f]) => f);
		expect(spelled).toEqual([]);
	});

	it('no file spells the done-request list by hand', () => {
		const spelled = sources.filter(([, text]) => /'resolved',\s*'evaluated',\s*'closed'/.test(text)).map(([f]) => f);
		expect(spelled).toEqual([]);
	});

	it('no file compares a request or hazard deadline by hand (超期 is overdueSql / hazardOverdueSql)', () => {
		const spelled = sources.filter(([, text]) => /_deadline\s*<\s*(now\(\)|\$\{now\b)/.test(text) || /'dispatched',\s*'reopened'/.test(text)).map(([f]) => f);
		expect(spelled).toEqual([]);
	});
});
