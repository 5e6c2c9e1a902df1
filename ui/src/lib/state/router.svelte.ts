//! Which screen is showing. The app has no URLs worth sharing, so a route is a plain value; the
//! history stack lets "Back" return to the list a record was opened from.
import type { CustomerSort } from '$lib/api/bindings/CustomerSort';
import type { CustomerState } from '$lib/api/bindings/CustomerState';

export type Route =
  | { name: 'home' }
  | { name: 'customers'; state?: CustomerState; ownerId?: string; sort?: CustomerSort }
  | { name: 'customer'; id: string }
  | { name: 'customer-form'; id?: string }
  | { name: 'amend'; id: string }
  | { name: 'visit'; customerId?: string }
  | { name: 'attestation'; customerId?: string }
  | { name: 'reviews' }
  | { name: 'letters'; customerId?: string }
  | { name: 'letter-register' }
  | { name: 'campaigns' }
  | { name: 'campaign'; id: string }
  | { name: 'new-campaign' }
  | { name: 'templates' }
  | { name: 'check' }
  | { name: 'audit' }
  | { name: 'reports' }
  | { name: 'settings' }
  | { name: 'screening' }
  | { name: 'lists' }
  | { name: 'hit'; id: string };

export type RouteName = Route['name'];

export class Router {
  current = $state<Route>({ name: 'home' });
  #history: Route[] = [];

  go(route: Route) {
    this.#history.push(this.current);
    this.current = route;
  }

  back() {
    this.current = this.#history.pop() ?? { name: 'home' };
  }
}

export const router = new Router();
