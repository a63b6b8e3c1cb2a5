import type { ClientRegistry, HookClients } from './types.js';

/**
 * Per-hook SDK clients: an injected client wins, otherwise the caller's
 * factory runs once, on first use. Checks pass the factory so that the core
 * never imports an SDK package a hook does not use (bundle size, cold start).
 */
export function createClientRegistry(injected: HookClients = {}): ClientRegistry {
  const clients: HookClients = { ...injected };
  return {
    get(key, create) {
      const existing = clients[key];
      if (existing) return existing as NonNullable<HookClients[typeof key]>;
      const created = create();
      clients[key] = created as never;
      return created;
    },
  };
}
