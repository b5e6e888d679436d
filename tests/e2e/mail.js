'use strict';
// mail.js: webmail in Chromium. klient1@emak.se logs in and lands on the
// message list (unread ones bold), opens the Swedish text mail, the HTML
// newsletter (its cid: logo loaded) and the invoice, downloads the PDF and
// compares it byte for byte with the one decoded from the .eml; makes a
// folder and moves a message there, deletes one and finds it in Trash,
// empties Trash (and checks the Maildir on disk). The list is usable from
// the keyboard, the list and the view fit 375 px, the folders have Swedish
// names. Last, in a context of its own, the hostile message is opened and
// none of its payloads runs: no dialog, the title and window.pwned as they
// were, no request to a /pwned URL, nothing executable left in its body.
// Run by tests/e2e/mail.sh:
//   node mail.js BASE_URL MAILDIR
// with U_FIKA, U_NEWS, U_PDF, U_REMIND, U_HOSTILE (the UIDs) and
// QA_EXPECTED_PDF (the attachment's bytes) in the environment.

const fs = require('fs');
const path = require('path');
const t = require('./lib');

const { ok, is, url, screenshot, text, submit } = t;
const maildir = process.argv[3];
const uid = {
  fika: process.env.U_FIKA, news: process.env.U_NEWS, pdf: process.env.U_PDF,
  remind: process.env.U_REMIND, hostile: process.env.U_HOSTILE,
};
const subjects = {
  fika: 'Fika på fredag – vem tar med kanelbullar?',
  news: 'Nyhetsbrev: Höstens nyheter från Emak',
  pdf: 'Räkning för oktober (bifogad)',
  remind: 'Påminnelse: möte i morgon kl. 09.00',
  hostile: 'Fakturapåminnelse <img src=x onerror=alert(1)>',
};
const pdfName = 'Räkning oktober – Smörgåsbordet.pdf';

// Files (messages) in a Maildir folder: "" is INBOX, ".Trash" is Trash.
function filesIn(folder) {
  return ['cur', 'new'].flatMap((d) => {
    const dir = path.join(maildir, folder, d);
    return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
  });
}
function holds(folder, messageId) {
  return filesIn(folder).some((f) => fs.readFileSync(f, 'latin1').includes(`Message-ID: <${messageId}>`));
}

// No wider than the window: nothing to scroll sideways.
async function fits(page, what) {
  const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  ok(w[0] <= w[1], `${what} fits ${w[1]} px (scrollWidth ${w[0]})`, JSON.stringify(w));
}

// A message list's rows: [{uid, bold}] in order.
function rows(page) {
  return page.$$eval('#messages tbody tr', (trs) => trs.map((tr) => ({
    uid: tr.id.replace('msg-', ''),
    bold: Number(getComputedStyle(tr.querySelector('td.subject')).fontWeight) >= 600,
  })));
}

// Logs in and waits for the mail list, where a mailbox owner lands.
async function login(page) {
  await page.goto(url('/login'));
  await page.fill('#user', 'klient1@emak.se');
  await page.fill('#password', 'Klient1pw');
  await Promise.all([page.waitForURL((u) => u.pathname === `${t.script}/mail`), page.click('#login-submit')]);
}

async function list(page) {
  is(await text(page, 'h1'), 'Inbox', 'klient1 logs in and lands on the Inbox');
  is(await page.getAttribute('#nav-mail', 'aria-current'), 'page', 'the menu marks Mail');
  const r = await rows(page);
  is(r.map((x) => x.uid).join(' '), [uid.remind, uid.pdf, uid.news, uid.fika, uid.hostile].join(' '),
    'five messages, newest first');
  for (const k of Object.keys(subjects))
    is(await text(page, `#open-${uid[k]}`), subjects[k], `the subject is decoded: ${subjects[k]}`);
  const bold = Object.fromEntries(r.map((x) => [x.uid, x.bold]));
  ok(bold[uid.news] && bold[uid.remind] && bold[uid.hostile], 'the unread ones are bold', JSON.stringify(r));
  ok(!bold[uid.fika] && !bold[uid.pdf], 'the read ones are not', JSON.stringify(r));
  ok((await text(page, `#msg-${uid.remind} td.from`)).includes('Kajsa Berg'), 'the sender is shown by name');
  is(await page.locator(`#msg-${uid.pdf} .flag-mark`).count(), 1, 'a flagged one has its mark');
  is(await text(page, '#folder-0 .count'), '3', 'the side bar counts 3 unread in the Inbox');
  await screenshot(page, 'mail-list-en.png');
}

