'use strict';
// account.js: "My account" and the domain admin's start page in Chromium.
// klient1 logs in (landing on its mail), goes to its account page, changes its password (the old
// manual's flow: current, new, new again), logs out and in with the new
// one, and sets a forward; the postmaster sees its domain's overview.
// Run by tests/e2e/account.sh, which makes emak.se (postmaster Postm4ster)
// and klient1@emak.se (Klient1pw, 50 MB quota) first:
//   node account.js BASE_URL
const { script, ok, is, url, screenshot, labelOf, text, open, logout, submit, main } = require('./lib');

// Logs in from the login page and waits for the page the start page sends
// this user to (lib.js's login waits for the start page itself).
async function loginTo(page, user, password, path) {
  await settle(page);
  await page.goto(url('/login'));
  await page.fill('#user', user);
  await page.fill('#password', password);
  await Promise.all([
    page.waitForURL((u) => u.pathname === `${script}${path}`),
    page.click('#login-submit'),
  ]);
}

// Waits until the page has stopped loading (its favicon included), so that
// leaving it does not abort a request the watcher would count as failed.
function settle(page) {
  return page.waitForLoadState('networkidle');
}

// No horizontal scrolling at the page's current width.
async function fits(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

async function accountFlow(browser) {
  const { context, page, problems } = await open(browser);

  // A mailbox owner's start page is its mail (no IMAP server in this
  // test: that page says so); My account is one click away.
  await loginTo(page, 'klient1@emak.se', 'Klient1pw', '/mail');
  ok(true, 'klient1 logs in and lands on /mail');
  await page.goto(url('/account'));
  is(await text(page, 'h1'), 'My account', 'the account page says "My account"');
  is(await text(page, '#who-name'), 'klient1@emak.se', 'it names the mailbox');
  is(await text(page, '#usage-text'), '12 MB of 50 MB used (24%)', 'the quota in use');
  ok(await page.isVisible('#usage-bar'), 'the quota bar is shown');
  const width = await page.evaluate(() => document.querySelector('#usage-bar > span').getBoundingClientRect().width
    / document.querySelector('#usage-bar').getBoundingClientRect().width);
  ok(width > 0.2 && width < 0.3, 'the bar is a quarter full', String(width));
  for (const id of ['current', 'password', 'password2', 'targets'])
    ok((await labelOf(page, id)) !== '', `the field ${id} has a label`);
  is(await page.getAttribute('#current', 'autocomplete'), 'current-password', 'current password: autocomplete');
  is(await page.getAttribute('#password', 'autocomplete'), 'new-password', 'new password: autocomplete');
  await screenshot(page, 'account-en.png');

  // ---- the repeat must match; what was typed as a password is not kept
  await page.fill('#current', 'Klient1pw');
  await page.fill('#password', 'N3w-pass1');
  await page.fill('#password2', 'N3w-pass2');
  let resp = await submit(page, '#password-submit');
  is(resp.status(), 400, 'a different repeat: 400');
  is(await text(page, '#form-error'), 'The two new passwords are not the same.', '... says so');
  is(await page.getAttribute('#password2', 'aria-invalid'), 'true', '... marks the repeat');
  is(await page.inputValue('#password'), '', '... no password kept in the form');

  // ---- the change itself, with the keyboard
  await page.fill('#current', 'Klient1pw');
  await page.fill('#password', 'N3w-pass1');
  await page.fill('#password2', 'N3w-pass1');
  [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.press('#password2', 'Enter')]);
  is(resp.status(), 200, 'the password changes (Enter submits)');
  is(await text(page, '#done-notice'), 'The password has been changed.', '... and the page says so');
  is(await text(page, '#who-name'), 'klient1@emak.se', '... still logged in');
  await logout(page);
  await settle(page);
  await page.goto(url('/login'));
  await page.fill('#user', 'klient1@emak.se');
  await page.fill('#password', 'Klient1pw');
  resp = await submit(page, '#login-submit');
  is(resp.status(), 401, 'the old password no longer logs in');
  await loginTo(page, 'klient1@emak.se', 'N3w-pass1', '/mail');
  ok(true, 'the new one does');
  await page.goto(url('/account'));

  // ---- a forward with a copy
  await page.check('#mode-copy');
  await page.fill('#targets', 'klient1@example.org');
  resp = await submit(page, '#forward-submit');
  is(resp.status(), 200, 'forwarding saved');
  is(await text(page, '#done-notice'), 'Forwarding has been saved.', '... and the page says so');
  ok(await page.isChecked('#mode-copy'), '... forward and keep a copy is chosen');
  is(await page.inputValue('#targets'), 'klient1@example.org', '... to the address given');

  // ---- a phone's width
  await page.setViewportSize({ width: 375, height: 800 });
  await settle(page);
  await page.reload();
  ok(await fits(page), 'account page at 375 px: no horizontal scrolling');
  await page.setViewportSize({ width: 1280, height: 800 });

  await settle(page);
  await page.goto(url('/account?lang=sv'));
  is(await text(page, 'h1'), 'Mitt konto', 'Swedish: "Mitt konto"');
  is(await text(page, '#usage-text'), '12 MB av 50 MB används (24 %)', 'Swedish: the quota');
  await screenshot(page, 'account-sv.png');
  await settle(page);

  ok(problems.length === 0, 'account: no console errors, CSP violations or failed loads', problems.join('\n'));
  await context.close();
}

async function mainFlow(browser) {
  const { context, page, problems } = await open(browser);

  await loginTo(page, 'postmaster@emak.se', 'Postm4ster', '/');
  is(await text(page, 'h1'), 'Welcome', 'the postmaster lands on the start page');
  is(await text(page, '#who-role'), 'Domain administrator', '... as a domain administrator');
  is(await text(page, '#overview-heading'), 'Domain emak.se', '... with its domain\'s overview');
  is(await text(page, '#count-users'), '2 of 10 used, 8 left', '... the mailboxes against the limit');
  is(await text(page, '#catchall-text'), 'Deleted.', '... the catch-all in words');
  for (const id of ['go-users', 'go-user-add', 'go-aliases', 'go-catchall', 'go-limits', 'go-account'])
    ok(await page.isVisible(`#${id}`), `... a link ${id}`);
  await screenshot(page, 'main-en.png');
  await page.setViewportSize({ width: 375, height: 800 });
  await settle(page);
  await page.reload();
  ok(await fits(page), 'start page at 375 px: no horizontal scrolling');
  await page.setViewportSize({ width: 1280, height: 800 });
  await submit(page, '#go-account');
  is(await text(page, '#who-name'), 'postmaster@emak.se', 'the My account link opens its own mailbox');

  ok(problems.length === 0, 'start page: no console errors, CSP violations or failed loads', problems.join('\n'));
  await context.close();
}

main('account.js', async (browser) => {
  await accountFlow(browser);
  await mainFlow(browser);
}, 90);
