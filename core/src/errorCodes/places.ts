import type { ErrorEntry } from './entry.js';

/**
 * Domain refusals of the places module: a stable code, its HTTP status and the message in
 * both languages. `{name}` marks a parameter the server sends in the field error's `params`.
 */
export const placesErrors = {} as const satisfies Record<string, ErrorEntry>;
