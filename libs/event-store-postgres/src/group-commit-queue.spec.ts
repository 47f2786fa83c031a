import type { Queued } from './group-commit-queue';
import { GroupCommitQueue } from './group-commit-queue';

describe('GroupCommitQueue', () => {
  it('flushes everything submitted in one turn of the event loop as one batch, one batch at a time', async () => {
    const batches: number[][] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const queue = new GroupCommitQueue<number, number>(
      async (batch: Queued<number, number>[]) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        batches.push(batch.map((b) => b.request));
        await new Promise((resolve) => setTimeout(resolve, 5));
        batch.forEach((b) => b.resolve(b.request * 10));
        inFlight--;
      },
      { maxBatchWeight: 100, weight: () => 1 },
    );
    const first = [1, 2, 3].map((n) => queue.submit(n));
    await new Promise((resolve) => setImmediate(resolve));
    const second = [4, 5].map((n) => queue.submit(n)); // arrive while the first batch is being written
    await expect(Promise.all([...first, ...second])).resolves.toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(maxInFlight).toBe(1);
  });

  it('caps the weight of a batch but lets a single heavy request go alone', async () => {
    const batches: number[][] = [];
    const queue = new GroupCommitQueue<number, void>(
      async (batch) => {
        batches.push(batch.map((b) => b.request));
        batch.forEach((b) => b.resolve());
      },
      { maxBatchWeight: 5, weight: (n) => n },
    );
    await Promise.all([2, 2, 2, 9, 1].map((n) => queue.submit(n)));
    expect(batches).toEqual([[2, 2], [2], [9], [1]]);
  });

  it('rejects the callers of a batch whose flush throws, and keeps serving later ones', async () => {
    let calls = 0;
    const queue = new GroupCommitQueue<string, string>(
      async (batch) => {
        if (calls++ === 0) throw new Error('database gone');
        batch.forEach((b) => b.resolve(b.request));
      },
      { maxBatchWeight: 10, weight: () => 1 },
    );
    await expect(queue.submit('a')).rejects.toThrow('database gone');
    await expect(queue.submit('b')).resolves.toBe('b');
    await expect(queue.whenIdle()).resolves.toBeUndefined();
  });
});
