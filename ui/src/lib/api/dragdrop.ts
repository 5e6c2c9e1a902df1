//! Files dropped on the window. The shell turns a drop into tokens, as if the files had been
//! picked to attach as signed documents (see dialogs.ts), and sends them in its own event; the
//! webview's drag-drop event only drives the "drop here" look.
import { listen } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import type { PickedFile } from './bindings/PickedFile';

export type DropState = { kind: 'over' } | { kind: 'leave' } | { kind: 'drop'; files: PickedFile[] };

/** Calls `handler` on drag-over, leave and drop; returns the unsubscribe function. */
export async function onFileDrop(handler: (e: DropState) => void): Promise<() => void> {
  const unDrag = await getCurrentWebview().onDragDropEvent((event) => {
    const p = event.payload;
    if (p.type === 'drop' || p.type === 'leave') handler({ kind: 'leave' });
    else handler({ kind: 'over' });
  });
  const unDrop = await listen<PickedFile[]>('enduse://files-dropped', (event) =>
    handler({ kind: 'drop', files: event.payload }),
  );
  return () => {
    unDrag();
    unDrop();
  };
}
