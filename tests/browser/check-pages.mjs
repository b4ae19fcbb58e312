// Opens each HTML page given on the command line in headless Chromium (Debian's, at CHROMIUM or /usr/bin/chromium) and fails
// on any console error or uncaught exception, on a page that does not finish drawing, or on a missing key element; it saves a
// full-page screenshot beside each page (NAME.png). Usage: node check-pages.mjs PAGE.html[:id,id,...] ...
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
let failed = 0;
for (const arg of process.argv.slice(2)) {
  const [file, ids = ''] = arg.split(':');
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on('console', m => { if (m.type() === 'error') errors.push('console.error: ' + m.text()); });
  page.on('pageerror', e => errors.push('uncaught: ' + e.message));
  page.on('request', r => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) errors.push('network request: ' + r.url()); });
  await page.goto(pathToFileURL(file).href);
  try {
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 20000 });
  } catch { errors.push('the page did not finish drawing (body[data-rendered] never set)'); }
  for (const id of ids.split(',').filter(Boolean)) {
    const ok = await page.evaluate(i => { const e = document.getElementById(i); if (!e) return false;
      return e.classList.contains('chart') ? e.querySelector('canvas') !== null : e.textContent.trim().length > 0; }, id);
    if (!ok) errors.push(`#${id} is missing or empty`);
  }
  await page.screenshot({ path: file.replace(/\.html$/, '.png'), fullPage: true });
  console.log(errors.length ? `FAILED ${file}\n  ${errors.join('\n  ')}` : `ok ${file} (screenshot ${file.replace(/\.html$/, '.png')})`);
  failed += errors.length ? 1 : 0;
  await page.close();
}
await browser.close();
process.exit(failed ? 1 : 0);
