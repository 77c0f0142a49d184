// Photos on a request: the ones taken at 点单 ('report'), at 接单 ('before') and at 办结 ('after').
// The limits live here once: the server refuses past them, the phone resizes to fit under them.
// Pure: the bytes are checked by their length and declared type, nothing is decoded.
import { badParam } from './apierror';

export type PhotoKind = 'report' | 'before' | 'after';
export const PHOTO_KINDS: readonly PhotoKind[] = ['report', 'before', 'after'];
export const PHOTO_KIND_LABEL: Record<PhotoKind, string> = { report: '现场照片', before: '处置前', after: '处置后' };

/** The MIME types accepted, with the extension the file is stored under. */
export const PHOTO_TYPES: Readonly<Record<string, 'jpg' | 'png' | 'webp'>> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };
/** One photo's size at most (a phone's 12 MP picture unresized is 3–6 MB; resized, ~0.3 MB). */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
/** Photos per submission (a report, or one 接单/办结 move). */
export const PHOTO_MAX_COUNT = 6;
/** The phone resizes the longer edge to this many pixels before uploading, as JPEG of this quality. */
export const PHOTO_MAX_EDGE = 1600;
export const PHOTO_JPEG_QUALITY = 0.82;

export interface PhotoInput { type: string; bytes: Uint8Array }

const mb = (n: number) => (n / 1048576).toFixed(1);

/**
 * Refuses a set of photos past the limits, naming the field (`photos`, or `photo` for the one
 * photo of the older form and API) and, for one bad photo among several, which one.
 */
export function checkPhotos(photos: readonly PhotoInput[], field = 'photos'): void {
	if (photos.length > PHOTO_MAX_COUNT) throw badParam(field, `照片（${field}）最多 ${PHOTO_MAX_COUNT} 张，收到 ${photos.length} 张`);
	photos.forEach((p, i) => {
		const which = photos.length > 1 ? `第 ${i + 1} 张照片` : '照片';
		if (!PHOTO_TYPES[p.type]) throw badParam(field, `${which}（${field}）只能是 JPG、PNG 或 WebP，收到 ${p.type || '未知类型'}`);
		if (p.bytes.byteLength === 0) throw badParam(field, `${which}（${field}）是空文件`);
		if (p.bytes.byteLength > PHOTO_MAX_BYTES) throw badParam(field, `${which}（${field}）不能超过 ${mb(PHOTO_MAX_BYTES)} MB，现在 ${mb(p.bytes.byteLength)} MB`);
	});
}

/** The photo kind a move may carry: 'before' at 接单, 'after' at 办结, else none. */
export function moveKind(action: string): PhotoKind | null {
	return action === 'accept' ? 'before' : action === 'resolve' ? 'after' : null;
}

/** Target size for resizing: the longer edge at most `edge`, the aspect kept, never enlarged. */
export function fitWithin(width: number, height: number, edge = PHOTO_MAX_EDGE): { width: number; height: number } {
	const scale = Math.min(1, edge / Math.max(width, height));
	return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
