'use strict';
// lib.js: what every browser test shares. A script does
//   const t = require('./lib');
//   t.main('name.js', async (browser) => { ... });
// and prints unnumbered TAP lines that tests/lib/browser.sh numbers.
// Screenshots go to $QA_SCREENSHOT_DIR when it is set.

const { chromium } = require('playwright-core');
const path = require('path');

const base = process.argv[2];
const script = '/cgi-bin/qmailadmin';
const shots = process.env.QA_SCREENSHOT_DIR || '';
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

// A full URL for a path of the app ("/users?domain=emak.se").
function url(p) {
  return `${base}${script}${p || ''}`;
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

async function text(page, selector) {
  return ((await page.textContent(selector)) || '').trim();
}

// Collects what a page complains about: console errors (Chromium reports
// CSP violations there too), uncaught exceptions, violation events and
// failed sub-resources. Returns the array; check it is empty at the end.
async function watch(context, page) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource: the server responded'))
      problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`exception: ${e}`));
  // A load the browser itself cut off because the page moved on (the
  // favicon, when a test clicks before it arrived) is no fault of the page:
  // net::ERR_ABORTED. Any other failure is.
  page.on('requestfailed', (r) => {
    if (!/ERR_ABORTED/.test((r.failure() || {}).errorText || ''))
      problems.push(`failed: ${r.url()} (${(r.failure() || {}).errorText})`);
  });
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'document' && r.status() >= 400)
      problems.push(`${r.status()}: ${r.url()}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return problems;
}

// A fresh context and page with problems watched and a 5 s default timeout.
async function open(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  const problems = await watch(context, page);
  return { context, page, problems };
}

// Logs in from the login page; resolves when the start page has loaded.
async function login(page, user, password) {
  await page.goto(url('/login'));
  await page.fill('#user', user);
  await page.fill('#password', password);
  await Promise.all([
    page.waitForURL((u) => u.pathname === `${script}/`),
    page.click('#login-submit'),
  ]);
}

async function logout(page) {
  await Promise.all([page.waitForURL(/\/login\?notice=logged_out$/), page.click('#logout-submit')]);
}

// Clicks selector (a submit button or a link) and waits for the page it loads.
async function submit(page, selector) {
  const [resp] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.click(selector),
  ]);
  return resp;
}

function main(name, run, seconds) {
  const limit = (seconds || 90) * 1000;
  (async () => {
    const watchdog = setTimeout(() => {
      console.log(`Bail out! ${name} took more than ${limit / 1000} s`);
      process.exit(1);
    }, limit);
    let browser;
    try {
      browser = await chromium.launch({
        executablePath: process.env.QA_CHROMIUM || '/usr/bin/chromium',
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      await run(browser);
    } catch (e) {
      ok(false, `${name} ran to the end`, e && e.stack ? e.stack : e);
    } finally {
      if (browser) await browser.close();
      clearTimeout(watchdog);
    }
    process.exitCode = failed ? 1 : 0;
  })();
}

module.exports = {
  base, script, ok, is, url, screenshot, labelOf, text, watch, open, login, logout, submit, main,
};
