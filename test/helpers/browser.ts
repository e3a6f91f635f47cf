// Debian's Chromium driven by playwright-core, for the end-to-end tests of the real UI.
// The Electron binary cannot be downloaded everywhere, so the UI is tested in Chromium
// against the headless server; a missing Chromium is an error that says how to install it.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  const exe = process.env.AQUEDUCT_CHROMIUM ?? '/usr/bin/chromium';
  if (!fs.existsSync(exe)) {
    throw new Error(
      `Chromium not found at ${exe}. The end-to-end tests need Debian's Chromium: run \`sudo apt-get install chromium\` ` +
        '(or `npm test`, which installs it), or set AQUEDUCT_CHROMIUM to a Chromium binary.',
    );
  }
  return exe;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}

export interface OpenPageOptions {
  colorScheme?: 'light' | 'dark';
  width?: number;
  height?: number;
}

/** A fresh page (own context) at `url`, with console errors and page errors collected. */
export async function openPage(browser: Browser, url: string, o: OpenPageOptions = {}): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: o.width ?? 1440, height: o.height ?? 900 },
    colorScheme: o.colorScheme ?? 'light',
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  return { page, errors };
}

export const SCREENSHOTS = path.resolve('test/e2e/screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
