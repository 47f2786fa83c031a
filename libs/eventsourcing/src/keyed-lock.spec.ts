import { KeyedMutex } from './keyed-lock';

describe('KeyedMutex', () => {
  it('runs work of one key one at a time, in order, and other keys alongside', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = mutex.run('a', async () => {
      log.push('a1 start');
      await gate;
      log.push('a1 end');
    });
    const second = mutex.run('a', async () => {
      log.push('a2');
    });
    const other = mutex.run('b', async () => {
      log.push('b1');
    });
    await other;
    expect(log).toEqual(['a1 start', 'b1']);
    release();
    await Promise.all([first, second]);
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
  });

  it('goes on with the next work after a failure', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run('a', async () => 42)).resolves.toBe(42);
  });
});
