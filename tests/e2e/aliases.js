'use strict';
// aliases.js: the postmaster of emak.se manages aliases, forwards and the
// catch-all in a real browser (Debian's chromium driven by playwright-core):
// creates an alias and a forward, sees an error keep its input, edits,
// deletes, sets the catch-all to a mailbox and back to bounce; then the
// pages in Swedish and at 375 px wide. Run by tests/e2e/aliases.sh, which
// makes emak.se (postmaster password Postm4ster), klient1, klient2, the
// blackhole spam@ and a program alias helpdesk@ first:
//   node aliases.js BASE_URL
// Prints unnumbered TAP lines; screenshots go to $QA_SCREENSHOT_DIR if set.

const lib = require('./lib');

const { ok, is, url, screenshot, labelOf, text, watch, open, login, main } = lib;

// Navigations wait until the page's own requests (the stylesheet, the icon)
// are done: one cut short by the next navigation would count as a failed load.
async function submit(page, selector) {
  const resp = await lib.submit(page, selector);
  await page.waitForLoadState('networkidle');
  return resp;
}
function go(page, p) {
  return page.goto(url(p), { waitUntil: 'networkidle' });
}

// Every row's address on the list page, in order.
function addresses(page) {
  return page.$$eval('#alias-list td.address', (tds) => tds.map((td) => td.textContent.trim()));
}

async function checkLabels(page, ids, where) {
  for (const id of ids) ok((await labelOf(page, id)) !== '', `${where}: #${id} has a label`);
}

async function newAlias(page, name, targets, blackhole) {
  await submit(page, '#new-alias');
  is(await text(page, 'h1'), 'New alias or forward', `new ${name}: the form`);
  await page.fill('#name', name);
  await page.check(blackhole ? '#kind-blackhole' : '#kind-forward');
  await page.fill('#targets', targets);
}

async function aliases(page) {
  await submit(page, '#nav-aliases');
  is(await text(page, 'h1'), 'Aliases and forwards', 'the menu leads to the aliases');
  is((await addresses(page)).join(), 'helpdesk@emak.se,spam@emak.se', 'it lists the program and the blackhole');
  is(await page.$('#edit-helpdesk'), null, 'the program alias has no edit link');
  is(await text(page, '#readonly-helpdesk'), 'Read-only', '... it is read-only');
  await checkLabels(page, ['q'], 'list');

  // ---- an alias to two mailboxes
  await newAlias(page, 'info', 'klient1\nklient2', false);
  await checkLabels(page, ['name', 'kind-forward', 'kind-blackhole', 'targets'], 'form');
  await screenshot(page, 'alias-edit-en.png');
  await submit(page, '#alias-submit');
  is(new URL(page.url()).search, '?done=alias_saved', 'saved: back on the list with a notice');
  is(await text(page, '#done-notice'), 'The alias has been saved.', '... which says so');
  is(await text(page, '#kind-info'), 'Alias to mailboxes here', 'info is an alias to mailboxes here');
  is(await page.$$eval('#targets-info li', (l) => l.map((li) => li.textContent).join()),
    'klient1@emak.se,klient2@emak.se', '... delivering to both');

  // ---- a name that is a mailbox: the error, the input kept
  await newAlias(page, 'klient1', 'boss@example.org', false);
  const resp = await submit(page, '#alias-submit');
  is(resp.status(), 409, 'a mailbox name: 409');
  is(await text(page, '#form-error'), 'There is already a mailbox or an alias with that name.', '... says so');
  is(await page.inputValue('#name'), 'klient1', '... keeps the name');
  is(await page.inputValue('#targets'), 'boss@example.org', '... and the targets');
  is(await page.getAttribute('#name', 'aria-invalid'), 'true', '... marks the name');

  // ---- so it becomes a forward named sales
  await page.fill('#name', 'sales');
  await submit(page, '#alias-submit');
  is(await text(page, '#kind-sales'), 'Forward', 'sales is a forward');
  await screenshot(page, 'aliases-en.png');

  // ---- edit info's targets
  await submit(page, '#edit-info');
  is(await text(page, 'h1'), 'Change info@emak.se', 'edit: the form');
  is(await page.inputValue('#targets'), 'klient1@emak.se\nklient2@emak.se', '... targets one per line');
  ok(await page.$eval('#name', (el) => el.readOnly), '... the name is read-only');
  await page.fill('#targets', 'klient2');
  await submit(page, '#alias-submit');
  is(await page.$$eval('#targets-info li', (l) => l.map((li) => li.textContent).join()), 'klient2@emak.se',
    'edited: info now delivers to klient2 only');

  // ---- delete sales, asked first
  await submit(page, '#delete-sales');
  is(await text(page, 'h1'), 'Delete sales@emak.se?', 'delete: asks first');
  is(await text(page, '#alias-targets'), 'boss@example.org', '... naming its target');
  await submit(page, '#alias-del-submit');
  is(await text(page, '#done-notice'), 'The alias has been deleted.', 'deleted: the list says so');
  is(await page.$('#row-sales'), null, '... and shows it no more');

  // ---- search
  await page.fill('#q', 'KLIENT2');
  await submit(page, '#search-submit');
  is((await addresses(page)).join(), 'info@emak.se', 'search by target finds info');
}

