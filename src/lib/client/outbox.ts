// The outbox (待发送): reports and door-knocks made while the network is down are kept in IndexedDB,
// photos included, and sent when it returns. Each item carries the idempotency key it was made with
// (form field `key` and header Idempotency-Key), so however often it is sent — a reply lost on the
// way, two tabs syncing — the server records it once (src/lib/server/requests/idempotency.ts).
//
//   submitOrQueue(submission) → 'sent' (the server's answer) | 'queued' (offline, kept) | 'refused'
//     a form action:  { kind: 'report', format: 'action', url: '/requests/new', ...formParts(form), idempotencyKey }
//                     (src/lib/client/offlineForm.ts does this for a whole form)
//     an API write:   { kind: 'door_knock', format: 'json', url: '/api/door-knocks', fields: [],
//                       json: { householdId, note, …, key }, idempotencyKey: key }
//   syncOutbox()              → sends what is due; started by startOutboxSync() on load, on the
//                               `online` event and every SYNC_EVERY_MS
//
// What the server answers decides an item's fate: 2xx (or a form action's redirect/success) removes
// it; a 4xx refusal keeps it, marked refused, with the server's Chinese message, for the user to
// read, fix elsewhere or delete; 5xx, 429, a network error or a lapsed session keep it for a later
// try with backoff. Items belong to the user who made them: another user signed in on the same
// phone neither sends nor sees them.
import { deserialize } from '$app/forms';
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export type OutboxKind = 'report' | 'door_knock' | 'care_visit' | 'patrol' | 'campaign_check';

export interface OutboxFile {
	name: string;
	blob: Blob;
	filename: string;
}

export interface OutboxItem {
	id: string;
	kind: OutboxKind;
	/** What the list shows: the report's title or description, the household's address. */
	label: string;
	/** Who made it (the shell's user name); only that user's session sends it. */
	owner: string;
	url: string;
	method: 'POST';
	/** 'action': a SvelteKit form action (multipart, answered in its JSON protocol); 'json': an /api endpoint. */
	format: 'action' | 'json';
	fields: [string, string][];
	/** 'json' only: the body as sent (structured: tags, lists); else the fields make an object. */
	json?: unknown;
	files: OutboxFile[];
	idempotencyKey: string;
	createdAt: number;
	attempts: number;
	/** Not before this time (ms): the backoff after a failed try. */
	nextAttemptAt: number;
	lastError: string | null;
	/** The server said no (4xx): not sent again by itself. */
	refused: boolean;
}

export interface Submission {
	kind: OutboxKind;
	label: string;
	url: string;
	format: 'action' | 'json';
	fields: [string, string][];
	/** 'json' only: a structured body (it should carry `key` too); without it the fields make the object. */
	json?: unknown;
	files?: OutboxFile[];
	idempotencyKey: string;
}

export type SubmitResult =
	| { status: 'sent'; location: string | null; data: unknown }
	| { status: 'queued'; item: OutboxItem }
	| { status: 'refused'; message: string; field: string | null; data: unknown };

interface OutboxDb extends DBSchema {
	items: { key: string; value: OutboxItem; indexes: { owner: string } };
}

const DB_NAME = 'grid-outbox';
export const CHANGED = 'outbox-changed';
export const SYNC_EVERY_MS = 30_000;
const BACKOFF_MS = [5_000, 15_000, 60_000, 300_000];

let dbPromise: Promise<IDBPDatabase<OutboxDb>> | null = null;
const db = () =>
	(dbPromise ??= openDB<OutboxDb>(DB_NAME, 1, {
		upgrade(d) {
			d.createObjectStore('items', { keyPath: 'id' }).createIndex('owner', 'owner');
		}
	}));

/** Whose outbox this page uses: set once by the shell (OutboxBadge) from the signed-in user. */
let currentOwner = '';
export const setOutboxOwner = (owner: string) => (currentOwner = owner);

const changed = () => dispatchEvent(new CustomEvent(CHANGED));

export const outboxSupported = () => typeof indexedDB !== 'undefined';

