//! Loading, busy and error state, written once. A `Resource` is data the screen shows (loaded,
//! reloaded, kept on screen while it reloads); an `Action` is something the user does (a button
//! that is busy while it runs and shows why it failed). Both hold the error as an `AppError`, so a
//! form can pick out the field at fault with `fieldError`.
//!
//! What must hold: a load that was overtaken by a newer one never overwrites the newer result or
//! its error (filters typed quickly, a page left and reopened); `loading` / `busy` fall back only
//! when the newest run settles.
import { AppError } from '$lib/api/errors';

/** Data loaded from the core: the current value, whether a load runs, and why the last one failed. */
export class Resource<T, A extends unknown[] = []> {
  /** The newest value loaded (kept while a reload runs, and after a failed one). */
  current = $state.raw<T>() as T;
  loading = $state(false);
  error = $state.raw<AppError | null>(null);
  /** True once a load has succeeded (`current` then holds loaded data, not the initial value). */
  loaded = $state(false);

  #fetch: (...args: A) => Promise<T>;
  #generation = 0;

  constructor(fetch: (...args: A) => Promise<T>, initial: T) {
    this.#fetch = fetch;
    this.current = initial;
  }

  /** Loads (again); true if this load's value is now `current`, false if it failed or was overtaken. */
  async load(...args: A): Promise<boolean> {
    const generation = ++this.#generation;
    this.loading = true;
    this.error = null;
    try {
      const value = await this.#fetch(...args);
      if (generation !== this.#generation) return false;
      this.current = value;
      this.loaded = true;
      return true;
    } catch (e) {
      if (generation === this.#generation) this.error = AppError.from(e);
      return false;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Replaces the value with one the core returned from a write (and drops any load in flight). */
  set(value: T) {
    this.#generation += 1;
    this.current = value;
    this.loaded = true;
    this.loading = false;
    this.error = null;
  }
}

/** Something the user does: `busy` while it runs, `error` if it failed. */
export class Action<A extends unknown[] = [], T = void> {
  busy = $state(false);
  error = $state.raw<AppError | null>(null);
  /** The arguments of the run in progress (to show which of several buttons is busy). */
  pending = $state.raw<A | null>(null);

  #run: (...args: A) => Promise<T>;

  constructor(run: (...args: A) => Promise<T>) {
    this.#run = run;
  }

  /**
   * Runs it; resolves to `{ ok: true, value }`, or `{ ok: false }` with the failure in `error`
   * (a run never rejects, so a click handler needs no try/catch of its own).
   */
  async run(...args: A): Promise<{ ok: true; value: T } | { ok: false }> {
    this.busy = true;
    this.pending = args;
    this.error = null;
    try {
      return { ok: true, value: await this.#run(...args) };
    } catch (e) {
      this.error = AppError.from(e);
      return { ok: false };
    } finally {
      this.busy = false;
      this.pending = null;
    }
  }

  /** True while a run with this first argument is in progress. */
  runningWith(first: A[0]): boolean {
    return this.busy && this.pending?.[0] === first;
  }

  /** Forgets the last failure (when the form it belonged to is closed or reset). */
  reset() {
    this.error = null;
  }
}
