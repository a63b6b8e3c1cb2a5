/** Runs `worker(i)` for i in [0, count) with at most `concurrency` in flight. */
export async function runPool(count: number, concurrency: number, worker: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await worker(next++);
  };
  // At least one lane: a concurrency below 1 must not silently run nothing.
  await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), count) }, lane));
}
