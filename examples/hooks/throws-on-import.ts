/** A hook module that cannot be imported (used to test the simulator's exit code 2). */
throw new Error('this hook module fails while loading');

export function handler(): void {
  // unreachable
}
