//! The one door to the Rust shell. Every backend call goes through `call`, whose command names, inputs
//! and outputs come from the generated `Commands` map: a command renamed or removed in Rust makes the
//! caller fail type-check. Errors arrive as `{ code, message, field? }` and are rethrown as `AppError`.
//! Long commands that stream progress go through `callWithProgress`.
import { Channel, invoke } from '@tauri-apps/api/core';
import type { Commands } from './bindings/commands';
import { AppError } from './errors';

export type CommandName = keyof Commands;
export type Input<K extends CommandName> = Commands[K]['input'];
export type Output<K extends CommandName> = Commands[K]['output'];

/** Arguments of `call`: nothing for commands without input, the input otherwise. */
type Args<K extends CommandName> = Input<K> extends null ? [] : [input: Input<K>];

export async function call<K extends CommandName>(cmd: K, ...args: Args<K>): Promise<Output<K>> {
  try {
    const payload = args.length === 0 ? {} : { input: args[0] };
    return await invoke<Output<K>>(cmd, payload);
  } catch (e) {
    throw AppError.from(e);
  }
}

/** Commands that stream progress while they run (declared `progress` in the Rust command list). */
export type ProgressCommand = {
  [K in CommandName]: Commands[K] extends { progress: unknown } ? K : never;
}[CommandName];
export type Progress<K extends ProgressCommand> = Commands[K] extends { progress: infer P } ? P : never;

/**
 * Calls a long command, handing each progress value it sends to `onProgress` as it arrives. The
 * Rust handler takes `input` and then `on_progress: Channel<Progress>`.
 */
export async function callWithProgress<K extends ProgressCommand>(
  cmd: K,
  input: Input<K>,
  onProgress: (progress: Progress<K>) => void,
): Promise<Output<K>> {
  const channel = new Channel<Progress<K>>();
  channel.onmessage = onProgress;
  try {
    return await invoke<Output<K>>(cmd, { input, onProgress: channel });
  } catch (e) {
    throw AppError.from(e);
  }
}
