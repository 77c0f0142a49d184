// The request loop of domain.md as data: which status may follow which, by which action.
// 点单 reported → 派单 dispatched → 接单 accepted → 办结 resolved → 评单 evaluated → 销号 closed,
// with the side paths 退单 returned, 吹哨 escalated and 返工 reopened.

export type RequestStatus =
	| 'reported' | 'dispatched' | 'accepted' | 'resolved' | 'evaluated' | 'closed'
	| 'returned' | 'escalated' | 'reopened';

export type RequestAction =
	| 'dispatch' | 'accept' | 'return' | 'redispatch' | 'escalate' | 'resolve' | 'evaluate' | 'close' | 'reopen';

export const TRANSITIONS: Record<RequestStatus, Partial<Record<RequestAction, RequestStatus>>> = {
	reported: { dispatch: 'dispatched' },
	dispatched: { accept: 'accepted', return: 'returned' },
	returned: { redispatch: 'dispatched' },
	accepted: { resolve: 'resolved', escalate: 'escalated' },
	escalated: { resolve: 'resolved' },
	resolved: { evaluate: 'evaluated' },
	evaluated: { close: 'closed', reopen: 'reopened' },
	reopened: { accept: 'accepted' },
	closed: {}
};

export const OPEN_STATUSES: readonly RequestStatus[] = ['reported', 'dispatched', 'accepted', 'returned', 'escalated', 'reopened'];

/** The status `action` leads to from `from`, or null when the move is not allowed. */
export function nextStatus(from: RequestStatus, action: RequestAction): RequestStatus | null {
	return TRANSITIONS[from]?.[action] ?? null;
}
