// npm run bench [-- --households N] : prints the project's performance figures. Figures, not
// pass/fail: timed assertions do not belong in tests.
import { parseArgs } from 'node:util';
import { benchHotspots } from './hotspots.bench';
import { benchScreen } from './screen.bench';
import { benchPlanner } from './planner.bench';
import { benchSeed } from './seed.bench';
import { benchTiles } from './tiles.bench';
import { benchExport } from './export.bench';

const { values } = parseArgs({ options: { households: { type: 'string', default: '200000' }, only: { type: 'string' } } });
const households = Number(values.households);
if (!Number.isInteger(households) || households < 100) throw new Error(`--households must be a whole number ≥ 100, got ${values.households}`);

const print = (line: string) => console.log(line);
const sections: [string, () => Promise<void>][] = [
	['seed', () => benchSeed(households, print)],
	['tiles', () => benchTiles(households, print)],
	['hotspots', () => benchHotspots(households, print)],
	['planner', () => benchPlanner(print)],
	['screen', () => benchScreen(print)],
	['export', () => benchExport(households, print)]
];
for (const [name, run] of sections) {
	if (values.only && values.only !== name) continue;
	console.log(`\n## ${name}`);
	await run();
}
