/* page_mail_act: POST /mail/act, what the message list's buttons do to the
 * ticked messages (uid=, several) of folder f: mark read or unread, flag or
 * unflag, move to another folder (to=), or delete: to Trash, or for good
 * when they are in Trash already. Also POST /mail/empty-trash. Back to the
 * list as it was (sort, q, page) with a notice. */
#include "config.h"

#include "page.h"

#include "imap.h"
#include "request.h"
#include "response.h"
#include "webmail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACT_MAX 500      /* messages one click may act on */

/* The ticked UIDs; 0 when none (or one is not a UID: nothing is done then). */
static size_t ticked(struct ctx *c, uint32_t *uids)
{
	const struct param *p;
	size_t n = 0;

	for (p = c->req->form; p; p = p->next) {
		if (strcmp(p->name, "uid"))
			continue;
		if (n == ACT_MAX || !(uids[n] = wm_uid(p->value)))
			return 0;
		n++;
	}
	return n;
}

/* Back to the list the form came from. */
static void back(struct ctx *c, const char *folder, const char *notice)
{
	const char *page = req_form(c->req, "page"), *sort = req_form(c->req, "sort");
	const char *q = req_form(c->req, "q");
	char pg[16];
	unsigned long n = page ? strtoul(page, NULL, 10) : 0;

	snprintf(pg, sizeof(pg), "%lu", n);
	if (sort && strlen(sort) > 16)
		sort = NULL;
	if (q && (strlen(q) > 200 || !wm_folder(q)))
		q = NULL;
	if (resp_redirect(c->resp, page_link(c, "/mail", "f", folder, "sort", sort && *sort ? sort : NULL,
	                                     "q", q && *q ? q : NULL,
	                                     "page", n > 1 && n < 1000000 ? pg : NULL,
	                                     "done", notice, NULL)) < 0)
		page_error(c, 500);
}

static int flag_action(struct imap *im, const char *action, const uint32_t *uids, size_t n)
{
	static const struct {
		const char *name;
		enum imap_store_op op;
		unsigned flag;
	} acts[] = {
		{ "read", IMAP_STORE_ADD, IMAP_FLAG_SEEN }, { "unread", IMAP_STORE_REMOVE, IMAP_FLAG_SEEN },
		{ "flag", IMAP_STORE_ADD, IMAP_FLAG_FLAGGED }, { "unflag", IMAP_STORE_REMOVE, IMAP_FLAG_FLAGGED },
	};
	size_t i;

	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
		if (!strcmp(action, acts[i].name))
			return imap_store(im, uids, n, acts[i].op, acts[i].flag, NULL, 0);
	return IMAP_ERR_INVALID;
}

/* delete and move: the folder to move to, Trash's name from the folder
 * list when deleting; NULL to delete for good (already in Trash). */
static int move_action(struct ctx *c, struct imap *im, const char *folder, const char *action,
                       const uint32_t *uids, size_t n)
{
	const char *special[WM_NSPECIAL], *to = wm_folder(req_form(c->req, "to"));
	struct imap_mailbox *f;
	size_t nf;
	int rc;

	if (!strcmp(action, "move")) {
		if (!to || !req_form(c->req, "to") || !strcmp(to, folder))
			return IMAP_ERR_INVALID;
		return imap_move(im, uids, n, to);
	}
	rc = wm_folders(c, im, 0, &f, &nf, special);
	if (rc != IMAP_OK)
		return rc;
	if (!strcmp(folder, special[WM_TRASH]))
		return imap_expunge_uids(im, uids, n);
	return imap_move(im, uids, n, special[WM_TRASH]);
}

void page_mail_act(struct ctx *c)
{
	uint32_t uids[ACT_MAX];
	const char *folder, *action;
	struct imap *im;
	size_t n;
	int rc;

	if (!page_post_ok(c))
		return;
	folder = wm_folder(req_form(c->req, "f"));
	action = req_form(c->req, "action");
	n = ticked(c, uids);
	if (!folder || !action) {
		page_error(c, 400);
		return;
	}
	if (n == 0) {
		back(c, folder, "none_ticked");
		return;
	}
	if (!(im = wm_open(c)))
		return;
	rc = imap_select(im, folder, 0, NULL);
	if (rc == IMAP_OK)
		rc = !strcmp(action, "delete") || !strcmp(action, "move")
		     ? move_action(c, im, folder, action, uids, n) : flag_action(im, action, uids, n);
	if (rc != IMAP_OK) {
		wm_fail(c, im, rc);
		return;
	}
	wm_close(im);
	back(c, folder, !strcmp(action, "delete") ? "mail_deleted"
	                : !strcmp(action, "move") ? "mail_moved" : "mail_marked");
}

/* Everything in Trash, for good. */
void page_mail_empty_trash(struct ctx *c)
{
	const char *special[WM_NSPECIAL];
	struct imap_mailbox *f;
	struct imap_search all = { NULL, 0, 0 };
	uint32_t *uids;
	struct imap *im;
	size_t nf, n = 0;
	int rc;

	if (!page_post_ok(c) || !(im = wm_open(c)))
		return;
	rc = wm_folders(c, im, 0, &f, &nf, special);
	if (rc == IMAP_OK)
		rc = imap_select(im, special[WM_TRASH], 0, NULL);
	if (rc == IMAP_OK)
		rc = imap_search(im, &all, &uids, &n);
	if (rc == IMAP_OK && n)
		rc = imap_expunge_uids(im, uids, n);
	if (rc != IMAP_OK) {
		wm_fail(c, im, rc);
		return;
	}
	wm_close(im);
	back(c, special[WM_TRASH], "trash_emptied");
}
