// The field report (/requests/new) outside its page: the draft kept over a reload, the FormData
// the page's action takes, and posting it as the page does. The offline outbox replays a report
// with buildReportFormData + postReport: the same fields, the same idempotency `key`, so a report
// sent twice is saved once. Browser code only.
import { deserialize } from '$app/forms';
import { PREFILL_PARAMS } from '../domain/requestinput';

/** The report form's fields a draft keeps (everything but the photos and the idempotency key). */
export const DRAFT_FIELDS = [
	'kind', 'categoryCode', 'priority', 'title', 'description', 'address', 'reporterName', 'lon', 'lat',
	'householdId', 'channel', 'leaderId', 'petitioners', 'mediatorId', 'parties'
] as const;
export type DraftField = (typeof DRAFT_FIELDS)[number];
export type DraftValues = Partial<Record<DraftField, string>>;

interface StoredDraft { search: string; values: DraftValues; savedAt: number }

/**
 * One draft per user and per prefill: a report opened from a door-knock (?householdId=…) keeps its
 * own draft, and a plain /requests/new does not inherit it.
 */
const draftKey = (userId: number) => `gridmap:report-draft:${userId}`;
const prefillKey = (search: string) => new URLSearchParams([...new URLSearchParams(search)].filter(([k]) => (PREFILL_PARAMS as readonly string[]).includes(k))).toString();

export function loadDraft(userId: number, search: string): DraftValues | null {
	try {
		const d = JSON.parse(localStorage.getItem(draftKey(userId)) ?? 'null') as StoredDraft | null;
		return d && d.search === prefillKey(search) ? d.values : null;
	} catch {
		return null;
	}
}

export function saveDraft(userId: number, search: string, values: DraftValues): void {
	const kept = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ''));
	try {
		if (Object.keys(kept).length === 0) localStorage.removeItem(draftKey(userId));
		else localStorage.setItem(draftKey(userId), JSON.stringify({ search: prefillKey(search), values: kept, savedAt: Date.now() } satisfies StoredDraft));
	} catch {
		// storage full or refused (private mode): the form still works, only the draft is not kept
	}
}

export async function clearDraft(userId: number): Promise<void> {
	try {
		localStorage.removeItem(draftKey(userId));
	} catch {
		// see saveDraft
	}
	await savePhotos(userId, []);
}

// ── the draft's photos: IndexedDB keeps Blobs as they are (localStorage would need base64) ──
const DB_NAME = 'gridmap-report-draft';
const STORE = 'photos';

function openDb(): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const req = indexedDB.open(DB_NAME, 1);
		req.onupgradeneeded = () => req.result.createObjectStore(STORE);
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

async function withStore<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
	const db = await openDb();
	try {
		return await new Promise<T>((resolve, reject) => {
			const req = fn(db.transaction(STORE, mode).objectStore(STORE));
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error);
		});
	} finally {
		db.close();
	}
}

/** Keeps the draft's (already resized) photos; an empty list removes them. */
export async function savePhotos(userId: number, photos: readonly File[]): Promise<void> {
	if (typeof indexedDB === 'undefined') return;
	try {
		// stored as Blob + name: some engines do not keep a File's name through IndexedDB
		const rows = photos.map((f) => ({ name: f.name, type: f.type, blob: f as Blob }));
		await withStore<unknown>('readwrite', (s) => (rows.length ? s.put(rows, userId) : s.delete(userId)) as IDBRequest<unknown>);
	} catch {
		// no IndexedDB (private mode): the photos are simply not kept over a reload
	}
}

export async function loadPhotos(userId: number): Promise<File[]> {
	if (typeof indexedDB === 'undefined') return [];
	try {
		const rows = (await withStore<{ name: string; type: string; blob: Blob }[] | undefined>('readonly', (s) => s.get(userId))) ?? [];
		return rows.map((r) => new File([r.blob], r.name, { type: r.type }));
	} catch {
		return [];
	}
}

// ── submitting ──────────────────────────────────────────────────────────────────────────────
/** The form's fields (the hidden idempotency `key` included) with `photos` as the files to send. */
export function buildReportFormData(form: HTMLFormElement | FormData, photos: readonly Blob[]): FormData {
	const fd = form instanceof FormData ? form : new FormData(form);
	// the file inputs' own files are what the phone took before resizing: the resized ones go instead
	fd.delete('photos');
	fd.delete('photo');
	photos.forEach((p, i) => fd.append('photos', p, p instanceof File ? p.name : `photo-${i + 1}.jpg`));
	return fd;
}

/** What posting a report came to: saved (where the request is) or refused (why, and which field). */
export type ReportOutcome =
	| { ok: true; location: string }
	| { ok: false; status: number; message: string; field: string | null };

/** Posts a report's FormData to the page's action, as the page itself does (works for a replay). */
export async function postReport(fd: FormData, action = '/requests/new'): Promise<ReportOutcome> {
	const res = await fetch(action, { method: 'POST', body: fd, headers: { accept: 'application/json', 'x-sveltekit-action': 'true' } });
	const text = await res.text();
	let result;
	try {
		result = deserialize(text);
	} catch {
		return { ok: false, status: res.status, message: `上报失败：服务器答复异常（HTTP ${res.status}）`, field: null };
	}
	if (result.type === 'redirect') return { ok: true, location: result.location };
	if (result.type === 'failure') {
		const d = (result.data ?? {}) as { message?: string; field?: string | null };
		return { ok: false, status: result.status, message: d.message ?? '上报失败', field: d.field ?? null };
	}
	if (result.type === 'error') return { ok: false, status: result.status ?? 500, message: (result.error as { message?: string })?.message ?? '上报失败', field: null };
	return { ok: false, status: res.status, message: '上报失败：未保存', field: null };
}