// Tab from the top of the page to the first message's link; Enter opens it.
async function keyboard(page) {
  await page.goto(url('/mail'));
  await page.locator('body').focus();
  let id = '';
  for (let i = 0; i < 60 && !id.startsWith('open-'); i++) {
    await page.keyboard.press('Tab');
    id = await page.evaluate(() => (document.activeElement && document.activeElement.id) || '');
  }
  is(id, `open-${uid.remind}`, 'Tab reaches the first message\'s link');
  const visible = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return s.outlineStyle !== 'none' || s.boxShadow !== 'none';
  });
  ok(visible, 'the focused link shows a focus ring');
  await Promise.all([page.waitForURL(/\/mail\/msg/), page.keyboard.press('Enter')]);
  is(await text(page, '#msg-subject'), subjects.remind, 'Enter opens it');
  ok((await text(page, '#body')).includes('Glöm inte mötet i morgon'), 'its Latin-1 text is shown as UTF-8');
  for (let i = 0; i < 30 && (await page.evaluate(() => document.activeElement.id)) !== 'back-link'; i++)
    await page.keyboard.press('Tab');
  is(await page.evaluate(() => document.activeElement.id), 'back-link', 'in the view, Tab reaches the back link');
  await Promise.all([page.waitForURL((u) => u.pathname === `${t.script}/mail`), page.keyboard.press('Enter')]);
  is(await text(page, 'h1'), 'Inbox', 'and Enter goes back to the list');
  ok(!(await rows(page)).find((x) => x.uid === uid.remind).bold, 'the opened message is no longer bold');
}

async function views(page) {
  await submit(page, `#open-${uid.fika}`);
  is(await text(page, '#msg-subject'), subjects.fika, 'the Swedish mail: its subject');
  is(await text(page, '#h-from'), 'Åsa Lindström <asa.lindstrom@emak.se>', '... the sender, RFC 2047 decoded');
  const body = await text(page, '#body .text-part');
  ok(body.includes('Åsa bakar\nkanelbullar och Örjan tar med kaffe'), '... the text, lines kept', body);

  await page.goto(url(`/mail/msg?f=INBOX&uid=${uid.news}`));
  is(await text(page, '#msg-subject'), subjects.news, 'the newsletter: its subject');
  is(await page.locator('#body .html-part').count(), 1, '... the HTML part is shown');
  is(await page.locator('#body .text-part').count(), 0, '... and not the plain one');
  is(await text(page, '#body .html-part h1'), 'Höstens nyheter från Emak', '... its heading');
  const logo = await page.evaluate(() => {
    const img = document.querySelector('#body .html-part img[alt="Emak"]');
    return img ? { src: img.getAttribute('src'), w: img.naturalWidth, done: img.complete } : null;
  });
  ok(logo && /\/mail\/part\?/.test(logo.src), '... the cid: logo points at the part', JSON.stringify(logo));
  ok(logo && logo.done && logo.w > 0, '... and is loaded (naturalWidth > 0)', JSON.stringify(logo));
  ok(await page.isVisible('#images-blocked'), '... the remote tracking image is blocked, and that is said');
  const links = await page.$$eval('#body a[href^="https:"]', (as) => as.map((a) => a.rel));
  ok(links.length > 0 && links.every((r) => /noopener/.test(r) && /noreferrer/.test(r)),
    '... its links have rel="noopener noreferrer"', JSON.stringify(links));
  await screenshot(page, 'mail-view-en.png');
  // In the dark theme an HTML mail keeps a light page: it was written for one.
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await page.evaluate(() => {
    const s = getComputedStyle(document.querySelector('#body .html-part p'));
    const bg = getComputedStyle(document.querySelector('#body .html-part')).backgroundColor;
    return { color: s.color, bg };
  });
  is(JSON.stringify(dark), JSON.stringify({ color: 'rgb(27, 35, 48)', bg: 'rgb(255, 255, 255)' }),
    '... in the dark theme its text stays dark on white');
  await page.emulateMedia({ colorScheme: 'light' });

  await page.goto(url(`/mail/msg?f=INBOX&uid=${uid.pdf}`));
  is(await text(page, '#msg-subject'), subjects.pdf, 'the invoice: its subject');
  ok((await text(page, '#body')).includes('bankgiro 123-4567'), '... its text');
  const att = page.locator('#attachments a.attachment');
  is(await att.count(), 1, '... one attachment listed');
  is((await att.first().textContent()).trim(), pdfName, '... by its RFC 2231 name');
  ok(/application\/pdf/.test(await text(page, '#attachments .att-meta')), '... with its type');
  const [dl] = await Promise.all([page.waitForEvent('download'), att.first().click()]);
  is(dl.suggestedFilename(), pdfName, 'the download is named as sent');
  const got = fs.readFileSync(await dl.path());
  const want = fs.readFileSync(process.env.QA_EXPECTED_PDF);
  ok(want.length > 400 && got.equals(want), `... and byte-identical (${got.length} of ${want.length} bytes)`);
}

