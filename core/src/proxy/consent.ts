/**
 * How a resident agrees to a proxy application (帮办代办): a signed form photographed, or said
 * aloud and recorded by the agent. Plain data without zod, so the field app (/m) can show the
 * choices without carrying a schema library.
 */
export const consentMethods = ['signedForm', 'verbal'] as const;
export type ConsentMethod = (typeof consentMethods)[number];
export const consentMethodNames: Record<ConsentMethod, string> = {
  signedForm: '签字委托书（拍照）',
  verbal: '口头同意（代办员记录）',
};
