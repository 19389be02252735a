/**
 * Runs `worker` over `items` with at most `concurrency` in flight, in the items' order (callers sort biggest first).
 * After the first failure no new item starts; the items in flight finish (or fail), then the first error is thrown.
 * `slot` (0..concurrency-1) tells the worker which of the caller's connections to use.
 */
export async function runParallel<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, slot: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lanes = Math.max(1, Math.min(concurrency, items.length));
  const lane = async (slot: number): Promise<void> => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        await worker(item, slot);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, (_, slot) => lane(slot)));
  if (failure) throw failure.error;
}
