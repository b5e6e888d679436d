'use strict';
// users.js: the users pages in Chromium, the old manual's flow: the
// postmaster of emak.se logs in, adds lars.jonsson "Lars Jönsson" with the
// password Axm01, changes it to MhGts, forwards the mail with a copy kept,
// deletes the mailbox; each step is also checked in the domain's files
// (vpasswd, the home, .qmail). Hostile full names show as text and fire no
// dialog; the pages fit 375 px; Swedish; no console errors or CSP
// violations. Run by tests/e2e/users.sh:
//   node users.js BASE_URL DOMAIN_DIR

const fs = require('fs');
const path = require('path');
const t = require('./lib');

const { ok, is, url, screenshot, labelOf, text, submit } = t;
const domDir = process.argv[3];
const vpasswd = path.join(domDir, 'vpasswd');

function line(name) {
  return fs.readFileSync(vpasswd, 'utf8').split('\n').find((l) => l.startsWith(`${name}:`)) || '';
}

// No wider than the window: nothing to scroll sideways.
async function fits(page, what) {
  const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  ok(w[0] <= w[1], `${what} fits 375 px (scrollWidth ${w[0]})`, JSON.stringify(w));
}

// Logs in as user/password in a fresh context: true when the start page came.
async function canLogin(browser, user, password) {
  const { context, page } = await t.open(browser);
  await page.goto(url('/login'));
  await page.fill('#user', user);
  await page.fill('#password', password);
  await submit(page, '#login-submit');
  // In: the start page, or where it sends a mailbox owner (its mail).
  const inside = [`${t.script}/`, `${t.script}/mail`, `${t.script}/account`].includes(new URL(page.url()).pathname);
  await context.close();
  return inside;
}

async function listAndAdd(page) {
  await Promise.all([page.waitForURL(/\/users/), page.click('#nav-users')]);
  is(await text(page, 'h1'), 'Users', 'the menu leads to Users');
  is(await page.getAttribute('#sort-name', 'href') !== null, true, 'the name column header is a link');
  is(await page.getAttribute('th:has(#sort-name)', 'aria-sort'), 'ascending', 'sorted by name: aria-sort');
  is(await text(page, '[id="usage-klient1@emak.se"]'), '6.0 MB of 10 MB', 'klient1 uses 6.0 MB of 10 MB');
  is(await page.getAttribute('td:has([id="usage-xss1@emak.se"]) .bar', 'class'), 'bar warn', 'at 88 %, a warning bar');
  await screenshot(page, 'users-en.png');

  await submit(page, '#add-user');
  is(await text(page, 'h1'), 'Add a user', 'Add user opens the form');
  is(await text(page, '#at-domain'), '@emak.se', '"@emak.se" beside the name');
  for (const id of ['local', 'gecos', 'password', 'password2', 'random', 'quota_num', 'quota_unit', 'quota_none'])
    ok((await labelOf(page, id)) !== '', `the ${id} field has a label`);
  await page.fill('#local', 'lars.jonsson');
  await page.fill('#gecos', 'Lars Jönsson');
  await page.fill('#password', 'Axm01');
  await page.fill('#password2', 'Axm01');
  await screenshot(page, 'user-add-en.png');
  await page.focus('#password2');
  await Promise.all([page.waitForURL(/done=user_added/), page.keyboard.press('Enter')]);
  is(await text(page, '#done-notice'), 'The mailbox has been added.', 'added (Enter submits the form)');
  is(await text(page, '[id="gecos-lars.jonsson@emak.se"]'), 'Lars Jönsson', 'the list shows Lars Jönsson');
  const l = line('lars.jonsson');
  ok(/^lars\.jonsson:\$6\$[^:]+:1:0:Lars Jönsson:[^:]+\/lars\.jonsson:NOQUOTA$/.test(l), 'vpasswd has his line', l);
  ok(fs.existsSync(path.join(domDir, 'lars.jonsson', 'Maildir', 'new')), 'his Maildir exists');
  return l.split(':')[1];
}

async function editPassword(page, browser, oldHash) {
  await submit(page, '[id="user-lars.jonsson@emak.se"]');
  is(await text(page, 'h1'), 'lars.jonsson@emak.se', 'his name opens his edit page');
  is(await page.inputValue('#gecos'), 'Lars Jönsson', 'with his full name');
  await screenshot(page, 'user-edit-en.png');
  await page.fill('#password', 'MhGts');
  await page.fill('#password2', 'MhGts');
  await Promise.all([page.waitForURL(/done=user_saved/), page.click('#edit-submit')]);
  is(await text(page, '#done-notice'), 'The changes have been saved.', 'the new password is saved');
  const l = line('lars.jonsson');
  ok(l.split(':')[1] !== oldHash, 'vpasswd: the hash changed', l);
  is(l.split(':').slice(2).join(':').replace(/:[^:]*\/lars\.jonsson:/, ':HOME:'), '1:0:Lars Jönsson:HOME:NOQUOTA',
    'vpasswd: nothing else changed');
  ok(await canLogin(browser, 'lars.jonsson@emak.se', 'MhGts'), 'he logs in with MhGts');
  ok(!(await canLogin(browser, 'lars.jonsson@emak.se', 'Axm01')), 'not with Axm01');
}

