//! One customer's page: everything the core's `customer_detail` returns, plus the actions a
//! manager takes from it (resolve a red flag) and a rep (complete a follow-up).
import { call } from '$lib/api/ipc';
import { AppError } from '$lib/api/errors';
import type { CustomerDetail } from '$lib/api/bindings/CustomerDetail';

export class CustomerPage {
  detail = $state<CustomerDetail | null>(null);
  loading = $state(false);
  error = $state<AppError | null>(null);
  readonly id: string;

  constructor(id: string) {
    this.id = id;
  }

  async load() {
    this.loading = true;
    this.error = null;
    try {
      this.detail = await call('customer_detail', this.id);
    } catch (e) {
      this.error = AppError.from(e);
    } finally {
      this.loading = false;
    }
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