async function catchall(page) {
  await submit(page, '#nav-catchall');
  is(await text(page, 'h1'), 'Mail to unknown addresses', 'the menu leads to the catch-all');
  ok(await page.isChecked('#mode-delete'), "vpopmail's default is shown: delete");
  await checkLabels(page, ['mode-bounce', 'mode-delete', 'mode-user', 'mode-forward', 'target-user',
    'target-forward'], 'catch-all');
  is(await page.$$eval('#mailboxes option', (o) => o.map((x) => x.value).join()),
    'klient1,klient2,postmaster', 'the mailboxes are offered as suggestions');
  await page.check('#mode-user');
  await page.fill('#target-user', 'klient1');
  await submit(page, '#catchall-submit');
  is(await text(page, '#done-notice'), 'The catch-all setting has been saved.', 'catch-all saved');
  is(await text(page, '#catchall-current-target'), 'klient1@emak.se', '... to klient1');
  ok(await page.isChecked('#mode-user'), '... and the form shows it');
  await screenshot(page, 'catchall-en.png');
  // Keyboard only: the radios are reachable and a choice is made with the arrow keys.
  await page.focus('#mode-user');
  await page.keyboard.press('ArrowUp');
  ok(await page.isChecked('#mode-delete'), 'the keyboard moves the choice');
  await page.focus('#mode-bounce');
  await page.keyboard.press('Space');
  ok(await page.isChecked('#mode-bounce'), '... and picks bounce');
  await submit(page, '#catchall-submit');
  is(await text(page, '#catchall-current'), 'Returned to the sender as undeliverable', 'back to bounce');
}

async function swedish(page) {
  await submit(page, '#lang-sv');
  await go(page, '/aliases');
  is(await text(page, 'h1'), 'Alias och vidarebefordringar', 'Swedish: the list');
  is(await text(page, '#kind-spam'), 'Svart hål (posten raderas)', 'Swedish: the kinds');
  await screenshot(page, 'aliases-sv.png');
  await go(page, '/catchall');
  is(await text(page, 'h1'), 'Post till okända adresser', 'Swedish: the catch-all');
  await go(page, '/?lang=en');
}

// At 375 px wide no page scrolls sideways, not even inside the table.
async function narrow(browser) {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  const problems = await watch(context, page);
  await login(page, 'postmaster@emak.se', 'Postm4ster');
  await page.waitForLoadState('networkidle');
  for (const p of ['/aliases', '/aliases/edit', '/aliases/edit?user=info@emak.se',
    '/aliases/edit?user=helpdesk@emak.se', '/aliases/delete?user=info@emak.se', '/catchall']) {
    await go(page, p);
    const over = await page.evaluate(() => {
      const wide = [document.documentElement, ...document.querySelectorAll('.table-wrap')]
        .filter((el) => el.scrollWidth > el.clientWidth + 1);
      return wide.map((el) => `${el.tagName}.${el.className} ${el.scrollWidth}>${el.clientWidth}`);
    });
    is(over.join(), '', `375 px: ${p} has no horizontal overflow`);
  }
  await go(page, '/aliases');
  ok(await page.isVisible('#edit-info'), '375 px: the edit link is visible');
  await screenshot(page, 'aliases-375-en.png');
  ok(problems.length === 0, '375 px: no console errors or CSP violations', problems.join('\n'));
  await context.close();
}

async function run(browser) {
  const { context, page, problems } = await open(browser);
  await login(page, 'postmaster@emak.se', 'Postm4ster');
  await page.waitForLoadState('networkidle');
  await aliases(page);
  await catchall(page);
  await swedish(page);
  ok(problems.length === 0, 'no console errors, CSP violations or failed loads', problems.join('\n'));
  await context.close();
  await narrow(browser);
}

main('aliases.js', run, 150);