async function forward(page) {
  await submit(page, '[id="user-lars.jonsson@emak.se"]');
  await page.check('#mode_copy');
  await page.fill('#targets', 'lars@example.org');
  await Promise.all([page.waitForURL(/done=user_saved/), page.click('#edit-submit')]);
  const q = fs.readFileSync(path.join(domDir, 'lars.jonsson', '.qmail'), 'utf8');
  is(q, `&lars@example.org\n${domDir}/lars.jonsson/Maildir/\n`, '.qmail: the forward and the saved copy');
  await submit(page, '[id="user-lars.jonsson@emak.se"]');
  ok(await page.isChecked('#mode_copy'), 'the edit page shows the forward with a copy');
  await page.click('#cancel');
}

async function del(page) {
  await page.waitForURL(/\/users/);
  await submit(page, 'a[aria-label="Delete lars.jonsson@emak.se"]');
  is(await text(page, 'h1'), 'Delete this mailbox?', 'Delete asks first');
  is(await text(page, '#del-user'), 'lars.jonsson@emak.se', 'naming the mailbox');
  ok((await text(page, '#del-warning')).includes('lost'), 'saying its mail will be lost');
  await screenshot(page, 'user-del-en.png');
  await Promise.all([page.waitForURL(/done=user_deleted/), page.click('#del-submit')]);
  is(await text(page, '#done-notice'), 'The mailbox has been deleted.', 'deleted');
  is(line('lars.jonsson'), '', 'vpasswd: his line is gone');
  ok(!fs.existsSync(path.join(domDir, 'lars.jonsson')), 'his home is gone');
  is(await page.locator('[id="user-lars.jonsson@emak.se"]').count(), 0, 'the list no longer shows him');
}

async function hostile(page) {
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
  await page.goto(url('/users?sort=gecos'));
  is(await page.getAttribute('th:has(#sort-gecos)', 'aria-sort'), 'ascending', 'sorted by full name: aria-sort');
  is(await text(page, '[id="gecos-xss1@emak.se"]'), '<script>alert(1)</script>', '<script> shows as text');
  is(await text(page, '[id="gecos-xss2@emak.se"]'), '" onmouseover="alert(2)', 'a quote shows as text');
  await page.hover('[id="gecos-xss2@emak.se"]');
  await submit(page, '[id="user-xss2@emak.se"]');
  is(await page.inputValue('#gecos'), '" onmouseover="alert(2)', 'the edit field holds it as its value');
  await page.hover('#gecos');
  is(await page.locator('[onmouseover]').count(), 0, 'no element got an onmouseover');
  is(dialogs, 0, 'no dialog ever opened');
}

async function narrow(page) {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(url('/users'));
  await fits(page, 'the list');
  ok(await page.isVisible('[id="user-klient1@emak.se"]'), 'the list shows its rows at 375 px');
  await page.goto(url('/users/add?domain=emak.se'));
  await fits(page, 'the add form');
  await page.goto(url('/users/edit?user=klient1%40emak.se'));
  await fits(page, 'the edit form');
  await page.goto(url('/users/delete?user=klient1%40emak.se'));
  await fits(page, 'the delete page');
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function swedish(page) {
  await page.goto(url('/users?lang=sv'));
  is(await text(page, 'h1'), 'Användare', 'Swedish: Användare');
  is(await text(page, '#add-user'), 'Lägg till användare', 'Swedish: the add button');
  ok(!/\busers\.[a-z_]+/.test(await page.textContent('body')), 'Swedish: no catalog key shows');
  await screenshot(page, 'users-sv.png');
  await page.goto(url('/users?lang=en'));
}

async function run(browser) {
  const { context, page, problems } = await t.open(browser);
  await t.login(page, 'postmaster@emak.se', 'Postm4ster');
  const hash = await listAndAdd(page);
  await editPassword(page, browser, hash);
  await forward(page);
  await del(page);
  await hostile(page);
  await narrow(page);
  await swedish(page);
  ok(problems.length === 0, 'no console errors, CSP violations or failed loads', problems.join('\n'));
  await context.close();
}

t.main('users.js', run, 120);