export async function listOutbox(owner = currentOwner): Promise<OutboxItem[]> {
	if (!outboxSupported()) return [];
	const items = await (await db()).getAllFromIndex('items', 'owner', owner);
	return items.sort((a, b) => a.createdAt - b.createdAt);
}

export async function deleteOutboxItem(id: string): Promise<void> {
	await (await db()).delete('items', id);
	changed();
}

/** A fresh idempotency key (crypto.randomUUID needs a secure context; the fallback is as random). */
export function newIdempotencyKey(): string {
	if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
	const b = crypto.getRandomValues(new Uint8Array(16));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A form's fields and files as a Submission's parts (files with no content — an empty file input — left out). */
export function formParts(form: HTMLFormElement | FormData): { fields: [string, string][]; files: OutboxFile[] } {
	const fields: [string, string][] = [];
	const files: OutboxFile[] = [];
	for (const [name, value] of form instanceof FormData ? form : new FormData(form)) {
		if (typeof value === 'string') fields.push([name, value]);
		else if (value.size > 0) files.push({ name, blob: value, filename: value.name });
	}
	return { fields, files };
}

type Outcome =
	| { ok: true; location: string | null; data: unknown }
	| { ok: false; refused: true; message: string; field: string | null; data: unknown }
	| { ok: false; refused: false; message: string };

const retry = (message: string): Outcome => ({ ok: false, refused: false, message });

/** One try at sending; never throws. */
async function send(s: Submission): Promise<Outcome> {
	let response: Response;
	try {
		if (s.format === 'action') {
			const body = new FormData();
			for (const [k, v] of s.fields) body.append(k, v);
			for (const f of s.files ?? []) body.append(f.name, f.blob, f.filename);
			response = await fetch(s.url, {
				method: 'POST',
				body,
				redirect: 'manual',
				headers: { accept: 'application/json', 'x-sveltekit-action': 'true', 'idempotency-key': s.idempotencyKey }
			});
		} else {
			const body = s.json ?? Object.fromEntries(s.fields);
			response = await fetch(s.url, {
				method: 'POST',
				body: JSON.stringify(body),
				redirect: 'manual',
				headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': s.idempotencyKey }
			});
		}
	} catch {
		return retry('网络不可用，稍后自动重试');
	}
	// the sign-in gate redirects a page request whose session ended: keep the item for after sign-in
	if (response.type === 'opaqueredirect' || response.status === 401) return retry('登录已过期，请重新登录后自动发送');
	const text = await response.text().catch(() => '');
	if (response.status === 429 || response.status >= 500) return retry(serverMessage(text) ?? `服务器暂时无法处理（${response.status}），稍后自动重试`);
	if (s.format === 'json') {
		if (response.ok) return { ok: true, location: null, data: parseJson(text) };
		return refusal(response.status, parseJson(text));
	}
	// a form action's answer (SvelteKit's JSON protocol: redirect | success | failure | error)
	let result: ReturnType<typeof deserialize>;
	try {
		result = deserialize(text);
	} catch {
		return retry(`服务器的回答无法识别（${response.status}），稍后自动重试`);
	}
	if (result.type === 'redirect') {
		if (/^\/login(\?|$)/.test(result.location)) return retry('登录已过期，请重新登录后自动发送');
		return { ok: true, location: result.location, data: null };
	}
	if (result.type === 'success') return { ok: true, location: null, data: result.data ?? null };
	if (result.type === 'failure') {
		if (result.status === 429 || result.status >= 500) return retry(String((result.data as { message?: unknown })?.message ?? '稍后自动重试'));
		return refusal(result.status, result.data);
	}
	const status = result.status ?? response.status;
	const message = (result.error as { message?: string } | undefined)?.message ?? `错误 ${status}`;
	return status >= 400 && status < 500 ? { ok: false, refused: true, message, field: null, data: null } : retry(message);
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return null;
	}
}

/** The message of the API's error shape ({error: {message}}) or a form failure ({message}). */
function serverMessage(text: string): string | null {
	const j = parseJson(text) as { error?: { message?: string }; message?: string } | null;
	return j?.error?.message ?? j?.message ?? null;
}

