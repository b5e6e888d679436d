'use strict';
// login.js: the login page in a real browser, Debian's chromium driven by
// playwright-core (no browser download). Run by tests/e2e/browser.sh:
//   node login.js BASE_URL
// Prints unnumbered TAP lines ("ok - name", "not ok - name", "# ...");
// browser.sh numbers them. Screenshots go to $QA_SCREENSHOT_DIR if set.

const { chromium } = require('playwright-core');
const path = require('path');

const base = process.argv[2];
const shots = process.env.QA_SCREENSHOT_DIR || '';
const executablePath = process.env.QA_CHROMIUM || '/usr/bin/chromium';
let failed = 0;

function ok(cond, name, diag) {
  console.log(`${cond ? 'ok' : 'not ok'} - ${name}`);
  if (!cond) {
    failed++;
    if (diag) console.log(String(diag).replace(/\x1b\[[0-9;]*m/g, '').replace(/^/gm, '#   '));
  }
}
function is(got, want, name) {
  ok(got === want, name, `got:  ${JSON.stringify(got)}\nwant: ${JSON.stringify(want)}`);
}

async function screenshot(page, name) {
  if (shots) await page.screenshot({ path: path.join(shots, name), fullPage: true });
}

// The text of a field's <label>s (empty when it has none).
function labelOf(page, id) {
  return page.evaluate((i) => {
    const el = document.getElementById(i);
    return el && el.labels ? Array.from(el.labels).map((l) => l.textContent.trim()).join(' ') : '';
  }, id);
}

async function run(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(5000);

  // Everything the page complains about: console errors (Chromium reports
  // CSP violations there too), uncaught exceptions, violation events, and
  // sub-resources that failed to load.
  const problems = [];
  // (Chromium also logs "Failed to load resource" for the 503 login answer,
  // which is expected: failed sub-resources are caught by 'response' below.)
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource: the server responded'))
      problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`exception: ${e}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'document' && r.status() >= 400)
      problems.push(`${r.status()}: ${r.url()}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });

  // ---- English login page
  const resp = await page.goto(`${base}/cgi-bin/qmailadmin`);
  is(resp.status(), 200, 'login page: 200');
  const h = resp.headers();
  ok(/default-src 'none'/.test(h['content-security-policy'] || ''), "header: CSP default-src 'none'",
    h['content-security-policy']);
  ok(/frame-ancestors 'none'/.test(h['content-security-policy'] || ''), "header: CSP frame-ancestors 'none'");
  is(h['x-content-type-options'], 'nosniff', 'header: X-Content-Type-Options');
  is(h['x-frame-options'], 'DENY', 'header: X-Frame-Options');
  is(h['referrer-policy'], 'no-referrer', 'header: Referrer-Policy');
  is(h['cache-control'], 'no-store', 'header: Cache-Control');
  ok((await page.title()).trim() !== '', 'page has a title', await page.title());
  is((await page.textContent('h1')).trim(), 'Log in', 'h1 is "Log in"');
  is(await page.getAttribute('html', 'lang'), 'en', 'html lang="en"');
  ok((await labelOf(page, 'user')) !== '', 'the user field has a label');
  ok((await labelOf(page, 'password')) !== '', 'the password field has a label');
  is(await page.getAttribute('#password', 'type'), 'password', 'the password is masked');
  ok(await page.isVisible('#login-submit'), 'the submit button is visible');
  const styled = await page.evaluate(() => Array.from(document.styleSheets)
    .some((s) => (s.href || '').endsWith('/qmailadmin-static/style.css') && s.cssRules.length > 0));
  ok(styled, 'the stylesheet is loaded and has rules');
  await screenshot(page, 'login-en.png');

  // ---- switch to Swedish; the cookie keeps it
  await Promise.all([page.waitForURL(/lang=sv/), page.click('#lang-sv')]);
  is((await page.textContent('h1')).trim(), 'Logga in', 'Swedish link: h1 is "Logga in"');
  is(await page.getAttribute('html', 'lang'), 'sv', 'Swedish link: html lang="sv"');
  await page.goto(`${base}/cgi-bin/qmailadmin`);
  is((await page.textContent('h1')).trim(), 'Logga in', 'plain URL again: still Swedish (cookie)');
  await screenshot(page, 'login-sv.png');

  // ---- log in: no helper is installed yet, so 503 with the form again
  await page.fill('#user', 'postmaster@example.test');
  await page.fill('#password', 'not-the-password');
  const [post] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.click('#login-submit'),
  ]);
  await page.waitForLoadState('load');
  is(post.status(), 503, 'submit: 503 (no helper yet)');
  is(new URL(post.url()).pathname, '/cgi-bin/qmailadmin/login', 'submit: posted to /login');
  const error = page.locator('[role=alert], [id*=error], [class*=error]').first();
  ok(await error.isVisible(), 'submit: an error message is shown');
  ok(((await error.textContent()) || '').trim() !== '', 'submit: the error message has text');
  is(await page.inputValue('#user'), 'postmaster@example.test', 'submit: the user name is kept');
  is(await page.inputValue('#password'), '', 'submit: the password is not');
  is(await page.getAttribute('html', 'lang'), 'sv', 'submit: still Swedish');
  await screenshot(page, 'login-error-sv.png');

  // ---- and back to English
  await Promise.all([page.waitForURL(/lang=en/), page.click('#lang-en')]);
  is((await page.textContent('h1')).trim(), 'Log in', 'English link: h1 is "Log in"');

  ok(problems.length === 0, 'no console errors, CSP violations or failed loads', problems.join('\n'));
  await context.close();
}

(async () => {
  const watchdog = setTimeout(() => {
    console.log('Bail out! login.js took more than 60 s');
    process.exit(1);
  }, 60000);
  let browser;
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    await run(browser);
  } catch (e) {
    ok(false, 'the browser test ran to the end', e && e.stack ? e.stack : e);
  } finally {
    if (browser) await browser.close();
    clearTimeout(watchdog);
  }
  process.exitCode = failed ? 1 : 0;
})();
