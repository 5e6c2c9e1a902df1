//! Files dropped on the window. WebKit does not give page scripts the paths of dropped files;
//! Tauri's webview drag-drop event does. The core checks every path it is given.
import { getCurrentWebview } from '@tauri-apps/api/webview';

export type DropState = { kind: 'over' } | { kind: 'leave' } | { kind: 'drop'; paths: string[] };

/** Calls `handler` on drag-over, leave and drop; returns the unsubscribe function. */
export async function onFileDrop(handler: (e: DropState) => void): Promise<() => void> {
  return getCurrentWebview().onDragDropEvent((event) => {
    const p = event.payload;
    if (p.type === 'drop') handler({ kind: 'drop', paths: p.paths });
    else if (p.type === 'leave') handler({ kind: 'leave' });
    else handler({ kind: 'over' });
  });
}