function refusal(status: number, data: unknown): Outcome {
	const d = (data ?? {}) as { error?: { message?: string; field?: string }; message?: string; field?: string | null };
	const message = d.error?.message ?? d.message ?? `服务器拒绝了这次提交（${status}）`;
	return { ok: false, refused: true, message, field: d.error?.field ?? d.field ?? null, data };
}

const offline = () => typeof navigator !== 'undefined' && navigator.onLine === false;

async function enqueue(s: Submission, lastError: string): Promise<OutboxItem> {
	const now = Date.now();
	const item: OutboxItem = {
		id: newIdempotencyKey(),
		kind: s.kind,
		label: s.label,
		owner: currentOwner,
		url: s.url,
		method: 'POST',
		format: s.format,
		fields: s.fields,
		...(s.json === undefined ? {} : { json: s.json }),
		files: s.files ?? [],
		idempotencyKey: s.idempotencyKey,
		createdAt: now,
		attempts: 0,
		nextAttemptAt: now,
		lastError,
		refused: false
	};
	await (await db()).put('items', item);
	changed();
	return item;
}

/**
 * Sends `s` now, or, when the network is down (offline, or the request itself failed), keeps it in
 * the outbox to be sent later. A refusal (4xx) comes back to the form that made it, to be shown and
 * fixed there; it is not queued.
 */
export async function submitOrQueue(s: Submission): Promise<SubmitResult> {
	if (outboxSupported() && offline()) return { status: 'queued', item: await enqueue(s, '离线时保存，联网后自动发送') };
	const out = await send(s);
	if (out.ok) return { status: 'sent', location: out.location, data: out.data };
	if (out.refused) return { status: 'refused', message: out.message, field: out.field, data: out.data };
	if (!outboxSupported()) return { status: 'refused', message: out.message, field: null, data: null };
	return { status: 'queued', item: await enqueue(s, out.message) };
}

export interface SyncReport {
	sent: number;
	refused: number;
	failed: number;
	left: number;
}

let syncing: Promise<SyncReport> | null = null;

/** Sends every item of this user that is due (or all not refused, with `force`), one at a time, oldest first. */
export function syncOutbox(force = false): Promise<SyncReport> {
	// one sync per page at a time; across tabs the Web Locks API, where there is one (the keys make
	// a second send harmless anyway)
	return (syncing ??= (async () => {
		try {
			const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
			return locks ? await locks.request('grid-outbox-sync', () => syncOnce(force)) : await syncOnce(force);
		} finally {
			syncing = null;
		}
	})());
}

async function syncOnce(force: boolean): Promise<SyncReport> {
	const report: SyncReport = { sent: 0, refused: 0, failed: 0, left: 0 };
	if (!outboxSupported() || !currentOwner) return report;
	const d = await db();
	for (const item of await listOutbox()) {
		if (item.refused || (!force && item.nextAttemptAt > Date.now()) || offline()) {
			report.left++;
			continue;
		}
		const out = await send(item);
		if (out.ok) {
			await d.delete('items', item.id);
			report.sent++;
		} else {
			const attempts = item.attempts + 1;
			const wait = BACKOFF_MS[Math.min(attempts - 1, BACKOFF_MS.length - 1)];
			await d.put('items', { ...item, attempts, lastError: out.message, refused: out.refused, nextAttemptAt: Date.now() + wait });
			if (out.refused) report.refused++;
			else report.failed++;
			report.left++;
		}
		changed();
	}
	return report;
}

/** Marks a refused item for another try (after the cause was fixed elsewhere) and sends it now. */
export async function retryOutboxItem(id: string): Promise<SyncReport> {
	const d = await db();
	const item = await d.get('items', id);
	if (item) await d.put('items', { ...item, refused: false, nextAttemptAt: 0 });
	return syncOutbox(true);
}

let started = false;

/** Sync on load, when the network returns, and every SYNC_EVERY_MS; once per page. */
export function startOutboxSync(): void {
	if (started || !outboxSupported()) return;
	started = true;
	const run = () => void syncOutbox(true).catch((e) => console.warn('[outbox] sync failed', e));
	addEventListener('online', run);
	setInterval(() => void syncOutbox().catch(() => {}), SYNC_EVERY_MS);
	run();
}
