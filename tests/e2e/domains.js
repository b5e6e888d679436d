'use strict';
// domains.js: the superadmin's domain pages in Chromium, as the old manual
// starts: log in, add emak.se (vadddomain emak.se), see it in the list,
// open its limits, give it an alias domain, delete a scratch domain through
// the confirmation page; the same pages in Swedish, and at 375 px wide with
// nothing wider than the screen. Run by tests/e2e/domains.sh, which makes
// lundgrens.se (with the alias lundgrens.nu), kontoret.example.org and
// scratch.example, and the superadmin admin / Sup3rpw:
//   node domains.js BASE_URL
// Prints unnumbered TAP lines; screenshots go to $QA_SCREENSHOT_DIR if set.

const { ok, is, url, screenshot, labelOf, text, open, submit, main } = require('./lib');

// Logs the superadmin in; its start page is the domain list.
async function loginAdmin(page) {
  await page.goto(url('/login'));
  await page.waitForLoadState('networkidle');   // the favicon too, before we leave
  await page.fill('#user', 'admin');
  await page.fill('#password', 'Sup3rpw');
  await Promise.all([
    page.waitForURL((u) => u.pathname.endsWith('/domains')),
    page.click('#login-submit'),
  ]);
}

async function rows(page) {
  return page.$$eval('tr.domain-row', (trs) => trs.map((tr) => tr.dataset.domain));
}

function row(page, domain) {
  return page.locator(`tr.domain-row[data-domain="${domain}"]`);
}

async function addEmak(page) {
  await submit(page, '#domain-add-link');
  is(await text(page, 'h1'), 'Add a domain', 'the add page opens from the list');
  for (const id of ['domain', 'password', 'password2', 'random'])
    ok((await labelOf(page, id)) !== '', `add: the ${id} field has a label`);
  await screenshot(page, 'domain-add-en.png');
  // A slip first: the passwords differ; the domain is kept, not the passwords.
  await page.fill('#domain', 'emak.se');
  await page.fill('#password', 'Postm4ster');
  await page.fill('#password2', 'Postm4stre');
  const bad = await submit(page, '#domain-add-submit');
  is(bad.status(), 400, 'add: different passwords give 400');
  is(await text(page, '#form-error'), 'The two passwords are not the same.', 'add: and say so');
  is(await page.inputValue('#domain'), 'emak.se', 'add: the domain is kept');
  is(await page.inputValue('#password'), '', 'add: the password is not');
  is(await page.getAttribute('#password2', 'aria-invalid'), 'true', 'add: the second password is marked');
  await page.fill('#password', 'Postm4ster');
  await page.fill('#password2', 'Postm4ster');
  await submit(page, '#domain-add-submit');
  ok(/\/domains\?done=domain_added$/.test(page.url()), 'add: back at the list', page.url());
  is(await text(page, '#done-notice'), 'The domain has been added.', 'add: the list says so');
  ok((await rows(page)).includes('emak.se'), 'add: emak.se is in the list');
}

async function randomPassword(page) {
  await page.goto(url('/domains/add'));
  await page.fill('#domain', 'random.example');
  await page.check('#random');
  const resp = await submit(page, '#domain-add-submit');
  is(resp.status(), 200, 'random password: a result page');
  const pw = await text(page, '#new-password');
  ok(pw.length >= 8, 'random password: shown', pw);
  ok(!page.url().includes(pw), 'random password: not in the URL');
  await submit(page, '#to-domains');
  ok(!(await page.content()).includes(pw), 'random password: not on the next page');
}

async function limits(page) {
  await page.goto(url('/domains'));
  await submit(page, 'tr.domain-row[data-domain="emak.se"] .action-limits');
  is(await text(page, 'h1'), 'Limits of emak.se', 'limits: opened from the list');
  ok((await labelOf(page, 'limit-maxpopaccounts')) !== '', 'limits: fields have labels');
  ok((await labelOf(page, 'perm_account-delete')) !== '', 'limits: permission boxes have labels');
  await page.fill('#limit-maxpopaccounts', '50');
  await page.fill('#limit-default_quota', '100');
  await page.check('#limit-disable_imap');
  await submit(page, '#limits-submit');
  is(await text(page, '#done-notice'), 'The limits have been saved.', 'limits: saved');
  is(await page.inputValue('#limit-maxpopaccounts'), '50', 'limits: 50 mailboxes shown');
  is(await page.inputValue('#limit-default_quota'), '100', 'limits: 100 MB default quota shown');
  ok(await page.isChecked('#limit-disable_imap'), 'limits: IMAP off shown');
  await screenshot(page, 'limits-en.png');
}

