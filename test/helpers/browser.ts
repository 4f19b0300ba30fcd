// SPDX-License-Identifier: GPL-3.0-or-later
// Debian's Chromium, headless, driven by playwright-core: the tests look at Netdata's dashboard as a
// person's browser draws it. Closed when the test ends, pass or fail; playwright gives it a fresh
// profile in a private temporary directory and removes it on close.
import type { ExecutionContext } from 'ava';
import { chromium, type Browser } from 'playwright-core';

/** Debian's package `chromium` (scripts/setup.sh installs it for the tests). */
export const chromiumPath = '/usr/bin/chromium';

// No sandbox (root in a container has no user namespaces for it); nothing fetched from the Internet
// beyond what the page itself asks for.
const flags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const browserFor = async (t: ExecutionContext): Promise<Browser> => {
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: flags });
  t.teardown(async () => {
    await browser.close();
  });
  return browser;
};
