/**
 * Request bodies and scenario files become objects by key. Written into a
 * plain object, `__proto__` replaces its prototype, and a path walked through
 * `constructor.prototype` or `__proto__` reaches Object.prototype itself, which
 * every hook in the same process (simulate, codedeploy-hooks/testing) reads its
 * options through: one request could then turn a failing hook into Succeeded.
 * No AWS member and no scenario key has these names, so input using them is refused.
 */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

export function isReservedKey(key: string): boolean {
  return RESERVED.has(key);
}

/** An object with no prototype: a key is only ever its own, never inherited or a setter. */
export function emptyRecord<T = unknown>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
