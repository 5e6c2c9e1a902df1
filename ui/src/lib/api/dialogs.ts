//! Native file dialogs, opened by the shell. The webview never sees or sends a path: it asks for a
//! purpose (which decides the dialog, its filters and which commands accept the answer) and gets
//! back one `PickedFile` per file, a token to pass to that command and the file's name to show.
//! A token is spent by the command that succeeds with it (a dry run keeps it); an old, spent or
//! unknown one is refused with `bad_file_token`, and the user picks again.
//!
//! End-to-end tests queue the next dialog's answer through the shell's debug-only `queue_pick`
//! (ui/e2e/steps.mjs); release builds have no such command.
import { call } from './ipc';
import type { FilePurpose } from './bindings/FilePurpose';
import type { PickedFile } from './bindings/PickedFile';

export type { FilePurpose, PickedFile };

/** Opens the dialog for `purpose`; the files picked, none if cancelled. */
export function pickFiles(purpose: FilePurpose): Promise<PickedFile[]> {
  return call('pick_files', { purpose, suggestedName: null });
}

/** One file (or folder) for `purpose`, or null if cancelled. */
export async function pickFile(purpose: FilePurpose): Promise<PickedFile | null> {
  return (await pickFiles(purpose))[0] ?? null;
}

/** Where to save for `purpose`, the dialog proposing `suggestedName`; null if cancelled. */
export async function pickSave(purpose: FilePurpose, suggestedName: string): Promise<PickedFile | null> {
  return (await call('pick_files', { purpose, suggestedName }))[0] ?? null;
}
