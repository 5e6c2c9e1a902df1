//! Native file dialogs (Tauri dialog plugin). They only return a path the user chose; reading and
//! checking the file is the core's job.
import { open, save } from '@tauri-apps/plugin-dialog';

export async function pickFile(title: string, extensions: string[], name: string): Promise<string | null> {
  const path = await open({ title, multiple: false, directory: false, filters: [{ name, extensions }] });
  return typeof path === 'string' ? path : null;
}

export async function pickFiles(title: string, extensions: string[], name: string): Promise<string[]> {
  const paths = await open({ title, multiple: true, directory: false, filters: [{ name, extensions }] });
  return Array.isArray(paths) ? paths : typeof paths === 'string' ? [paths] : [];
}

export async function pickSavePath(title: string, defaultPath: string): Promise<string | null> {
  return save({ title, defaultPath, filters: [{ name: 'CSV', extensions: ['csv'] }] });
}