async function folders(page) {
  await submit(page, '#manage-folders');
  is(await text(page, 'h1'), 'Folders', 'Manage folders opens the folders page');
  await page.fill('#new-folder', 'Arkiv');
  await Promise.all([page.waitForURL(/done=folder_created/), page.click('#create-submit')]);
  is(await text(page, '#done-notice'), 'The folder was created.', 'a folder is made');
  ok(fs.existsSync(path.join(maildir, '.Arkiv', 'cur')), '... on disk (.Arkiv)');
  ok(await page.isVisible('#folders a:has-text("Arkiv")'), '... and listed in the side bar');

  await submit(page, '#folder-0');
  await page.check(`#pick-${uid.fika}`);
  await page.selectOption('#move-to', 'Arkiv');
  await Promise.all([page.waitForURL(/done=mail_moved/), page.click('#act-move')]);
  is(await text(page, '#done-notice'), 'Moved.', 'a message is moved');
  is(await page.locator(`#msg-${uid.fika}`).count(), 0, '... gone from the Inbox');
  ok(!holds('', 'demo-01-fika@emak.se') && holds('.Arkiv', 'demo-01-fika@emak.se'), '... into .Arkiv on disk');
  await submit(page, '#folders a:has-text("Arkiv")');
  is(await text(page, 'h1'), 'Arkiv', 'the folder opens');
  is(await text(page, '#messages tbody tr td.subject'), subjects.fika, '... and shows the message');
  await submit(page, '#manage-folders');
  is(await text(page, '#folder-table tr:has-text("Arkiv") td:nth-child(2)'), '1', 'the folders page counts it');
  await screenshot(page, 'mail-folders-en.png');
}

async function trash(page) {
  await page.goto(url(`/mail/msg?f=INBOX&uid=${uid.remind}`));
  await Promise.all([page.waitForURL(/done=mail_deleted/), page.click('#act-delete')]);
  is(await text(page, '#done-notice'), 'Deleted.', 'Delete in the view: deleted');
  is(await page.locator(`#messages tr:has-text("${subjects.remind}")`).count(), 0, '... gone from the Inbox');
  ok(holds('.Trash', 'demo-04-paminnelse@emak.se'), '... in .Trash on disk');
  await submit(page, '#folders a:has-text("Trash")');
  is(await text(page, 'h1'), 'Trash', 'Trash opens');
  is(await text(page, '#messages tbody tr td.subject'), subjects.remind, '... and holds the message');
  await Promise.all([page.waitForURL(/done=trash_emptied/), page.click('#empty-trash')]);
  is(await text(page, '#done-notice'), 'Trash is empty.', 'Empty Trash: done');
  is(await text(page, '#no-messages'), 'This folder is empty.', '... the list says it is empty');
  is(filesIn('.Trash').length, 0, '... and so is .Trash on disk');
}

