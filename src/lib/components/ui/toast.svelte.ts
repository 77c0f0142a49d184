// Short messages that confirm an action ("已保存"), announced by screen readers through the
// Toaster's live region and gone after a few seconds. One queue per browser tab.
export interface ToastItem { id: number; text: string; kind: 'ok' | 'error' | 'info' }

let next = 1;
export const toasts = $state<ToastItem[]>([]);

export function toast(text: string, kind: ToastItem['kind'] = 'ok', ms = 4000): void {
	const id = next++;
	toasts.push({ id, text, kind });
	setTimeout(() => dismiss(id), ms);
}

export function dismiss(id: number): void {
	const i = toasts.findIndex((t) => t.id === id);
	if (i >= 0) toasts.splice(i, 1);
}
