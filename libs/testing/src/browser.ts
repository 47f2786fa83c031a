import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/**
 * Pages tested in a real headless Chromium (playwright-core drives Debian's `chromium`, which
 * `npm test` expects): where it is, how it is started, and the suites skipped, saying why,
 * on a machine without it.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why browser suites cannot run here, or undefined when they can. */
export const CHROMIUM_MISSING: string | undefined = existsSync(CHROMIUM_PATH)
  ? undefined
  : `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;

/** `describe` for a browser suite; without Chromium the suite is skipped with the reason in its name and a warning. */
export function describeInBrowser(name: string, suite: () => void): void {
  if (CHROMIUM_MISSING === undefined) return describe(name, suite);
  console.warn(`${name}: skipped, ${CHROMIUM_MISSING}`);
  describe.skip(`${name} (skipped: ${CHROMIUM_MISSING})`, suite);
}

/** Starts headless Chromium (playwright-core is loaded here only, not by every suite that imports this library). */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}
