//! Errors as the shell sends them. The UI switches on `code` (a closed set generated from Rust) and
//! shows `message`; it never parses message text. `field` names the input field at fault, if any.
//! A refused value that carries a `problem` (code + parameters) has its `message` worded in the
//! app's language (`shared/problems.ts`); the core's English stays in `english`.
import { i18n } from '$lib/i18n';
import { problemText } from '$lib/shared/problems';
import type { IpcCode } from './bindings/IpcCode';
import type { IpcError } from './bindings/IpcError';
import type { Problem } from './bindings/Problem';
import type { RowError } from './bindings/RowError';

export class AppError extends Error {
  readonly code: IpcCode | 'ipc';
  readonly field: string | null;
  /** Every bad row of a refused import. */
  readonly rows: RowError[];
  /** A refused value as a code and parameters, when the core gave them. */
  readonly problem: Problem | null;
  /** The core's English message (the CLI's words), whatever the app's language. */
  readonly english: string;

  constructor(
    code: IpcCode | 'ipc',
    message: string,
    field: string | null = null,
    rows: RowError[] = [],
    problem: Problem | null = null,
  ) {
    super(problem ? problemText(problem, fieldWords(field)) : message);
    this.name = 'AppError';
    this.code = code;
    this.field = field;
    this.rows = rows;
    this.problem = problem;
    this.english = message;
  }

  static from(e: unknown): AppError {
    if (e instanceof AppError) return e;
    if (isIpcError(e)) return new AppError(e.code, e.message, e.field ?? null, e.rows ?? [], e.problem ?? null);
    // Anything else is a transport failure (command missing, panic, payload mismatch).
    return new AppError('ipc', e instanceof Error ? e.message : String(e));
  }
}

/**
 * A field path as words when no form gives its label (`follow_ups[0].due_on` -> `Due on`); in
 * Chinese the sentence says "this field" rather than show the English path.
 */
function fieldWords(field: string | null): string {
  if (i18n.locale !== 'en') return '';
  const words = (field ?? '').replace(/\[\d+\]/g, '').replace(/^.*\./, '').replace(/_/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : '';
}

function isIpcError(e: unknown): e is IpcError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}

/** The message for one field, for showing beside it in a form. */
export function fieldError(error: AppError | null, field: string): string | null {
  return error && error.field === field ? error.message : null;
}
