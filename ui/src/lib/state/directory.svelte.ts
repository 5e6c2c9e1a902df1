//! People and places the forms pick from: users (owners, reps) and the countries customers are in.
//! Loaded once, refreshed after changes that add either.
import { call } from '$lib/api/ipc';
import type { User } from '$lib/api/bindings/User';

export class Directory {
  users = $state<User[]>([]);
  countries = $state<string[]>([]);
  #loaded = false;

  reps = $derived(this.users.filter((u) => !u.archived && u.role === 'sales_rep'));

  nameOf(id: string | null | undefined): string {
    if (!id) return '';
    return this.users.find((u) => u.id === id)?.name ?? 'Unknown user';
  }

  async load(force = false) {
    if (this.#loaded && !force) return;
    this.#loaded = true;
    const [users, countries] = await Promise.all([call('list_users'), call('customer_countries')]);
    this.users = users;
    this.countries = countries;
  }
}

export const directory = new Directory();
