//! The app session: what the shell reports about itself, who is signed in, and who could be.
import { call } from '$lib/api/ipc';
import type { AppInfo } from '$lib/api/bindings/AppInfo';
import type { Role } from '$lib/api/bindings/Role';
import type { User } from '$lib/api/bindings/User';
import { Action } from '$lib/state/async.svelte';
import { i18n, m } from '$lib/i18n';

/** Each role named for people, in the app's language (getters: read at render, so a language change shows). */
export const ROLE_LABEL: Record<Role, string> = {
  get sales_rep() {
    return m.role_sales_rep();
  },
  get compliance_manager() {
    return m.role_compliance_manager();
  },
  get admin() {
    return m.role_admin();
  },
};

export function roleLabel(role: Role): string {
  return ROLE_LABEL[role];
}

export class Session {
  info = $state<AppInfo | null>(null);
  user = $state<User | null>(null);
  users = $state<User[]>([]);
  /** An admin has set a passphrase: everyone gives theirs before acting. */
  passphrasesRequired = $state(false);
  /** Who has a passphrase (they give it when chosen, even where not required). */
  passphraseUsers = $state<string[]>([]);
  minPassphraseChars = $state(10);
  /** True once someone is signed in and first-run steps are over. */
  ready = $state(false);

  isManager = $derived(this.user?.role === 'compliance_manager');
  /** Managers and admins see the whole programme; reps their own customers. */
  seesEverything = $derived(this.user !== null && this.user.role !== 'sales_rep');
  /** Creating campaigns, chasing, templates and the letterhead: not for sales reps (the core refuses them too). */
  runsCampaigns = $derived(this.user !== null && this.user.role !== 'sales_rep');

  /** Reading the session (at start, and after joining or leaving a team). */
  readonly #opening = new Action(async () => {
    await this.refresh();
    this.ready = this.user !== null;
  });
  #asked = $state(false);

  /** The app shows its splash until the first read settles, and while any read runs. */
  get loading(): boolean {
    return !this.#asked || this.#opening.busy;
  }
  /** Why the session could not be read (the database would not open): the app's fatal screen. */
  get error() {
    return this.#opening.error;
  }

  async load() {
    this.#asked = true;
    await this.#opening.run();
  }

  /** Re-reads the session (after users or passphrases changed) without leaving the app. */
  async refresh() {
    const s = await call('session');
    this.info = s.app;
    this.user = s.user;
    if (s.user) i18n.forUser(s.user.id);
    this.users = s.users;
    this.passphrasesRequired = s.passphrasesRequired;
    this.passphraseUsers = s.passphraseUsers;
    this.minPassphraseChars = s.minPassphraseChars;
  }

  /** Whether `user` must give their passphrase to sign in. */
  needsPassphrase(user: User): boolean {
    return this.passphrasesRequired || this.passphraseUsers.includes(user.id);
  }

  /** Signs in; a user who must prove themselves gives `passphrase` (a wrong one throws). */
  async signIn(id: string, passphrase?: string) {
    this.user = await call('sign_in', passphrase === undefined ? { userId: id } : { userId: id, passphrase });
    i18n.forUser(this.user.id);
    this.ready = true;
  }

  async signOut() {
    await call('sign_out');
    this.user = null;
    this.ready = false;
    await this.refresh();
  }
}

export const session = new Session();
