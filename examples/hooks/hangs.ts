/** A hook that never settles: it runs into its Lambda timeout without reporting. */
export function handler(): Promise<never> {
  return new Promise(() => undefined);
}
