// Hazard endpoints' shared parsing: a move from a JSON body or form fields, headers first.
import { parseHazardMove } from '../../domain/hazardinput';
import { parseIdempotencyKey, parseVersion } from '../../domain/requestinput';
import { photoFromDataUrl } from '../requests/http';
import type { Photo } from '../requests/report';
import type { HazardMoveInput } from './transition';

export function parseHazardMoveInput(hazardId: number, b: Record<string, unknown>, headers: Headers): HazardMoveInput {
	const fields = parseHazardMove(b);
	return {
		hazardId,
		...fields,
		version: parseVersion(headers.get('if-match') ?? b.version, headers.get('if-match') ? 'If-Match' : 'version'),
		idempotencyKey: parseIdempotencyKey(headers.get('idempotency-key') ?? (b.idempotencyKey as string | undefined)),
		photos: Array.isArray(b.photos) ? b.photos.map((raw) => photoFromDataUrl(raw, 'photos')).filter((p): p is Photo => p !== null) : []
	};
}
