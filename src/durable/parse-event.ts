import { describeError } from '../errors.js';
import { writeLine } from '../verdict-log.js';
import type { LogSink } from '../verdict-log.js';

/**
 * Parses the hook event with the platform's parser; a malformed event has no
 * ids to report to, so it is logged (one ERROR line naming the field) and
 * rethrown, as defineHook does.
 */
export function parseOrLog<E>(parse: (raw: unknown) => E, raw: unknown, sink: LogSink): E {
  try {
    return parse(raw);
  } catch (error) {
    const { name, message } = describeError(error);
    writeLine(sink, { level: 'ERROR', message, error: name, timestamp: new Date().toISOString(), reported: false });
    throw error;
  }
}
