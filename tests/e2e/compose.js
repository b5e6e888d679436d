'use strict';
// compose.js: writing mail in Chromium. klient1@emak.se opens Write from
// the folder list, fills To, Subject and the text, attaches a file (the
// form shows it again, ticked, kept in a draft), sends it and sees the
// notice; Exim delivers it into klient2's Maildir (checked on disk); then
// klient2 logs in, finds it in the Inbox, opens it, sees the attachment
// and answers it with Reply (To, "Re:" and the quoted text filled in).
// The form is usable from the keyboard (every field labelled) and fits
// 375 px; Swedish labels. Run by tests/e2e/compose.sh:
//   node compose.js BASE_URL MAILDIR_OF_KLIENT2
// with QA_ATTACHMENT (the file to attach) in the environment.

const fs = require('fs');
const path = require('path');
const t = require('./lib');

const { ok, is, url, screenshot, text, submit } = t;
const maildir = process.argv[3];
const attachment = process.env.QA_ATTACHMENT;
const subject = 'Protokoll från mötet';

function delivered() {
  return ['cur', 'new'].flatMap((d) => {
    const dir = path.join(maildir, d);
    return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')) : [];
  });
}

async function login(page, user, password) {
  await page.goto(url('/login'));
  await page.fill('#user', user);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => u.pathname === `${t.script}/mail`), page.click('#login-submit')]);
}

async function write(page) {
  await submit(page, '#write-link');
  is(await text(page, 'h1'), 'Write', 'Write opens the compose form');
  for (const id of ['to', 'cc', 'bcc', 'subject', 'body', 'file'])
    ok((await t.labelOf(page, id)) !== '', `the field ${id} has a label`);
  is(await text(page, '#from'), 'klient1@emak.se', 'From is the logged-in address');
  await page.fill('#to', 'Klient Två <klient2@emak.se>');
  await page.fill('#subject', subject);
  await page.fill('#body', 'Hej!\n\nHär kommer protokollet.\n');
  await page.setInputFiles('#file', attachment);
  await submit(page, '#attach');
  ok((await text(page, '#attachment-list')).includes('protokoll.txt'), 'the attached file is listed');
  ok(await page.isChecked('#keep-2'), '... ticked');
  is(await page.inputValue('#subject'), subject, 'what was typed is kept');
  ok((await page.inputValue('#body')).includes('Här kommer protokollet.'), '... the text too');
  await screenshot(page, 'compose-en.png');
  await page.setViewportSize({ width: 375, height: 800 });
  const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  ok(w[0] <= w[1], 'the form fits 375 px', JSON.stringify(w));
  await page.setViewportSize({ width: 1280, height: 800 });
  await submit(page, '#send');
  ok(new URL(page.url()).searchParams.get('done') === 'mail_sent', 'send goes back with a notice', page.url());
  ok((await page.textContent('body')).includes('The message was sent.'), '... "The message was sent."');
  let got = [];
  for (let i = 0; i < 100 && !got.length; i++) {
    got = delivered().filter((m) => m.includes('protokoll.txt'));
    if (!got.length) await page.waitForTimeout(100);
  }
  ok(got.length === 1, 'Exim delivered it to klient2\'s Maildir');
}

async function receive(page) {
  await login(page, 'klient2@emak.se', 'Klient2pw');
  const link = page.locator('#messages tbody tr a', { hasText: subject });
  ok(await link.count() === 1, 'klient2 sees it in the Inbox');
  await Promise.all([page.waitForNavigation(), link.first().click()]);
  is(await text(page, '#msg-subject'), subject, '... opens it');
  ok((await text(page, '#attachments')).includes('protokoll.txt'), '... with its attachment');
  await submit(page, '#reply-link');
  ok((await page.inputValue('#to')).includes('klient1@emak.se'), 'Reply: To is the sender');
  is(await page.inputValue('#subject'), `Re: ${subject}`, '... Re: the subject');
  ok((await page.inputValue('#body')).includes('> Här kommer protokollet.'), '... the text quoted');
  await screenshot(page, 'compose-reply-en.png');
  await page.goto(url('/mail/compose?lang=sv'));
  is(await text(page, '#send'), 'Skicka', 'in Swedish: Skicka');
  await page.goto(url('/mail/compose?lang=en'));
}

async function run(browser) {
  const a = await t.open(browser);
  await login(a.page, 'klient1@emak.se', 'Klient1pw');
  await write(a.page);
  ok(a.problems.length === 0, 'no console errors, CSP violations or failed loads (klient1)', a.problems.join('\n'));
  await a.context.close();
  const b = await t.open(browser);
  await receive(b.page);
  ok(b.problems.length === 0, 'no console errors, CSP violations or failed loads (klient2)', b.problems.join('\n'));
  await b.context.close();
}

t.main('compose.js', run, 120);
