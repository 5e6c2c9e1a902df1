//! Settings: the policy values, the letterhead printed on campaign letters, and new users. The
//! forms edit copies; saving sends them to the core, which checks who may change them.
import { call } from '$lib/api/ipc';
import type { LetterSettings } from '$lib/api/bindings/LetterSettings';
import type { NewUser } from '$lib/api/bindings/NewUser';
import type { Policy } from '$lib/api/bindings/Policy';
import { directory } from './directory.svelte';
import { session } from './session.svelte';
import { Action } from './async.svelte';

export class SettingsForms {
  policy = $state<Policy | null>(null);
  letterhead = $state<LetterSettings | null>(null);
  /** The letterhead's address as typed, one line each. */
  addressText = $state('');
  policySaved = $state(false);
  letterheadSaved = $state(false);

  async load() {
    const [policy, letterhead] = await Promise.all([call('policy'), call('letter_settings')]);
    this.policy = policy;
    this.#showLetterhead(letterhead);
  }

  #showLetterhead(l: LetterSettings) {
    this.letterhead = l;
    this.addressText = l.companyAddress.join('\n');
  }

  /** Opens the folder of the app's log in the file manager (for a support request). */
  openLogFolder = new Action(async () => {
    await call('open_log_folder');
  });

  savePolicy = new Action(async () => {
    if (!this.policy) return;
    this.policySaved = false;
    this.policy = await call('set_policy', this.policy);
    this.policySaved = true;
  });

  saveLetterhead = new Action(async () => {
    const l = this.letterhead;
    if (!l) return;
    this.letterheadSaved = false;
    this.#showLetterhead(
      await call('set_letter_settings', {
        ...l,
        companyAddress: this.addressText.split('\n'),
        signatory: l.signatory?.trim() || null,
        signatoryTitle: l.signatoryTitle?.trim() || null,
      }),
    );
    this.letterheadSaved = true;
  });

  /** Adds a user; resolves to the user added. */
  addUser = new Action(async (user: NewUser) => {
    const u = await call('create_user', user);
    session.users = await call('list_users');
    await directory.load(true);
    return u;
  });
  /** Sets a passphrase: one's own, or (admins) another user's. Only its hash is kept. */
  setPassphrase = new Action(async (userId: string, passphrase: string) => {
    await call('set_passphrase', { userId, passphrase });
    await session.refresh();
  });
  /** Disables a user (they can no longer sign in or act; their records stay) or enables them again. */
  setDisabled = new Action(async (userId: string, disabled: boolean) => {
    const u = await call('set_user_disabled', { userId, disabled });
    session.users = await call('list_users');
    await directory.load(true);
    return u;
  });
}
