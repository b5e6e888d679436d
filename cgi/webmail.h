/* webmail: what every webmail page shares. A webmail request is one helper
 * run (webmail.open: is the session alive, may this mailbox use webmail,
 * and the sealed half of its password) and one IMAP connection, logged in
 * as the mailbox with its own password (wmkey.h), closed when the page is
 * done: the IMAP server is the authority on mail, the front end keeps no
 * mail between requests. */
#ifndef QA_WEBMAIL_H
#define QA_WEBMAIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct ctx;
struct imap;
struct imap_mailbox;

/* The special folders, found by their RFC 6154 flag or else by name. */
enum wm_special { WM_INBOX, WM_SENT, WM_DRAFTS, WM_TRASH, WM_NSPECIAL };

#define WM_FOLDER_MAX 200   /* bytes of a folder name, UTF-8 */
/* What one webmail request may allocate beyond the form limits (the
 * request arena, app.c): one IMAP response at its largest
 * (IMAP_RESPONSE_MAX, cgi/imap_parse.h) and the part decoded from it, or
 * the text parts a message view shows, decoded and made safe. Freed when
 * the request ends. */
#define WM_MEM_MAX (96u << 20)
#define WM_PAGE_SIZE 50     /* messages a list page shows */

/* The logged-in mailbox's IMAP connection, or NULL when the request has
 * been answered: the login form (no session, or no webmail password in
 * it), 403 (webmail is off for this mailbox), 503 (the mail server cannot
 * be reached). Sets c->nav to "mail". */
struct imap *wm_open(struct ctx *c);

/* The same, and pw (n bytes, WM_PASSWORD_MAX + 1 is enough) gets the
 * mailbox's password, for sending with smtp_auth = user. The caller wipes
 * it (OPENSSL_cleanse) before the request ends; it is never stored. */
struct imap *wm_open_pw(struct ctx *c, char *pw, size_t n);

/* LOGOUT and free; NULL is fine. */
void wm_close(struct imap *im);

/* Answers an IMAP error rc of a page's command: a missing folder 404, not
 * permitted 403, over quota 507, a bad name 400, server trouble 503; the
 * login form when the server no longer takes the password. Closes im. */
void wm_fail(struct ctx *c, struct imap *im, int rc);

/* A folder name from a query or form value: UTF-8, 1..WM_FOLDER_MAX bytes,
 * no control characters; NULL otherwise. NULL or "" in gives "INBOX". */
const char *wm_folder(const char *v);

/* A body section from a query or form value: numbers joined by single
 * dots ("2", "1.3"), as imap_parse_body writes them, at most 64 bytes. */
int wm_section(const char *v);

/* A UID from a query or form value (1..2^32-1), or 0. */
uint32_t wm_uid(const char *v);

#define WM_COUNTS 1          /* wm_folders: with message and unseen counts */

/* The folders, special ones first (INBOX, Sent, Drafts, Trash, created here
 * when missing), then the others by name; with WM_COUNTS (flags), each
 * one's message and unseen counts, which cost the server a STATUS of every
 * folder: pages that only need the names leave it out. special[] gets each
 * special folder's name. */
int wm_folders(struct ctx *c, struct imap *im, unsigned flags, struct imap_mailbox **out,
               size_t *n, const char *special[WM_NSPECIAL]);

/* The folder list as template data "folders" (name, label, url, unseen,
 * current) for the side bar and the move menus. */
void wm_folders_data(struct ctx *c, const struct imap_mailbox *f, size_t n,
                     const char *special[WM_NSPECIAL], const char *current);

/* A date for a list or a header, in the page's language: "14:05" today,
 * "3 Mar" this year, "2025-03-03" before. */
const char *wm_date(struct ctx *c, time_t t, int full);

#endif
