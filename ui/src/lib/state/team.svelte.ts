//! The team in the app (issue 15): the status the shell reports (membership, background sync,
//! refused changes, conflicts, an erased record's notice), polled every few seconds while the
//! app runs so the sidebar and Settings → Team stay current without blocking anything; and the
//! user's actions (join, sync now, leave, dismiss the notice).
import { call } from '$lib/api/ipc';
import type { JoinInput } from '$lib/api/bindings/JoinInput';
import type { TeamView } from '$lib/api/bindings/TeamView';
import { Action, Resource } from '$lib/state/async.svelte';
import { session } from '$lib/state/session.svelte';

const POLL_MS = 2000;

export class Team {
  view = new Resource<TeamView | null>(() => call('team_status'), null);
  join = new Action<[JoinInput], TeamView>(async (input) => {
    const v = await call('join_team', input);
    this.view.set(v);
    await session.load();
    return v;
  });
  syncNow = new Action<[], TeamView>(async () => {
    const v = await call('sync_now');
    this.view.set(v);
    return v;
  });
  leave = new Action<[], void>(async () => {
    await call('leave_team');
    await this.view.load();
    await session.load();
  });
  dismiss = new Action<[], void>(async () => {
    await call('dismiss_team_erased');
    await this.view.load();
  });

  #timer: ReturnType<typeof setInterval> | null = null;
  #joined = false;

  get current(): TeamView | null {
    return this.view.current;
  }

  /** Starts polling (idempotent). Signs out when the shell erased a revoked device's record. */
  start() {
    if (this.#timer) return;
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), POLL_MS);
  }

  stop() {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  async refresh() {
    if (!(await this.view.load())) return;
    const joined = this.view.current?.membership != null;
    if (this.#joined && !joined && this.view.current?.erased) {
      // Revoked at the last sync: the record is gone and nobody is signed in.
      await session.load();
    }
    this.#joined = joined;
  }
}

export const team = new Team();

/** "3 changes waiting", "Synced 14:02", "Offline since 13:40" for the sidebar. */
export function syncLine(v: TeamView, time: (iso: string) => string): { text: string; tone: 'ok' | 'busy' | 'warn' | 'bad' } {
  const pending = v.membership?.pending ?? 0;
  const waiting = pending === 1 ? '1 change waiting' : `${pending} changes waiting`;
  switch (v.sync.state) {
    case 'syncing':
      return { text: 'Syncing…', tone: 'busy' };
    case 'offline':
      return { text: `Offline since ${time(v.sync.since)}${pending ? ` · ${waiting}` : ''}`, tone: 'warn' };
    case 'failed':
      return { text: `Sync failed${pending ? ` · ${waiting}` : ''}`, tone: 'bad' };
    default:
      if (pending > 0) return { text: waiting, tone: 'busy' };
      if (v.membership?.lastSyncAt) return { text: `Synced ${time(v.membership.lastSyncAt)}`, tone: 'ok' };
      return { text: 'Not synced yet', tone: 'busy' };
  }
}
