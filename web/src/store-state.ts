import { ref } from 'vue';
import { api, ApiError } from './api/client';
import type { StorePage } from './api/types';
import { applyTheme } from './theme';

export const store = ref<StorePage | null>(null);
export const storeError = ref<string | null>(null);

/** Loads the store's public page once: name, logo, theme colour, and whether it is closed. */
export async function loadStore(): Promise<void> {
  try {
    store.value = await api<StorePage>('/api/store', { as: undefined });
    applyTheme(store.value.themeColor);
    document.title = store.value.displayName || store.value.name;
  } catch (e) {
    storeError.value = e instanceof ApiError && e.status === 404 ? 'not_found' : String(e);
  }
}
