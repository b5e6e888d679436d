/* page_mail: /mail, a folder's messages (?f=, INBOX by default): 50 a page
 * (?page=N), newest first or sorted by date, sender, subject or size either
 * way (?sort=date|-date|from|-from|subject|-subject|size|-size), searched in
 * sender, subject and body (?q=), with unread and flagged marks and a form
 * to mark, move or delete the ticked ones (page_mail_act.c). The folder
 * list with unread counts is the side bar.
 *
 * The order comes from the server's SORT when it has it. Without SORT the
 * UIDs come from SEARCH in arrival order (the same as date order for
 * delivered mail), and the other orders sort the page's own window, which
 * is what a server without SORT allows without fetching every message. */
#include "config.h"

#include "page.h"

#include "arena.h"
#include "fmt.h"
#include "imap.h"
#include "mailaddr_view.h"
#include "maildate.h"
#include "request.h"
#include "rfc2047.h"
#include "template.h"
#include "webmail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_MAX 1000000
#define QUERY_MAX 200

static const struct {
	const char *name;
	enum imap_sort_key key;
	int reverse;
} sorts[] = {
	{ "-date", IMAP_SORT_DATE, 1 }, { "date", IMAP_SORT_DATE, 0 },
	{ "from", IMAP_SORT_FROM, 0 }, { "-from", IMAP_SORT_FROM, 1 },
	{ "subject", IMAP_SORT_SUBJECT, 0 }, { "-subject", IMAP_SORT_SUBJECT, 1 },
	{ "size", IMAP_SORT_SIZE, 0 }, { "-size", IMAP_SORT_SIZE, 1 },
};

struct view {
	const char *folder;
	size_t sort;            /* index into sorts */
	unsigned long page;     /* 1-based */
	const char *q;          /* the search, or NULL */
};

static void read_view(struct ctx *c, struct view *v)
{
	const char *s = req_query(c->req, "sort"), *p = req_query(c->req, "page");
	const char *q = req_query(c->req, "q");
	char *end;
	size_t i;

	v->folder = wm_folder(req_query(c->req, "f"));
	v->sort = 0;
	for (i = 0; s && i < sizeof(sorts) / sizeof(sorts[0]); i++)
		if (!strcmp(s, sorts[i].name))
			v->sort = i;
	v->page = p ? strtoul(p, &end, 10) : 1;
	if (!p || *end || v->page < 1 || v->page > PAGE_MAX)
		v->page = 1;
	v->q = q && *q && strlen(q) <= QUERY_MAX && wm_folder(q) ? q : NULL;
}

/* A link to this list with the sort or the page changed. */
static const char *view_link(struct ctx *c, const struct view *v, const char *sort,
                             unsigned long page)
{
	char pg[24];

	snprintf(pg, sizeof(pg), "%lu", page);
	return page_link(c, "/mail", "f", v->folder, "sort", sort, "q", v->q,
	                 "page", page > 1 ? pg : NULL, NULL);
}

/* The folder's UIDs in the view's order; *sorted says whether the server
 * put them in that order (else the page window is sorted here). */
static int view_uids(struct imap *im, const struct view *v, uint32_t **uids, size_t *n,
                     int *sorted)
{
	struct imap_search_term t[3] = {
		{ IMAP_SK_FROM, v->q }, { IMAP_SK_SUBJECT, v->q }, { IMAP_SK_BODY, v->q },
	};
	struct imap_search q = { t, v->q ? 3 : 0, 1 };
	int rc = imap_sort(im, sorts[v->sort].key, sorts[v->sort].reverse, &q, uids, n);
	size_t i;

	*sorted = rc == IMAP_OK;
	if (rc != IMAP_ERR_UNSUPPORTED)
		return rc;
	rc = imap_search(im, &q, uids, n);
	/* Arrival order stands in for date order; newest first by default. */
	if (rc == IMAP_OK && sorts[v->sort].reverse && sorts[v->sort].key == IMAP_SORT_DATE)
		for (i = 0; i < *n / 2; i++) {
			uint32_t t2 = (*uids)[i];

			(*uids)[i] = (*uids)[*n - 1 - i];
			(*uids)[*n - 1 - i] = t2;
		}
	*sorted = sorts[v->sort].key == IMAP_SORT_DATE;
	return rc;
}

/* The window's own order when the server could not sort, by the fetched
 * fields; arg is the index into sorts. */
static int window_cmp(const void *a, const void *b, void *arg)
{
	const struct imap_fetch *x = a, *y = b;
	size_t sort = *(const size_t *)arg;
	int r = 0;

	switch (sorts[sort].key) {
	case IMAP_SORT_SIZE: r = (x->size > y->size) - (x->size < y->size); break;
	case IMAP_SORT_SUBJECT:
		r = strcmp(x->env && x->env->subject ? x->env->subject : "",
		           y->env && y->env->subject ? y->env->subject : "");
		break;
	case IMAP_SORT_FROM:
		r = strcmp(x->env && x->env->from && x->env->from->mailbox ? x->env->from->mailbox : "",
		           y->env && y->env->from && y->env->from->mailbox ? y->env->from->mailbox : "");
		break;
	default: r = (x->internaldate > y->internaldate) - (x->internaldate < y->internaldate);
	}
	return sorts[sort].reverse ? -r : r;
}

