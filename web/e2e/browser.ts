import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { nextCode } from './totp';

/** Debian's Chromium, headless, with nothing reaching outside this machine. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Logs in through the login form. The administrators (admin, security, auditor) must use
 * a second factor: at their first login in a run the console shows only the enrolment
 * screen, which this goes through as a person would (QR secret, code, recovery codes);
 * after that it types the authenticator's code when the form asks for it.
 */
export async function loginAs(page: Page, baseUrl: string, username: string, password = 'Demo@2026') {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  const left = page.waitForURL((u) => !u.pathname.startsWith('/login'));
  const asked = page.getByTestId('login-totp').waitFor();
  await Promise.race([left, asked]);
  // The loser of the race is left waiting; its failure is of no interest.
  left.catch(() => undefined);
  asked.catch(() => undefined);
  if (new URL(page.url()).pathname.startsWith('/login')) {
    await page.getByTestId('login-totp').fill(await nextCode(username));
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  }
  const me = await page.evaluate(async () => (await fetch('/api/me')).json());
  if (me.totpRequired && !me.totpEnabled) await enrolAuthenticator(page, username);
}

/** The forced enrolment screen of an account whose role requires TOTP. */
async function enrolAuthenticator(page: Page, username: string) {
  await page.getByTestId('totp-start').click();
  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/[^A-Z2-7]/g, '');
  await page.getByTestId('totp-code').fill(await nextCode(username, secret));
  await page.getByTestId('totp-confirm').click();
  await page.getByTestId('totp-recovery').waitFor();
  await page.getByTestId('totp-done').click();
  await page.getByTestId('side-menu').waitFor();
}

/**
 * Picks `label` in an Ant Design Select and waits until the select shows it and its list has
 * closed. A click that lands while the list is re-rendering (its options arrive after it
 * opens) is lost; so the pick is checked and tried again, rather than trusted.
 */
export async function chooseOption(page: Page, select: Locator, label: string) {
  // antd 6 shows a single select's value as the text of `.ant-select-content-has-value`.
  const chosen = select.locator('.ant-select-content-has-value', { hasText: label });
  for (let attempt = 0; attempt < 5 && !(await chosen.isVisible()); attempt++) {
    if ((await page.locator('.ant-select-dropdown:visible').count()) === 0) await select.click();
    const option = page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`);
    await option.waitFor();
    await option.click();
    await chosen.waitFor({ timeout: 5_000 }).catch(() => undefined);
  }
  await chosen.waitFor();
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count(), { timeout: 15_000 }).toBe(0);
}
