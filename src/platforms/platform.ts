/**
 * A platform owns one event shape, its context resolution and its way of
 * delivering a verdict (a report API call, or a returned status). Adapters
 * (plain handler, middy, a durable execution) decide when each step runs;
 * the engine (engine/decide.ts) decides in between. See DESIGN.md, "One
 * engine, several platforms and adapters".
 */
import type { EngineInput } from '../engine/decide.js';
import type { Decision } from '../engine/verdict.js';
import type { Settings } from '../settings.js';
import type { LogSink } from '../verdict-log.js';
import type { ClientRegistry, HookContext } from '../types.js';

export interface ResolveEnvironment {
  settings: Settings;
  /** Epoch ms by which resolution must have settled (the checks deadline). */
  deadline: number;
  signal: AbortSignal;
}

/** Everything a platform needs to deliver one decision. */
export interface DeliveryInput<E, C extends HookContext> {
  event: E;
  decision: Decision;
  /** Set when resolution gave a context. */
  context?: C;
  /** Unset when the settings themselves were invalid (the decision then says so). */
  settings?: Settings;
  startedAt: number;
  /** Epoch ms by which delivery must be done (the Lambda end less a final margin). */
  deliverBy: number;
  sink: LogSink;
}

export interface Platform<E, C extends HookContext, V> {
  /** Validates the raw Lambda event. Throws HookEventError naming the field. */
  parse(raw: unknown): E;
  /** What is being deployed. May throw: the caller turns a throw into `unresolved`. */
  resolve(event: E, env: ResolveEnvironment): Promise<EngineInput<C>>;
  /** Delivers the decision and writes the verdict line; resolves with what the handler returns. Never rejects. */
  deliver(input: DeliveryInput<E, C>): Promise<V>;
}

/** Builds a platform on a hook's client registry (one per hook definition: a warm Lambda reuses its clients). */
export type PlatformFactory<E, C extends HookContext, V> = (clients: ClientRegistry) => Platform<E, C, V>;
