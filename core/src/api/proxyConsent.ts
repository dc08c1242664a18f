import { z } from 'zod';

/**
 * The resident's consent an application taken in on the resident's behalf (帮办代办,
 * channel "proxy") must carry. Apart from api/proxy.ts so the intake schema in
 * api/services.ts can hold it without a cycle.
 */

/** How the resident agreed: a signed form photographed, or said aloud and recorded by the agent. */
export const consentMethods = ['signedForm', 'verbal'] as const;
export const consentMethodNames: Record<(typeof consentMethods)[number], string> = {
  signedForm: '签字委托书（拍照）',
  verbal: '口头同意（代办员记录）',
};

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
