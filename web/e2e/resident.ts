import { readFileSync } from 'node:fs';
import { maskPhone } from '@civicgrid/core';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * A resident on the portal (/r), as the portal's specs drive him: a phone of his own (a
 * 360×640 touch screen, and a client address of his own — the rule is one code a minute per
 * address), signed in by the SMS code the server writes to its outbox.
 */
const baseUrl = process.env.E2E_BASE_URL ?? '';
const outbox = process.env.E2E_SMS_OUTBOX ?? '';
/** E2E_SHOTS=<dir> keeps screenshots of the pages for a person to look at. */
const shots = process.env.E2E_SHOTS;

/** The last code texted to a phone, once it has arrived. */
export async function codeFor(phone: string): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(() => {
      let text = '';
      try {
        text = readFileSync(outbox, 'utf8');
      } catch {}
      const mine = text
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { to: string; text: string })
        .filter((m) => m.to === maskPhone(phone))
        .at(-1);
      code = /\d{6}/.exec(mine?.text ?? '')?.[0];
      return code;
    })
    .toBeDefined();
  return code as string;
}

/** A new phone number each call: no two residents of a run share one. */
let n = 0;
export const newPhone = () => `137${String(Date.now() + n++).slice(-8)}`;

/** A phone's browser page at `address` (X-Forwarded-For, which the e2e server trusts). */
export async function phonePage(browser: Browser, address: string): Promise<Page> {
  const ctx = await browser.newContext({
    viewport: { width: 360, height: 640 },
    isMobile: true,
    hasTouch: true,
    extraHTTPHeaders: { 'x-forwarded-for': address },
  });
  const page = await ctx.newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

/** Signs in on /r with a phone number and the code texted to it; ends on the portal's home. */
export async function signInResident(page: Page, phone = newPhone()): Promise<void> {
  await page.goto(`${baseUrl}/r`);
  await page.getByTestId('r-phone').fill(phone);
  await page.getByTestId('r-get-code').click();
  await page.getByTestId('r-code').fill(await codeFor(phone));
  await page.getByTestId('r-agree').check();
  await page.getByTestId('r-sign-in').click();
  await page.getByTestId('r-account').waitFor();
}

/** A full-page screenshot under E2E_SHOTS, when it is set. */
export async function shot(page: Page, name: string): Promise<void> {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}
