/** Runs `worker(i)` for i in [0, count) with at most `concurrency` in flight. */
export async function runPool(count: number, concurrency: number, worker: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await worker(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}
