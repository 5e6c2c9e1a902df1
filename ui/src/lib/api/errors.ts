//! Errors as the shell sends them. The UI switches on `code` (a closed set generated from Rust) and
//! shows `message`; it never parses message text. `field` names the input field at fault, if any.
import type { IpcCode } from './bindings/IpcCode';
import type { IpcError } from './bindings/IpcError';
import type { RowError } from './bindings/RowError';

export class AppError extends Error {
  readonly code: IpcCode | 'ipc';
  readonly field: string | null;
  /** Every bad row of a refused import. */
  readonly rows: RowError[];

  constructor(
    code: IpcCode | 'ipc',
    message: string,
    field: string | null = null,
    rows: RowError[] = [],
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = field;
    this.rows = rows;
  }

  static from(e: unknown): AppError {
    if (e instanceof AppError) return e;
    if (isIpcError(e)) return new AppError(e.code, e.message, e.field ?? null, e.rows ?? []);
    // Anything else is a transport failure (command missing, panic, payload mismatch).
    return new AppError('ipc', e instanceof Error ? e.message : String(e));
  }
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
