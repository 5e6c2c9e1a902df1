//! The app session: what the shell reports about itself and, once known, the user acting.
import { call } from '$lib/api/ipc';
import type { AppInfo } from '$lib/api/bindings/AppInfo';
import { AppError } from '$lib/api/errors';

export class Session {
  info = $state<AppInfo | null>(null);
  loading = $state(true);
  error = $state<AppError | null>(null);

  async load() {
    this.loading = true;
    this.error = null;
    try {
      this.info = await call('app_info');
    } catch (e) {
      this.error = AppError.from(e);
    } finally {
      this.loading = false;
    }
  }
}

export const session = new Session();
