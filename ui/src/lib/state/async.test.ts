import { describe, expect, it } from 'vitest';
import { AppError } from '$lib/api/errors';
import { Action, Resource } from './async.svelte';

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Resource', () => {
  it('is loading while a load runs and holds the value after', async () => {
    const d = deferred<number[]>();
    const r = new Resource(() => d.promise, []);
    const done = r.load();
    expect(r.loading).toBe(true);
    expect(r.loaded).toBe(false);
    d.resolve([1, 2]);
    expect(await done).toBe(true);
    expect(r.loading).toBe(false);
    expect(r.loaded).toBe(true);
    expect(r.current).toEqual([1, 2]);
  });

  it('keeps the last value and reports the error when a reload fails', async () => {
    let fail = false;
    const r = new Resource(async () => {
      if (fail) throw { code: 'not_found', message: 'No such customer', field: null };
      return 'first';
    }, '');
    await r.load();
    fail = true;
    expect(await r.load()).toBe(false);
    expect(r.current).toBe('first');
    expect(r.error).toBeInstanceOf(AppError);
    expect(r.error?.code).toBe('not_found');
    expect(r.error?.message).toBe('No such customer');
    expect(r.loading).toBe(false);
  });

  it('ignores a load that a newer one overtook, whatever order they settle in', async () => {
    const slow = deferred<string>();
    const fast = deferred<string>();
    const queue = [slow, fast];
    const r = new Resource(() => queue.shift()!.promise, 'none');
    const first = r.load();
    const second = r.load();
    fast.resolve('new');
    await second;
    expect(r.loading).toBe(false);
    slow.resolve('old');
    expect(await first).toBe(false);
    expect(r.current).toBe('new');
  });

  it('does not show the error of an overtaken load', async () => {
    const slow = deferred<string>();
    const fast = deferred<string>();
    const queue = [slow, fast];
    const r = new Resource(() => queue.shift()!.promise, '');
    const first = r.load();
    const second = r.load();
    slow.reject(new Error('gone'));
    expect(await first).toBe(false);
    expect(r.error).toBeNull();
    expect(r.loading).toBe(true);
    fast.resolve('fresh');
    await second;
    expect(r.current).toBe('fresh');
  });

  it('passes its arguments to the fetch', async () => {
    const r = new Resource(async (id: string, n: number) => `${id}:${n}`, '');
    await r.load('c-1', 3);
    expect(r.current).toBe('c-1:3');
  });

  it('takes a value set from a write and drops a load still in flight', async () => {
    const d = deferred<string>();
    const r = new Resource(() => d.promise, '');
    const pending = r.load();
    r.set('written');
    d.resolve('stale');
    expect(await pending).toBe(false);
    expect(r.current).toBe('written');
    expect(r.loading).toBe(false);
  });
});

describe('Action', () => {
  it('is busy while it runs and resolves to its value', async () => {
    const d = deferred<number>();
    const a = new Action(() => d.promise);
    const done = a.run();
    expect(a.busy).toBe(true);
    d.resolve(7);
    expect(await done).toEqual({ ok: true, value: 7 });
    expect(a.busy).toBe(false);
    expect(a.error).toBeNull();
  });

  it('never rejects: a failure lands in error as an AppError naming its field', async () => {
    const a = new Action(async () => {
      throw { code: 'invalid', message: 'Name is required', field: 'name' };
    });
    expect(await a.run()).toEqual({ ok: false });
    expect(a.busy).toBe(false);
    expect(a.error?.field).toBe('name');
    expect(a.error?.message).toBe('Name is required');
  });

  it('clears the previous error when it runs again', async () => {
    let fail = true;
    const a = new Action(async () => {
      if (fail) throw new Error('down');
    });
    await a.run();
    expect(a.error?.code).toBe('ipc');
    fail = false;
    await a.run();
    expect(a.error).toBeNull();
  });

  it('tells which of several buttons started the run in progress', async () => {
    const d = deferred<void>();
    const a = new Action((_decision: 'approve' | 'reject') => d.promise);
    const done = a.run('reject');
    expect(a.runningWith('reject')).toBe(true);
    expect(a.runningWith('approve')).toBe(false);
    d.resolve();
    await done;
    expect(a.runningWith('reject')).toBe(false);
  });

  it('forgets its error on reset', async () => {
    const a = new Action(async () => {
      throw new Error('x');
    });
    await a.run();
    a.reset();
    expect(a.error).toBeNull();
  });
});
