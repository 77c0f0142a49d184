// A form that the outbox may keep: `onsubmit={offlineSubmit({ kind, label })}` on a SvelteKit form
// whose default action takes an idempotency key in its hidden `key` field (/requests/new). Online,
// the form is posted by fetch and its answer applied as SvelteKit's enhance would (a redirect
// navigates, a refusal shows in the form through `form`); offline, or when the post itself fails
// on the network, it goes to the outbox, the user is told so and the form is emptied for the next.
//
// A page kept by the service worker carries the key it was rendered with; a key this browser has
// already sent once is replaced by a fresh one, so two reports made on one cached page stay two.
import { applyAction } from '$app/forms';
import { invalidateAll } from '$app/navigation';
import { toast } from '$lib/components/ui/toast.svelte';
import { formParts, newIdempotencyKey, submitOrQueue, type OutboxKind, type SubmitResult } from './outbox';

const USED_KEYS = 'grid.outbox.usedKeys';
const KEEP_KEYS = 200;

function usedKeys(): string[] {
	try {
		return JSON.parse(localStorage.getItem(USED_KEYS) ?? '[]');
	} catch {
		return [];
	}
}

function markUsed(key: string) {
	try {
		localStorage.setItem(USED_KEYS, JSON.stringify([...usedKeys(), key].slice(-KEEP_KEYS)));
	} catch {
		// storage refused: the server's 422 for a reused key still keeps the data right
	}
}

/** The form's idempotency key, fresh if this browser sent it before. */
function keyFor(form: HTMLFormElement): string {
	const input = form.elements.namedItem('key');
	if (!(input instanceof HTMLInputElement)) return newIdempotencyKey();
	if (!input.value || usedKeys().includes(input.value)) input.value = newIdempotencyKey();
	return input.value;
}

const sending = new WeakSet<HTMLFormElement>();

export interface OfflineSubmitOptions {
	kind: OutboxKind;
	label: (fields: Map<string, string>) => string;
	/** The body to send (e.g. with resized photos), or null to stay on the form; the form's own fields by default. */
	prepare?: (form: HTMLFormElement) => FormData | null;
	/**
	 * Told how it went, after the form was updated (a queued form is emptied here, by the page);
	 * 'failed' when something broke on the way (already said in a toast). Called whenever prepare
	 * gave a body, so a page that disabled its button on prepare always gets it back.
	 */
	after?: (status: SubmitStatus) => void | Promise<void>;
}

export type SubmitStatus = SubmitResult['status'] | 'failed';

export function offlineSubmit(opts: OfflineSubmitOptions) {
	return async (event: SubmitEvent) => {
		const form = event.currentTarget as HTMLFormElement;
		event.preventDefault();
		if (sending.has(form)) return; // a double tap while the first is on its way
		sending.add(form);
		let prepared = false;
		let status: SubmitStatus = 'failed';
		try {
			const idempotencyKey = keyFor(form);
			const body = opts.prepare ? opts.prepare(form) : new FormData(form);
			if (!body) return;
			prepared = true;
			const { fields, files } = formParts(body);
			const url = new URL(form.action || location.href);
			const result = await submitOrQueue({
				kind: opts.kind,
				label: opts.label(new Map(fields)),
				url: url.pathname + url.search,
				format: 'action',
				fields,
				files,
				idempotencyKey
			});
			if (result.status !== 'refused') markUsed(idempotencyKey);
			if (result.status === 'sent') {
				if (result.location) await applyAction({ type: 'redirect', status: 303, location: result.location });
				else {
					// as enhance does: the page's data reloaded (counts, lists), then the action's answer shown
					await invalidateAll();
					await applyAction({ type: 'success', status: 200, data: (result.data ?? undefined) as Record<string, unknown> | undefined });
				}
			} else if (result.status === 'refused') {
				await applyAction({ type: 'failure', status: 400, data: (result.data ?? { message: result.message, field: result.field }) as Record<string, unknown> });
			} else {
				toast(`已存入“待发送”（含照片 ${files.length} 张），联网后自动发送`, 'ok', 6000);
				form.reset();
				keyFor(form);
			}
			status = result.status;
		} catch (e) {
			// nothing was lost: the form keeps what was typed (and the draft), and the outbox what it had
			console.error('offlineSubmit', e);
			toast(`提交没有完成：${e instanceof Error ? e.message : String(e)}。内容仍在表单里，请再试一次`, 'error', 8000);
		} finally {
			sending.delete(form);
			if (prepared) await opts.after?.(status);
		}
	};
}
