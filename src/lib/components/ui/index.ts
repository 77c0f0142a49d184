// The shared controls every page is built from (see each file's comment for its accessibility notes).
export { default as Button } from './Button.svelte';
export { default as Field } from './Field.svelte';
export { default as Select } from './Select.svelte';
export { default as DataTable } from './DataTable.svelte';
export { default as Tabs } from './Tabs.svelte';
export { default as Dialog } from './Dialog.svelte';
export { default as EmptyState } from './EmptyState.svelte';
export { default as Toaster } from './Toaster.svelte';
export { default as Stat } from './Stat.svelte';
export { toast } from './toast.svelte';
