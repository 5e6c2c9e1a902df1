//! The team in the app (issue 15): the status the shell reports (membership, background sync,
//! refused changes, conflicts, an erased record's notice), polled every few seconds while the
//! app runs so the sidebar and Settings → Team stay current without blocking anything; and the
//! user's actions (join, sync now, leave, dismiss the notice).
import { call } from '$lib/api/ipc';
import { m } from '$lib/i18n';
import { counted } from '$lib/shared/format';
import type { JoinInput } from '$lib/api/bindings/JoinInput';
import type { TeamDecision } from '$lib/api/bindings/TeamDecision';
import type { TeamView } from '$lib/api/bindings/TeamView';
import { Action, Resource } from '$lib/state/async.svelte';
import { reviewCount } from '$lib/state/reviews.svelte';
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
  reapply = new Action<[number], void>(async (id) => {
    await call('reapply_conflict', id);
    await this.view.load();
  });
  dismiss = new Action<[], void>(async () => {
    await call('dismiss_team_erased');
    await this.view.load();
  });

  /** Decisions teammates made on my work (Home's inbox). */
  decisions = new Resource<TeamDecision[]>(() => call('team_decisions'), []);
  /** The newest decision shown; a newer one after a sync is announced. */
  #seenDecision = 0;
  /** The last sync report seen (a new one that pulled something refreshes what depends on it). */
  #lastReport: unknown = null;

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
    if (!joined || !session.user) return;
    // What is already here when the app first sees the team is the inbox, not news: marked seen
    // at once, so that any decision a later sync brings is notified, however soon it comes.
    if (this.#seenDecision === 0) await this.#pulled();
    const report = this.view.current?.lastReport ?? null;
    if (report && report !== this.#lastReport && JSON.stringify(report) !== JSON.stringify(this.#lastReport)) {
      this.#lastReport = report;
      // Any new report: a background sync between two polls may have pulled what this one did not.
      await this.#pulled();
    }
  }

  /** After a sync brought the team's changes: the inbox, a notification of a new decision, the review count. */
  async #pulled() {
    if (await this.decisions.load()) {
      const newest = this.decisions.current[0];
      if (newest && this.#seenDecision !== 0 && newest.seq > this.#seenDecision) void notify(newest);
      this.#seenDecision = Math.max(this.#seenDecision, newest?.seq ?? 0, 1);
    }
    if (session.user?.role !== 'sales_rep') {
      try {
        reviewCount.value = (await call('review_queue', { limit: 1 })).total;
      } catch {
        /* the count is refreshed by the queue's own screen */
      }
    }
  }
}

export const team = new Team();

/** "3 changes waiting", "Synced 14:02", "Offline since 13:40" for the sidebar. */
export function syncLine(v: TeamView, time: (iso: string) => string): { text: string; tone: 'ok' | 'busy' | 'warn' | 'bad' } {
  const pending = v.membership?.pending ?? 0;
  const waiting = m.count_changes_waiting(counted(pending));
  switch (v.sync.state) {
    case 'syncing':
      return { text: m.sync_syncing(), tone: 'busy' };
    case 'offline': {
      const since = time(v.sync.since);
      return { text: pending ? m.sync_offline_waiting({ time: since, waiting }) : m.sync_offline({ time: since }), tone: 'warn' };
    }
    case 'failed':
      return { text: pending ? m.sync_failed_waiting({ waiting }) : m.sync_failed(), tone: 'bad' };
    default:
      if (pending > 0) return { text: waiting, tone: 'busy' };
      if (v.membership?.lastSyncAt) return { text: m.sync_synced({ time: time(v.membership.lastSyncAt) }), tone: 'ok' };
      return { text: m.sync_not_yet(), tone: 'busy' };
  }
}

/**
 * The desktop notification of a decision: the shell shows it through Tauri's notification plugin
 * (its text is the core's); where the system has no notification service, the web view's
 * Notification API when allowed. The inbox on Home shows it either way.
 */
async function notify(d: TeamDecision) {
  try {
    if (await call('notify_decision', d.seq)) return;
  } catch {
    /* fall back to the web view's API */
  }
  const title = d.customerName ? `${d.title}: ${d.customerName}` : d.title;
  const body = [d.by ? m.team_by({ who: d.by }) : '', d.reason ?? ''].filter(Boolean).join(' · ');
  try {
    if (typeof Notification === 'undefined') return;
    if (Notification.permission === 'granted') new Notification(title, { body });
    else if (Notification.permission !== 'denied')
      void Notification.requestPermission().then((p) => {
        if (p === 'granted') new Notification(title, { body });
      });
  } catch {
    /* no notifications here: the inbox on Home shows it */
  }
}
