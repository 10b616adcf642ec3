// What the page scripts share: Debian's Chromium through Playwright with the flags this machine needs, the
// RESTART/GO handshake with the JUnit test (PageScript.java), and the ok/FAIL ending the test reads.
import { chromium } from 'playwright-core';
import readline from 'node:readline';

const lines = readline.createInterface({ input: process.stdin });

/** Prints "RESTART"; the promise resolves when the test answers "GO" (the server is back on the same port). */
export function restartRequested() {
  const go = new Promise((resolve) => lines.once('line', resolve));
  console.log('RESTART');
  return go;
}

/** Runs {@code test(page)} in a fresh headless Chromium; prints "ok" and exits 0, or the failure and exits 1. */
export async function runPage(test) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    await test(await browser.newPage());
    console.log('ok');
    await browser.close();
    process.exit(0);
  } catch (e) {
    console.log(`FAIL: ${e.stack || e}`);
    await browser.close();
    process.exit(1);
  }
}
