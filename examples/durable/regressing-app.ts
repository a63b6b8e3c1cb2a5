/**
 * The sample application with a slow regression: 20 simulated minutes after
 * it first serves a request, every /items request throws (a leak that only
 * shows after a while). Used by the built-in scenario
 * lambda-durable-bake-regression, whose post-traffic hook bakes 30 minutes.
 */
import { handler as app } from '../app/handler.js';
import type { WebEvent } from '../app/handler.js';

// Half a minute past minute 20: between two of the bake's once-a-minute looks, so no look coincides
// with the moment it starts (which look sees it would then hang on same-instant ordering).
const HEALTHY_FOR_MS = 20.5 * 60_000;
let firstRequestAt: number | undefined;

export async function handler(event: WebEvent | null | undefined) {
  firstRequestAt ??= Date.now();
  const path = event?.rawPath ?? event?.requestContext?.http?.path ?? event?.path ?? '/';
  if (path === '/items' && Date.now() - firstRequestAt > HEALTHY_FOR_MS) throw new Error('out of connections (the regression after minute 20)');
  return app(event);
}
