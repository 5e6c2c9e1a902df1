//! One customer's page: everything the core's `customer_detail` returns, plus the actions a
//! manager takes from it (resolve a red flag) and a rep (complete a follow-up).
import { call } from '$lib/api/ipc';
import { Resource } from '$lib/state/async.svelte';
import type { CustomerDetail } from '$lib/api/bindings/CustomerDetail';

export class CustomerPage extends Resource<CustomerDetail | null> {
  readonly id: string;

  constructor(id: string) {
    super(() => call('customer_detail', id), null);
    this.id = id;
  }

  /** The page's content, once loaded. */
  get detail(): CustomerDetail | null {
    return this.current;
  }

  async resolveFlag(observationId: string, note: string) {
    await call('resolve_red_flag', { observationId, note, on: null });
    await this.load();
  }

  /** Archives or restores the customer, then reloads the page. */
  async setArchived(archived: boolean) {
    await call('archive_customer', { id: this.id, archived });
    await this.load();
  }

  async completeFollowUp(id: string) {
    await call('complete_follow_up', id);
    await this.load();
  }
}