static void add_row(struct ctx *c, struct tlist *l, const struct view *v,
                    const struct imap_fetch *m)
{
	struct tdict *d = tlist_add(l);
	const char *subject = m->env && m->env->subject ? m->env->subject : "";
	/* The sender's Date:, which the server's SORT orders by; the arrival
	 * time when it has none that parses. */
	time_t sent = m->env ? mail_date_parse(m->env->date) : 0;
	char uid[16];

	if (!d)
		return;
	if (!sent)
		sent = m->internaldate;
	snprintf(uid, sizeof(uid), "%u", m->uid);
	td_set(d, "uid", uid);
	td_set(d, "from", m->env ? mailaddr_short(c->a, m->env->from) : "");
	subject = rfc2047_decode(c->a, subject, strlen(subject), NULL);
	td_set(d, "subject", subject && *subject ? subject : ctx_text(c, MSG("mail.no_subject")));
	td_set(d, "date", wm_date(c, sent, 0));
	td_set(d, "date_full", wm_date(c, sent, 1));
	td_set(d, "size", fmt_bytes(c, m->size));
	td_set_bool(d, "unseen", !(m->flags.bits & IMAP_FLAG_SEEN));
	td_set_bool(d, "flagged", (m->flags.bits & IMAP_FLAG_FLAGGED) != 0);
	td_set_bool(d, "answered", (m->flags.bits & IMAP_FLAG_ANSWERED) != 0);
	td_set(d, "url", page_link(c, "/mail/msg", "f", v->folder, "uid", uid, NULL));
}

static int list_page(struct ctx *c, struct imap *im, const struct view *v)
{
	static const struct imap_fetch_spec spec = {
		IMAP_FETCH_FLAGS | IMAP_FETCH_SIZE | IMAP_FETCH_INTERNALDATE | IMAP_FETCH_ENVELOPE,
		NULL, 0, 0, 0
	};
	uint32_t *uids;
	size_t n, off, shown, nm, i;
	struct imap_fetch *msgs;
	struct tlist *l = td_list(c->data, "messages");
	int sorted, rc = view_uids(im, v, &uids, &n, &sorted);

	if (rc != IMAP_OK)
		return rc;
	off = (v->page - 1) * WM_PAGE_SIZE;
	if (off >= n)
		off = n ? (n - 1) / WM_PAGE_SIZE * WM_PAGE_SIZE : 0;
	shown = n - off < WM_PAGE_SIZE ? n - off : WM_PAGE_SIZE;
	rc = shown ? imap_fetch(im, uids + off, shown, &spec, &msgs, &nm) : IMAP_OK;
	if (rc != IMAP_OK || !shown)
		nm = 0;
	if (nm && !sorted)
		qsort_r(msgs, nm, sizeof(*msgs), window_cmp, (void *)&v->sort);
	for (i = 0; i < nm; i++)
		add_row(c, l, v, &msgs[i]);
	page_paging(c, off, nm, n,
	            off ? view_link(c, v, sorts[v->sort].name, off / WM_PAGE_SIZE) : NULL,
	            off + shown < n ? view_link(c, v, sorts[v->sort].name, off / WM_PAGE_SIZE + 2) : NULL);
	return rc;
}

/* Column headers: a link to sort by the column, the other way when it is
 * the current one; aria-sort for the current one. */
static void add_sort_links(struct ctx *c, const struct view *v)
{
	static const char *const cols[] = { "date", "from", "subject", "size" };
	const char *cur = sorts[v->sort].name, *bare = cur[0] == '-' ? cur + 1 : cur;
	size_t i;

	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		int is = !strcmp(bare, cols[i]);
		const char *next = is && cur[0] != '-' ? arena_printf(c->a, "-%s", cols[i]) : cols[i];

		td_set(c->data, arena_printf(c->a, "sort_%s_url", cols[i]), view_link(c, v, next, 1));
		if (is)
			td_set(c->data, arena_printf(c->a, "sort_%s", cols[i]),
			       cur[0] == '-' ? "descending" : "ascending");
	}
}

void page_mail(struct ctx *c)
{
	const char *special[WM_NSPECIAL];
	struct imap_mailbox *f;
	struct imap *im;
	struct view v;
	size_t nf;
	int rc;

	if (!page_get_ok(c))
		return;
	read_view(c, &v);
	if (!v.folder) {
		page_error(c, 400);
		return;
	}
	if (!(im = wm_open(c)))
		return;
	rc = wm_folders(c, im, WM_COUNTS, &f, &nf, special);
	if (rc == IMAP_OK)
		rc = imap_select(im, v.folder, 1, NULL);
	if (rc == IMAP_OK)
		rc = list_page(c, im, &v);
	if (rc != IMAP_OK) {
		wm_fail(c, im, rc);
		return;
	}
	wm_close(im);
	wm_folders_data(c, f, nf, special, v.folder);
	add_sort_links(c, &v);
	td_set(c->data, "title", ctx_text(c, MSG("mail.title")));
	td_set(c->data, "folder", v.folder);
	td_set(c->data, "sort", sorts[v.sort].name);
	td_setf(c->data, "page", "%lu", v.page);
	td_set_bool(c->data, "searched", v.q != NULL);
	if (v.q)
		td_set(c->data, "q", v.q);
	td_set_bool(c->data, "in_trash", !strcmp(v.folder, special[WM_TRASH]));
	td_set(c->data, "back", view_link(c, &v, sorts[v.sort].name, v.page));
	page_render(c, 200, "mail");
}
