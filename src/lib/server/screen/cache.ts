// The screen's aggregates are shared by every wall display: each is computed at most once per
// `ttlMs` (and once at a time), whatever the number of screens. On a deployment with read replicas
// these are the queries to send there.
import type { Queryable } from '../db/client';
import { TtlCache } from '../cache';
import { scopeOf } from '../access/userdb';
import { gridDensity, gridHotspots, screenSummary, type ScreenSummary } from './summary';

const summaries = new TtlCache<ScreenSummary>(10_000, 64, 'screen_summary');
const densities = new TtlCache<Awaited<ReturnType<typeof gridDensity>>>(15_000, 8, 'screen_density');

export const cachedSummary = (db: Queryable, area: string | null) => summaries.get(`${scopeOf(db)}:${area ?? ''}`, () => screenSummary(db, area));
export const cachedDensity = (db: Queryable) => densities.get(scopeOf(db), () => gridDensity(db));
// Gi* over 90 days moves slowly and costs a second or two on PGlite: five minutes is fresh enough
const hotspots = new TtlCache<string[]>(300_000, 8, 'screen_hotspots');
export const cachedHotspots = (db: Queryable) => hotspots.get(scopeOf(db), () => gridHotspots(db));
