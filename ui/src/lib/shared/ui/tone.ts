/** Badge and message tones, shared by every domain. */
export type Tone = 'ok' | 'warn' | 'danger' | 'info' | 'neutral';
