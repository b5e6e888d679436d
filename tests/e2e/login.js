'use strict';
// login.js: the login page, logging in and out through the real helper, in a
// real browser: Debian's chromium driven by playwright-core (no browser
// download). Run by tests/e2e/login.sh, which makes emak.se (postmaster
// password Postm4ster) with qmailadmin-ctl first:
//   node login.js BASE_URL
// Prints unnumbered TAP lines ("ok - name", "not ok - name", "# ...");
// tests/lib/browser.sh numbers them. Screenshots go to $QA_SCREENSHOT_DIR if set.

const fs = require('fs');
const { base, ok, is, screenshot, labelOf, watch, main } = require('./lib');

// The link the app's config names as its helper (tests/lib/harness.sh,
// HARNESS_STORE=1): moved away for a moment to see the app without it.
const helperLink = process.env.QA_HELPER_LINK || '';

function submitLogin(page) {
  return Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.click('#login-submit'),
  ]).then(async ([r]) => { await page.waitForLoadState('load'); return r; });
}

async function sessionCookie(context) {
  return (await context.cookies()).find((c) => c.name === 'qa_session');
}

// Logs in as the postmaster from the login page, checks the start page in
// language lang, logs out and checks the login page's notice.
async function loginLogout(page, context, lang, t) {
  await page.fill('#user', 'postmaster@emak.se');
  await page.fill('#password', 'Postm4ster');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/cgi-bin/qmailadmin/'),
    page.click('#login-submit'),
  ]);
  is((await page.textContent('h1')).trim(), t.welcome, `${lang}: logged in, the start page says "${t.welcome}"`);
  is((await page.textContent('#who-name')).trim(), 'postmaster@emak.se', `${lang}: it names the postmaster`);
  is((await page.textContent('#who-role')).trim(), t.role, `${lang}: role "${t.role}"`);
  const c = await sessionCookie(context);
  ok(c && c.httpOnly && c.sameSite === 'Strict', `${lang}: the session cookie is HttpOnly and SameSite=Strict`,
    JSON.stringify(c));
  ok(c && c.expires === -1, `${lang}: the session cookie ends with the browser session`, JSON.stringify(c));
  await screenshot(page, `main-${lang}.png`);
  await Promise.all([page.waitForURL(/\/login\?notice=logged_out$/), page.click('#logout-submit')]);
  is(((await page.textContent('#login-notice')) || '').trim(), t.loggedOut, `${lang}: logged out, and told so`);
  ok(!(await sessionCookie(context)), `${lang}: the session cookie is gone`);
  await page.goto(`${base}/cgi-bin/qmailadmin/`);
  is((await page.textContent('h1')).trim(), t.login, `${lang}: the start page is the login form again`);
}

async function run(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(5000);

  const problems = await watch(context, page);

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

  // ---- a wrong password: 401, the form again with the error
  await page.fill('#user', 'postmaster@emak.se');
  await page.fill('#password', 'not-the-password');
  const post = await submitLogin(page);
  is(post.status(), 401, 'wrong password: 401');
  is(new URL(post.url()).pathname, '/cgi-bin/qmailadmin/login', 'wrong password: posted to /login');
  const error = page.locator('#login-error');
  ok(await error.isVisible(), 'wrong password: an error message is shown');
  is(((await error.textContent()) || '').trim(), 'Fel adress eller lösenord.', 'wrong password: said in Swedish');
  is(await page.inputValue('#user'), 'postmaster@emak.se', 'wrong password: the user name is kept');
  is(await page.inputValue('#password'), '', 'wrong password: the password is not');
  is(await page.getAttribute('html', 'lang'), 'sv', 'wrong password: still Swedish');
  ok(!(await sessionCookie(context)), 'wrong password: no session cookie');
  await screenshot(page, 'login-error-sv.png');

  // ---- log in and out, in Swedish, then in English
  await loginLogout(page, context, 'sv', {
    welcome: 'Välkommen', role: 'Domänadministratör', loggedOut: 'Du är nu utloggad.', login: 'Logga in',
  });
  await Promise.all([page.waitForURL(/lang=en/), page.click('#lang-en')]);
  is((await page.textContent('h1')).trim(), 'Log in', 'English link: h1 is "Log in"');
  await loginLogout(page, context, 'en', {
    welcome: 'Welcome', role: 'Domain administrator', loggedOut: 'You have been logged out.', login: 'Log in',
  });

  // ---- without its helper the app says it cannot log anyone in (503)
  if (helperLink) {
    fs.renameSync(helperLink, `${helperLink}.away`);
    try {
      await page.fill('#user', 'postmaster@emak.se');
      await page.fill('#password', 'Postm4ster');
      const down = await submitLogin(page);
      is(down.status(), 503, 'no helper: 503');
      const msg = ((await page.locator('#login-error').textContent()) || '').trim();
      ok(/not possible right now/.test(msg), 'no helper: "not possible right now" is shown', msg);
      is(await page.inputValue('#user'), 'postmaster@emak.se', 'no helper: the user name is kept');
      await screenshot(page, 'login-unavailable-en.png');
    } finally {
      fs.renameSync(`${helperLink}.away`, helperLink);
    }
  }

  ok(problems.length === 0, 'no console errors, CSP violations or failed loads', problems.join('\n'));
  await context.close();
}

main('login.js', run, 60);
