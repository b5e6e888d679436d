/* page_mail_folders: /mail/folders, the folders with their message and
 * unread counts; create one, rename or delete one of the user's own (INBOX,
 * Sent, Drafts and Trash stay: webmail needs them and makes them again). A
 * POST (action=create|rename|delete, name=, new=) goes back here with a
 * notice; a refused one shows the list again with the reason. */
#include "config.h"

#include "page.h"

#include "imap.h"
#include "request.h"
#include "response.h"
#include "template.h"
#include "webmail.h"

#include <string.h>

static int is_special(const char *name, const char *special[WM_NSPECIAL])
{
	int s;

	for (s = 0; s < WM_NSPECIAL; s++)
		if (!strcmp(name, special[s]))
			return 1;
	return 0;
}

static void show(struct ctx *c, struct imap *im, int status, const char *error)
{
	const char *special[WM_NSPECIAL];
	struct imap_mailbox *f;
	size_t nf, i;
	struct tlist *l;
	int rc = wm_folders(c, im, WM_COUNTS, &f, &nf, special);

	if (rc != IMAP_OK) {
		wm_fail(c, im, rc);
		return;
	}
	wm_close(im);
	wm_folders_data(c, f, nf, special, NULL);
	/* The user's own folders again, for the rename and delete forms. */
	l = td_list(c->data, "own");
	for (i = 0; i < nf; i++) {
		struct tdict *d;

		if (is_special(f[i].name, special) || !(d = tlist_add(l)))
			continue;
		td_set(d, "name", f[i].name);
		td_setf(d, "id", "%zu", i);
	}
	if (error)
		td_set(c->data, "error", ctx_text(c, error));
	td_set(c->data, "title", ctx_text(c, MSG("mail.folders_title")));
	page_render(c, status, "mail_folders");
}

/* The error message for a refused change. */
static const char *refusal(int rc)
{
	switch (rc) {
	case IMAP_ERR_EXISTS: return MSG("mail.folder_exists");
	case IMAP_ERR_NO_MAILBOX: return MSG("mail.no_folder");
	case IMAP_ERR_INVALID: return MSG("mail.folder_bad_name");
	default: return MSG("mail.refused");
	}
}

static int change(struct ctx *c, struct imap *im, const char *action, const char **notice)
{
	const char *special[WM_NSPECIAL], *name = req_form(c->req, "name");
	const char *to = req_form(c->req, "new");
	struct imap_mailbox *f;
	size_t nf;
	int rc;

	if (!name || !*name || !wm_folder(name))
		return IMAP_ERR_INVALID;
	if (!strcmp(action, "create")) {
		*notice = "folder_created";
		return imap_create(im, name);
	}
	rc = wm_folders(c, im, 0, &f, &nf, special);
	if (rc != IMAP_OK)
		return rc;
	if (is_special(name, special))
		return IMAP_ERR_DENIED;
	if (!strcmp(action, "delete")) {
		*notice = "folder_deleted";
		return imap_delete(im, name);
	}
	if (!strcmp(action, "rename") && to && *to && wm_folder(to)) {
		*notice = "folder_renamed";
		return is_special(to, special) ? IMAP_ERR_EXISTS : imap_rename(im, name, to);
	}
	return IMAP_ERR_INVALID;
}

void page_mail_folders(struct ctx *c)
{
	const char *action, *notice = NULL;
	struct imap *im;
	int rc;

	if (c->req->method == M_POST ? !page_post_ok(c) : !page_get_ok(c))
		return;
	if (!(im = wm_open(c)))
		return;
	if (c->req->method != M_POST) {
		show(c, im, 200, NULL);
		return;
	}
	action = req_form(c->req, "action");
	rc = action ? change(c, im, action, &notice) : IMAP_ERR_INVALID;
	if (rc == IMAP_OK) {
		wm_close(im);
		if (resp_redirect(c->resp, page_link(c, "/mail/folders", "done", notice, NULL)) < 0)
			page_error(c, 500);
		return;
	}
	if (rc == IMAP_ERR_DENIED) {
		show(c, im, 403, MSG("mail.folder_special"));
		return;
	}
	if (rc == IMAP_ERR_EXISTS || rc == IMAP_ERR_NO_MAILBOX || rc == IMAP_ERR_INVALID
	    || rc == IMAP_ERR_REFUSED) {
		show(c, im, rc == IMAP_ERR_EXISTS ? 409 : rc == IMAP_ERR_NO_MAILBOX ? 404 : 400, refusal(rc));
		return;
	}
	wm_fail(c, im, rc);
}
