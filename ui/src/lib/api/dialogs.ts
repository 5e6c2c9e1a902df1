//! Native file dialogs (Tauri dialog plugin). They only return a path the user chose; reading and
//! checking the file is the core's job.
//!
//! End-to-end tests cannot click in a native dialog, so a test may queue the next answer with
//! `window.__enduseNextPick = ['/abs/path']` through WebDriver before clicking the button. Nothing
//! else sets it; an absent queue means the real dialog opens.
import { open, save } from '@tauri-apps/plugin-dialog';

declare global {
  interface Window {
    __enduseNextPick?: string[] | null;
  }
}

function queued(): string[] | null {
  const next = window.__enduseNextPick;
  if (!Array.isArray(next)) return null;
  window.__enduseNextPick = null;
  return next;
}

export async function pickFile(title: string, extensions: string[], name: string): Promise<string | null> {
  const q = queued();
  if (q) return q[0] ?? null;
  const path = await open({ title, multiple: false, directory: false, filters: [{ name, extensions }] });
  return typeof path === 'string' ? path : null;
}

export async function pickFiles(title: string, extensions: string[], name: string): Promise<string[]> {
  const q = queued();
  if (q) return q;
  const paths = await open({ title, multiple: true, directory: false, filters: [{ name, extensions }] });
  return Array.isArray(paths) ? paths : typeof paths === 'string' ? [paths] : [];
}

export interface FileFilter {
  name: string;
  extensions: string[];
}

const CSV: FileFilter = { name: 'CSV', extensions: ['csv'] };

export async function pickSavePath(
  title: string,
  defaultPath: string,
  filter: FileFilter = CSV,
): Promise<string | null> {
  const q = queued();
  if (q) return q[0] ?? null;
  return save({ title, defaultPath, filters: [filter] });
}

/** An existing folder (e.g. where to write one PDF per letter). */
export async function pickFolder(title: string): Promise<string | null> {
  const q = queued();
  if (q) return q[0] ?? null;
  const path = await open({ title, multiple: false, directory: true });
  return typeof path === 'string' ? path : null;
}
