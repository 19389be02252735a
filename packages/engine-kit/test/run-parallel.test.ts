import { describe, expect, it } from 'vitest';
import { runParallel } from '../src/util/run-parallel.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('runParallel', () => {
  it('runs every item once, never more than `concurrency` at a time, each slot used by one item at a time', async () => {
    const items = Array.from({ length: 25 }, (_, i) => i);
    const seen: number[] = [];
    const busySlots = new Set<number>();
    let inFlight = 0;
    let peak = 0;
    await runParallel(items, 4, async (item, slot) => {
      expect(busySlots.has(slot)).toBe(false);
      busySlots.add(slot);
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick();
      seen.push(item);
      inFlight--;
      busySlots.delete(slot);
    });
    expect([...seen].sort((a, b) => a - b)).toEqual(items);
    expect(peak).toBe(4);
  });

  it('starts items in order and uses at most as many lanes as items', async () => {
    const started: number[] = [];
    const slots = new Set<number>();
    await runParallel([10, 20], 8, async (item, slot) => {
      started.push(item);
      slots.add(slot);
      await tick();
    });
    expect(started).toEqual([10, 20]);
    expect([...slots].sort()).toEqual([0, 1]);
  });

  it('treats a concurrency below 1 as 1 and handles no items', async () => {
    const order: number[] = [];
    await runParallel([1, 2, 3], 0, async (item, slot) => {
      expect(slot).toBe(0);
      order.push(item);
    });
    expect(order).toEqual([1, 2, 3]);
    await expect(runParallel([], 3, async () => {})).resolves.toBeUndefined();
  });

  it('starts nothing new after the first failure, lets items in flight finish, then throws the first error', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const run = runParallel([0, 1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      if (item === 0) throw new Error('first');
      await tick();
      if (item === 1) {
        finished.push(item);
        throw new Error('second');
      }
      finished.push(item);
    });
    await expect(run).rejects.toThrow('first');
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([1]);
  });
});
