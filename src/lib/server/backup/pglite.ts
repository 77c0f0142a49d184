// The embedded database's snapshot. PGlite is one connection in this process: a second process
// cannot open its folder while the server has it, and a plain copy of the folder taken while it
// serves mixes pages from before and after the writes made during the copy. So the copy is made by
// the process that holds the database, inside one PGlite transaction: PGlite runs one transaction
// at a time, so every other query and transaction waits (none is refused) while this one runs
// CHECKPOINT — every committed change written to the data files, nothing in flight — and copies
// the folder with the file system's own copy. The copy is then exactly the database as of that
// moment: each transaction either committed before it (and is in it) or starts after it.
//
// Measured on the demo district (578 MB): the pause is the copy, ~2–5 s; the event loop stays free
// meanwhile (pages without the database still answer). PGlite's dumpDataDir() was the other
// candidate: it builds the whole tar in memory (2.4 GB resident for the demo) and reads the files
// synchronously (the event loop blocked ~17 s), without a checkpoint or any lock of its own.
import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Db, Queryable } from '../db/client';

export interface PgliteSnapshot {
	/** how long the database was paused (ms) */
	pausedMs: number;
}

/**
 * Copies `<dataDir>/pglite` to `<stage>/pglite` as of one instant. `atSnapshot` runs inside the
 * pause, on the same transaction (the restore test reads the tables' checksums there).
 */
export async function snapshotPglite(db: Db, dataDir: string, stage: string, atSnapshot?: (tx: Queryable) => Promise<void>): Promise<PgliteSnapshot> {
	if (db.kind !== 'pglite') throw new Error('snapshotPglite: not an embedded database');
	const target = path.join(stage, 'pglite');
	await rm(target, { recursive: true, force: true });
	let pausedMs = 0;
	await db.transaction(async (tx) => {
		const started = Date.now();
		await tx.query('CHECKPOINT');
		await cp(path.join(dataDir, 'pglite'), target, { recursive: true, errorOnExist: true });
		await atSnapshot?.(tx);
		pausedMs = Date.now() - started;
	});
	return { pausedMs };
}