async function aliasDomain(page) {
  await page.goto(url('/domains'));
  await submit(page, 'tr.domain-row[data-domain="emak.se"] .action-aliases');
  is(await text(page, 'h1'), 'Alias domains of emak.se', 'alias domains: opened from the list');
  await page.fill('#alias', 'emak.nu');
  await submit(page, '#alias-add-submit');
  is(await text(page, '#done-notice'), 'The alias domain has been added.', 'alias domains: added');
  ok(await page.isVisible('li.aliasdom-item[data-alias="emak.nu"]'), 'alias domains: emak.nu listed');
  await screenshot(page, 'domain-aliases-en.png');
  await page.goto(url('/domains'));
  ok((await row(page, 'emak.se').textContent()).includes('emak.nu'), 'the list shows emak.nu under emak.se');
  ok(!(await rows(page)).includes('emak.nu'), '... not as a row of its own');
}

async function deleteScratch(page) {
  await submit(page, 'tr.domain-row[data-domain="scratch.example"] .action-delete');
  is(await text(page, 'h1'), 'Delete scratch.example', 'delete: the confirmation page');
  ok((await page.locator('#del-what li').count()) >= 5, 'delete: it lists what goes');
  await screenshot(page, 'domain-del-en.png');
  await page.fill('#confirm', 'scratch.exampel');
  const bad = await submit(page, '#domain-del-submit');
  is(bad.status(), 400, 'delete: a typo in the name is refused');
  ok((await text(page, '#form-error')).includes('Nothing has been deleted'), 'delete: and says so');
  await page.fill('#confirm', 'scratch.example');
  await submit(page, '#domain-del-submit');
  is(await text(page, '#done-notice'), 'The domain has been deleted.', 'delete: done');
  ok(!(await rows(page)).includes('scratch.example'), 'delete: scratch.example is gone from the list');
}

async function swedish(page) {
  await page.goto(url('/domains?lang=sv'));
  is(await text(page, 'h1'), 'Domäner', 'Swedish: Domäner');
  is(await page.getAttribute('html', 'lang'), 'sv', 'Swedish: html lang="sv"');
  await screenshot(page, 'domains-sv.png');
  await page.goto(url('/domains?lang=en'));
}

// What sticks out past the right edge (for the diagnostics).
function tooWide(page) {
  return page.evaluate(() => Array.from(document.querySelectorAll('body *'))
    .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
    .slice(0, 8)
    .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className} right=${Math.round(el.getBoundingClientRect().right)}`)
    .join('\n'));
}

// At 375 px every page fits: nothing makes the document wider than that.
async function narrow(browser) {
  const { context, page, problems } = await open(browser);
  await page.setViewportSize({ width: 375, height: 800 });
  await loginAdmin(page);
  for (const p of ['/domains', '/domains/add', '/domains/limits?domain=emak.se',
    '/domains/aliases?domain=emak.se', '/domains/delete?domain=lundgrens.se']) {
    await page.goto(url(p));
    await page.waitForLoadState('networkidle');   // the favicon too, before the next page
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    ok(width <= 375, `375 px: ${p} fits (${width} px)`, await tooWide(page));
  }
  await page.goto(url('/domains'));
  await page.waitForLoadState('networkidle');
  await screenshot(page, 'domains-375-en.png');
  ok(problems.length === 0, '375 px: no console errors or CSP violations', problems.join('\n'));
  await context.close();
}

async function run(browser) {
  const { context, page, problems } = await open(browser);
  await loginAdmin(page);
  is(await text(page, 'h1'), 'Domains', 'the superadmin starts at the domain list');
  is(await page.getAttribute('#nav-domains', 'aria-current'), 'page', 'the menu marks Domains');
  const first = await rows(page);
  is(first.join(' '), 'kontoret.example.org lundgrens.se scratch.example', 'the list holds the real domains');
  ok((await row(page, 'lundgrens.se').textContent()).includes('lundgrens.nu'), 'lundgrens.nu is shown as its alias');
  ok((await labelOf(page, 'q')) !== '', 'the search field has a label');
  await addEmak(page);
  await screenshot(page, 'domains-en.png');
  await randomPassword(page);
  await page.goto(url('/domains'));
  await page.fill('#q', 'lundgrens.nu');
  await submit(page, '#search-submit');
  is((await rows(page)).join(' '), 'lundgrens.se', 'searching an alias name finds its domain');
  await limits(page);
  await aliasDomain(page);
  await deleteScratch(page);
  await swedish(page);
  ok(problems.length === 0, 'no console errors, CSP violations or failed loads', problems.join('\n'));
  await context.close();
  await narrow(browser);
}

main('domains.js', run, 90);
