// npm run seed -- [--households N] [--requests N] [--hazards N] [--seed N] [--force]
// Seeds the configured database (DATABASE_URL, else ./data/pglite). --force reseeds a seeded one.
import { parseArgs } from 'node:util';
import { openConfigured } from '../../src/lib/server/db/client';
import { migrate } from '../../src/lib/server/db/migrate';
import { isSeeded, seedDemoDistrict, seedOptionsFromEnv } from './ensure';

const { values } = parseArgs({
	options: {
		households: { type: 'string' }, requests: { type: 'string' }, hazards: { type: 'string' },
		seed: { type: 'string' }, force: { type: 'boolean', default: false }
	}
});
const options = seedOptionsFromEnv({
	SEED: values.seed, SEED_HOUSEHOLDS: values.households, SEED_REQUESTS: values.requests, SEED_HAZARDS: values.hazards
});
const started = Date.now();
// owner's work (COPY, TRUNCATE): DATABASE_OWNER_URL when the app serves as another role (README)
const db = await openConfigured({ ...process.env, DATABASE_URL: process.env.DATABASE_OWNER_URL || process.env.DATABASE_URL });
await migrate(db);
if ((await isSeeded(db)) && !values.force) {
	console.log('already seeded (use --force to replace the demo district)');
} else {
	const result = await seedDemoDistrict(db, options, (p) => console.log(`[seed] ${p.done}/${p.total} ${p.message}`));
	console.log(`[seed] ${db.kind}: generated in ${result.generatedMs} ms, total ${Date.now() - started} ms`);
	console.table(result.counts);
}
await db.close();
