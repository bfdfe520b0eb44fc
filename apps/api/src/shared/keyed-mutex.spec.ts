import { KeyedMutex } from './keyed-mutex';

describe('KeyedMutex', () => {
  it('runs work on one key one at a time, in arrival order', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    let unblock!: () => void;
    const gate = new Promise<void>((r) => (unblock = r));
    const first = mutex.run('a', async () => {
      log.push('first:start');
      await gate;
      log.push('first:end');
    });
    const second = mutex.run('a', () => {
      log.push('second');
      return Promise.resolve();
    });
    await Promise.resolve();
    expect(log).toEqual(['first:start']);
    unblock();
    await Promise.all([first, second]);
    expect(log).toEqual(['first:start', 'first:end', 'second']);
  });

  it('lets different keys run concurrently and survives a failing task', async () => {
    const mutex = new KeyedMutex();
    let unblock!: () => void;
    const gate = new Promise<void>((r) => (unblock = r));
    const blocked = mutex.run('a', () => gate);
    await expect(mutex.run('b', () => Promise.resolve(42))).resolves.toBe(42);
    unblock();
    await blocked;
    await expect(mutex.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run('a', () => Promise.resolve('after'))).resolves.toBe('after');
  });
});
