//! What a control inside a `Field` can tell it: a problem the control found in what was typed
//! (a date that does not exist), shown where the field shows its errors.
import { getContext, setContext } from 'svelte';

export interface FieldContext {
  report(problem: string | null): void;
}

const KEY = Symbol('field');

export function provideField(ctx: FieldContext) {
  setContext(KEY, ctx);
}

export function fieldContext(): FieldContext | undefined {
  return getContext<FieldContext | undefined>(KEY);
}
