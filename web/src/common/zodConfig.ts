import { z } from 'zod';

/**
 * zod compiles object parsers with `new Function` when it may; our Content-Security-Policy
 * allows no eval, and zod's probe for it is reported as a CSP violation on every page. The
 * browser parses few and small objects, so the interpreted path costs nothing noticeable.
 * Imported first by each entry point, before any schema parses.
 */
z.config({ jitless: true });