async function phone(page) {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto(url('/mail'));
  await fits(page, 'the list');
  ok(await page.isVisible(`#open-${uid.news}`), 'the list shows its messages at 375 px');
  // The table may scroll inside its box: that would fit, yet hide columns.
  const cut = await page.evaluate(() => {
    const box = document.querySelector('#messages').closest('.table-wrap').getBoundingClientRect();
    return Array.from(document.querySelectorAll('#messages td'))
      .filter((td) => td.getBoundingClientRect().right > box.right + 0.5).map((td) => td.className);
  });
  is(cut.join(' '), '', '... with no column cut off (every cell inside the list\'s box)');
  await page.goto(url(`/mail/msg?f=INBOX&uid=${uid.pdf}`));
  await fits(page, 'the invoice view');
  await page.goto(url(`/mail/msg?f=Arkiv&uid=1`));
  await fits(page, 'the text mail view');
  await page.goto(url('/mail/folders'));
  await fits(page, 'the folders page');
  await page.goto(url(`/mail/msg?f=INBOX&uid=${uid.news}`));
  await fits(page, 'the newsletter view');
  await screenshot(page, 'mail-view-phone.png');
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function swedish(page) {
  await submit(page, '#lang-sv');
  is(await page.getAttribute('html', 'lang'), 'sv', 'the Swedish link switches to Swedish');
  is(await text(page, 'h1'), 'Inkorg', '... the Inbox is Inkorg');
  const names = await page.$$eval('#folders .folder-name', (s) => s.map((x) => x.textContent.trim()));
  is(names.slice(0, 4).join(' '), 'Inkorg Skickat Utkast Papperskorg', '... the special folders in Swedish');
  ok(!/\b(mail|done)\.[a-z_]+/.test(await page.textContent('body')), '... no catalog key shows');
  await screenshot(page, 'mail-list-sv.png');
  await submit(page, '#lang-en');
  is(await text(page, 'h1'), 'Inbox', 'and back to English');
}

// The hostile message, in a context of its own: its CSP reports are listed,
// not counted as faults; what would show that a payload ran is asserted.
async function hostile(browser) {
  const { context, page, problems } = await t.open(browser);
  const dialogs = [];
  const pwnedRequests = [];
  const consoleLines = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  page.on('console', (m) => consoleLines.push(m.text()));
  page.on('request', (r) => { if (/pwned/i.test(r.url())) pwnedRequests.push(r.url()); });
  context.on('page', (p) => { if (p !== page) dialogs.push(`a new page: ${p.url()}`); });
  await login(page);
  await page.goto(url(`/mail/msg?f=INBOX&uid=${uid.hostile}`));
  const title = await page.title();
  is(await text(page, '#msg-subject'), subjects.hostile, 'the hostile message opens, its subject as text');
  is(await text(page, '#body h1'), 'Din faktura är försenad', '... its harmless text is shown');
  // Whatever is left to click, click: links, buttons, summaries.
  const clickable = await page.$$('#body a, #body button, #body summary, #body input');
  for (const el of clickable) await el.click({ timeout: 1000, noWaitAfter: true }).catch(() => {});
  await page.waitForTimeout(500);
  is(new URL(page.url()).pathname, `${t.script}/mail/msg`, '... clicking all in it leaves the page where it was');
  is(dialogs.length, 0, '... no dialog opened', dialogs.join('\n'));
  is(await page.title(), title, '... the title is unchanged');
  ok(title !== 'pwned', '... and was never "pwned"', title);
  is(await page.evaluate(() => typeof window.pwned), 'undefined', '... window.pwned is undefined');
  is(pwnedRequests.length, 0, '... no request went to a /pwned URL', pwnedRequests.join('\n'));
  const left = await page.evaluate(() => {
    const body = document.getElementById('body');
    const bad = [];
    body.querySelectorAll('script, iframe, object, embed, form, base, meta, link, style, svg, math').forEach(
      (e) => bad.push(`<${e.tagName.toLowerCase()}>`));
    body.querySelectorAll('*').forEach((e) => {
      for (const a of e.attributes) {
        if (/^on/i.test(a.name)) bad.push(`${e.tagName} ${a.name}`);
        if (/^\s*(javascript|data|vbscript):/i.test(a.value)) bad.push(`${e.tagName} ${a.name}=${a.value}`);
      }
    });
    return bad;
  });
  is(left.join(' '), '', '... nothing executable is left in its body');
  const csp = consoleLines.filter((l) => /CSP violation|Content Security Policy/.test(l));
  for (const l of csp) console.log(`# CSP report: ${l}`);
  is(csp.filter((l) => /script-src/.test(l)).length, 0, '... the CSP had no script of it to block', csp.join('\n'));
  // The watchers themselves work: a dialog the test opens is seen.
  await page.evaluate(() => setTimeout(() => alert('control'), 0));
  await page.waitForTimeout(300);
  is(dialogs.join(), 'control', 'the dialog watcher sees a dialog (the control)');
  const other = problems.filter((p) => !/CSP violation|Content Security Policy/.test(p));
  ok(other.length === 0, '... no other console error or failed load', other.join('\n'));
  await context.close();
}

async function run(browser) {
  const { context, page, problems } = await t.open(browser);
  await login(page);
  await list(page);
  await keyboard(page);
  await views(page);
  await folders(page);
  await trash(page);
  await phone(page);
  await swedish(page);
  ok(problems.length === 0, 'no console errors, CSP violations or failed loads', problems.join('\n'));
  await context.close();
  await hostile(browser);
}

t.main('mail.js', run, 120);
