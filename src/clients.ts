import type { ClientRegistry, HookClients } from './types.js';

/**
 * Per-hook SDK clients: an injected client wins, otherwise the caller's
 * factory runs once, on first use. Checks pass the factory so that the core
 * never imports an SDK package a hook does not use (bundle size, cold start).
 */
export function createClientRegistry(injected: HookClients = {}): ClientRegistry {
  const clients: HookClients = { ...injected };
  const registry: ClientRegistry = {
    get(key, create) {
      const existing = clients[key];
      if (existing) return existing as NonNullable<HookClients[typeof key]>;
      const created = create();
      clients[key] = created as never;
      return created;
    },
  };
  // Frozen: checks receive this object, and the runtime reports through it.
  return Object.freeze(registry);
}

/**
 * Configuration for the SDK clients checks create by default. Without a
 * request timeout a hung CloudWatch or ELBv2 connection would hold a check
 * until the hook deadline; with one, the SDK's own retry gets another try.
 * (Lambda Invoke is left without one: a smoke-test invocation may run long.)
 */
export const DEFAULT_CHECK_CLIENT_CONFIG = {
  requestHandler: { connectionTimeout: 3000, requestTimeout: 10_000 },
} as const;
