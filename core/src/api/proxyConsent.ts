import { z } from 'zod';
import { consentMethods } from '../proxy/consent.js';

/**
 * The resident's consent an application taken in on the resident's behalf (帮办代办,
 * channel "proxy") must carry. Apart from api/proxy.ts so the intake schema in
 * api/services.ts can hold it without a cycle.
 */

export { consentMethodNames, consentMethods } from '../proxy/consent.js';

export const proxyConsent = z.object({
  method: z.enum(consentMethods),
  /** When the resident agreed; not in the future. */
  at: z.iso.datetime({ offset: true }),
  /** The photo of the signed form (POST /api/files): required for `signedForm`. */
  fileId: z.string().uuid().optional(),
  /** What the resident said, as the agent recorded it (verbal consent). */
  note: z.string().trim().max(500).optional(),
});
export type ProxyConsent = z.infer<typeof proxyConsent>;

/**
 * The proxy part of `POST /api/applications` with channel "proxy": who carries the matter
 * (by default the user taking it in) and the resident's consent — required (a 4xx naming
 * `proxy.consent` without it).
 */
export const applicationProxy = z.object({
  agentId: z.string().uuid().optional(),
  consent: proxyConsent.optional(),
});
export type ApplicationProxy = z.infer<typeof applicationProxy>;
