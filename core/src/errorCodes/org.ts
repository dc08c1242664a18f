import type { ErrorEntry } from './entry.js';

/**
 * Domain refusals of the org module: a stable code, its HTTP status and the message in
 * both languages. `{name}` marks a parameter the server sends in the field error's `params`.
 */
export const orgErrors = {} as const satisfies Record<string, ErrorEntry>;
