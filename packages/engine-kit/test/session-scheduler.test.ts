import { describe, expect, it } from 'vitest';
import { choosePass, runOnIdleSessions, type SessionTask, takeFirstReady } from '../src/restore/session-scheduler.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('runOnIdleSessions', () => {
  it('keeps every session busy and returns when nothing is ready and nothing runs', async () => {
    const queue = ['a', 'b', 'c', 'd', 'e'];
    const ran: string[] = [];
    let busy = 0;
    let peak = 0;
    await runOnIdleSessions(['s1', 's2'], () => {
      const name = queue.shift();
      if (name === undefined) return undefined;
      return async (session) => {
        peak = Math.max(peak, ++busy);
        await tick();
        ran.push(`${name}@${session}`);
        busy--;
      };
    });
    expect(ran).toHaveLength(5);
    expect(peak).toBe(2);
  });

  it('starts nothing after a failure, lets running tasks see stopped(), and throws the first error', async () => {
    const started: number[] = [];
    let sawStopped = false;
    let count = 0;
    const next = (): SessionTask<string> | undefined => {
      const index = count++;
      if (index > 5) return undefined;
      return async (_session, stopped) => {
        started.push(index);
        if (index === 0) throw new Error('first');
        await tick();
        await tick();
        sawStopped = stopped();
        if (sawStopped) throw new Error('stopped');
      };
    };
    await expect(
      runOnIdleSessions(['s1', 's2'], next, { ignore: (error) => (error as Error).message === 'stopped' }),
    ).rejects.toThrow('first');
    expect(sawStopped).toBe(true);
    expect(started).toEqual([0, 1]);
  });
});

describe('choosePass and takeFirstReady', () => {
  const items = [
    { id: 'a', dependsOn: [] as string[] },
    { id: 'b', dependsOn: ['a'] },
    { id: 'c', dependsOn: ['x'] },
    { id: 'd', dependsOn: ['c'] },
  ];

  it('keeps items whose dependencies are completed or in the same pass', () => {
    expect(choosePass(items, new Set(), () => true).map((item) => item.id)).toEqual(['a', 'b']);
    expect(choosePass(items, new Set(['a', 'x']), () => true).map((item) => item.id)).toEqual(['b', 'c', 'd']);
  });

  it('takes the best ready item and leaves the rest', () => {
    const waiting = [
      { id: 'small', ready: true, size: 1 },
      { id: 'blocked', ready: false, size: 9 },
      { id: 'big', ready: true, size: 5 },
    ];
    const take = () =>
      takeFirstReady(
        waiting,
        (item) => item.ready,
        (a, b) => a.size > b.size,
      )?.id;
    expect([take(), take(), take()]).toEqual(['big', 'small', undefined]);
    expect(waiting.map((item) => item.id)).toEqual(['blocked']);
  });
});
