//! A form's errors, written once: the whole form is checked on the first submit (every problem
//! at once, beside its field, in the user's words), and from then on as the user types, so an
//! error goes away as soon as the field is fixed. A field the user has left is checked too. What
//! the core still refuses lands beside the field it names (see `errors.ts`) and is dropped as soon
//! as that field is edited, so a stale error never blocks the next submit.
//!
//! The form's element tells this which field an edit belongs to: each `Field` carries
//! `data-field` (its core path), and the form's `oninput` / `onfocusout` report it here.
import { tick } from 'svelte';
import { Action } from '$lib/state/async.svelte';
import { type FieldErrors, type Labels, placeError } from './errors';

export interface FormOptions {
  /** Every problem of the current values, by field path, in the user's words. */
  validate: () => FieldErrors;
  labels: Labels;
  /** The field paths this form shows (`follow_ups[].due_on` for a list's rows). */
  keys: readonly string[];
  /** Core field names that mean one of this form's fields (`customer` -> `customer_id`). */
  aliases?: Record<string, string>;
}

export class Form {
  /** True once a submit was tried: from then on every field's problems show. */
  submitted = $state(false);
  /** Why the core refused a save when it named no field of this form. */
  general = $state<string | null>(null);
  #touched = $state.raw<ReadonlySet<string>>(new Set());
  #server = $state.raw<FieldErrors>({});
  #options: FormOptions;
  readonly #saving = new Action((save: () => Promise<void>) => save());

  constructor(options: FormOptions) {
    this.#options = options;
  }

  /** True while a save runs. */
  get busy(): boolean {
    return this.#saving.busy;
  }

  /** The problems to show now: the core's, then the form's own for fields shown so far. */
  get errors(): FieldErrors {
    const own = this.#options.validate();
    const shown: FieldErrors = { ...this.#server };
    for (const [key, message] of Object.entries(own)) {
      if (this.submitted || this.#touched.has(key)) shown[key] = message;
    }
    return shown;
  }

  /** The error beside one field. */
  error(key: string): string | null {
    return this.errors[key] ?? null;
  }

  /** How many fields need attention, with their labels (for the line above the buttons). */
  get summary(): string[] {
    return Object.keys(this.errors);
  }

  /** The form element's `oninput` / `onchange`: the edited field's core error is dropped. */
  edited = (e: Event) => {
    const key = keyOf(e.target);
    if (key && key in this.#server) {
      const { [key]: _, ...rest } = this.#server;
      this.#server = rest;
    }
    this.general = null;
  };

  /** The form element's `onfocusout`: a field left once shows its problems from then on. */
  left = (e: FocusEvent) => {
    const key = keyOf(e.target);
    if (key && !this.#touched.has(key)) this.#touched = new Set([...this.#touched, key]);
  };

  /**
   * Checks the whole form; when it holds, runs `save`. A refusal of the core is placed beside its
   * field. Focus goes to the first field with a problem. Resolves to true when saved.
   */
  async submit(form: HTMLFormElement | null, save: () => Promise<void>): Promise<boolean> {
    this.submitted = true;
    this.general = null;
    if (Object.keys(this.#options.validate()).length > 0) {
      await focusFirstInvalid(form);
      return false;
    }
    if ((await this.#saving.run(save)).ok) return true;
    const error = this.#saving.error;
    if (error) {
      const { key, message } = placeError(error, this.#options.keys, this.#options.labels, this.#options.aliases);
      if (key) this.#server = { ...this.#server, [key]: message };
      else this.general = error.field ? message : error.message;
    }
    await focusFirstInvalid(form);
    return false;
  }

  /** Starts over (a new record after "log another"). */
  reset() {
    this.submitted = false;
    this.general = null;
    this.#touched = new Set();
    this.#server = {};
  }
}

function keyOf(target: EventTarget | null): string | null {
  return target instanceof Element ? (target.closest('[data-field]')?.getAttribute('data-field') ?? null) : null;
}

async function focusFirstInvalid(form: HTMLFormElement | null) {
  await tick();
  const el = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
  el?.scrollIntoView({ block: 'center' });
  el?.focus();
}
