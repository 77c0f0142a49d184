// The field report (/requests/new) outside its page: the draft kept over a reload (fields in
// localStorage, photos in IndexedDB through idb, as the outbox keeps its items) and the FormData
// the page's action takes, with the resized photos instead of the camera's. Browser code only.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
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
/** stored as Blob + name: some engines do not keep a File's name through IndexedDB */
interface StoredPhoto { name: string; type: string; blob: Blob }
interface DraftDb extends DBSchema {
	photos: { key: number; value: StoredPhoto[] };
}

/** Opened per use and closed after: a draft is touched a few times per report, not per frame. */
async function withDb<T>(fn: (db: IDBPDatabase<DraftDb>) => Promise<T>): Promise<T> {
	const db = await openDB<DraftDb>(DB_NAME, 1, { upgrade: (d) => void d.createObjectStore(STORE) });
	try {
		return await fn(db);
	} finally {
		db.close();
	}
}

/** Keeps the draft's (already resized) photos; an empty list removes them. */
export async function savePhotos(userId: number, photos: readonly File[]): Promise<void> {
	if (typeof indexedDB === 'undefined') return;
	try {
		const rows: StoredPhoto[] = photos.map((f) => ({ name: f.name, type: f.type, blob: f }));
		await withDb<unknown>((db) => (rows.length ? db.put(STORE, rows, userId) : db.delete(STORE, userId)));
	} catch {
		// no IndexedDB (private mode): the photos are simply not kept over a reload
	}
}

export async function loadPhotos(userId: number): Promise<File[]> {
	if (typeof indexedDB === 'undefined') return [];
	try {
		const rows = (await withDb((db) => db.get(STORE, userId))) ?? [];
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
