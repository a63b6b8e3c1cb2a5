/**
 * TLS verification of the http check. The connections the check makes itself
 * always verify, whatever the process says; a dispatcher the user passes owns
 * its TLS settings, which the check cannot read, so the check refuses to use
 * one in a process that switched verification off for everything.
 */
import { Agent } from 'undici';
import type { ResolvedHttpOptions } from './options.js';

/**
 * The agent for one run. `rejectUnauthorized: true` is explicit because Node
 * takes its default from NODE_TLS_REJECT_UNAUTHORIZED at every connect, and
 * the check uses its own agent rather than undici's global dispatcher, which
 * any code in the process may replace with one that accepts any certificate.
 */
export function verifyingAgent(ca: ResolvedHttpOptions['ca']): Agent {
  return new Agent({ connect: { rejectUnauthorized: true, ...(ca === undefined ? {} : { ca }) } });
}

/**
 * Why a user dispatcher cannot be used now, or undefined. With
 * NODE_TLS_REJECT_UNAUTHORIZED=0 an undici Agent that does not set
 * rejectUnauthorized itself accepts any certificate, and the check cannot see
 * whether it does; failing is the only answer that keeps verification on.
 * Read at run time, as Node does, since the variable may change after the
 * check was created.
 */
export function insecureDispatcherRefusal(opts: ResolvedHttpOptions): string | undefined {
  if (opts.dispatcher === undefined || process.env.NODE_TLS_REJECT_UNAUTHORIZED !== '0') return undefined;
  return (
    'http: NODE_TLS_REJECT_UNAUTHORIZED=0 switches TLS verification off for the given dispatcher unless it sets rejectUnauthorized itself, ' +
    'which the check cannot see; unset the variable (without a dispatcher the check verifies regardless)'
  );
}
