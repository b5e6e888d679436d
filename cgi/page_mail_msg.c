/* page_mail_msg: /mail/msg?f=FOLDER&uid=N, one message: its headers, what
 * mime.h's plan shows (text made safe by textmail.h, HTML through the
 * sanitizer, inline images, nested messages with their own headers) and
 * its attachments with links to download them (page_mail_part.c). Opening
 * it marks it read. ?images=1 shows remote images (off by default: they
 * tell the sender when and where a mail is read); ?plain=1 prefers the
 * plain text of a message sent both ways.
 *
 * One FETCH gets the structure, a second every shown text part at once;
 * parts larger than WM_TEXT_MAX, and those past WM_TEXT_TOTAL or
 * MAX_SHOWN parts, are offered as downloads instead (what is decoded and
 * made safe of them must fit in the request's arena, WM_MEM_MAX). */
#include "config.h"

#include "page.h"

#include "arena.h"
#include "fmt.h"
#include "html.h"
#include "imap.h"
#include "mailaddr_view.h"
#include "maildate.h"
#include "mime.h"
#include "request.h"
#include "response.h"
#include "rfc2047.h"
#include "sanitize.h"
#include "template.h"
#include "textmail.h"
#include "webmail.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define WM_TEXT_MAX (4u << 20)      /* a text part shown in the page */
#define WM_TEXT_TOTAL (8u << 20)    /* all text parts shown in one view */
#define MAX_SHOWN 64                /* text parts fetched for one view */

/* The message view allows what the sanitizer let through: style attributes
 * (its CSS subset) and, when asked, remote images. Nothing else loads. */
#define CSP_VIEW "default-src 'none'; style-src 'self'; style-src-attr 'unsafe-inline'; " \
	"img-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
#define CSP_VIEW_IMAGES "default-src 'none'; style-src 'self'; style-src-attr 'unsafe-inline'; " \
	"img-src 'self' https: http:; script-src 'self'; form-action 'self'; frame-ancestors 'none'; " \
	"base-uri 'none'"

struct view {
	const char *folder;
	uint32_t uid;
	char uidstr[16];
	int images, plain;
	struct ctx *c;
	const struct imap_body *body;
	const struct imap_fetch *texts;   /* the fetched text parts */
	unsigned blocked;                 /* remote images left out */
};

/* The URL of one part of this message. */
static const char *part_url(struct view *v, const char *section, int inline_)
{
	return page_link(v->c, "/mail/part", "f", v->folder, "uid", v->uidstr, "part", section,
	                 "inline", inline_ ? "1" : NULL, NULL);
}

/* sanitize.h's cid: resolver: a part of this message with that Content-ID. */
static const char *cid_url(void *arg, const char *cid)
{
	struct view *v = arg;
	const struct imap_body *p = mime_cid_part(v->body, cid);

	return p && mime_is_image(p) ? part_url(v, p->section, 1) : NULL;
}

static int shown_text(const struct mime_item *it)
{
	return (it->kind == MIME_PLAIN || it->kind == MIME_HTML) && it->part->size <= WM_TEXT_MAX;
}

/* Every text part the plan shows, nested messages' too, while *total
 * (their encoded bytes) stays within WM_TEXT_TOTAL. */
static void collect(const struct mime_plan *p, const char **secs, size_t *n, uint64_t *total)
{
	const struct mime_item *it;

	for (it = p ? p->items : NULL; it && *n < MAX_SHOWN; it = it->next) {
		if (shown_text(it) && *total + it->part->size <= WM_TEXT_TOTAL) {
			*total += it->part->size;
			secs[(*n)++] = it->part->section[0] ? it->part->section : "1";
		} else if (it->kind == MIME_MESSAGE) {
			collect(it->inner, secs, n, total);
		}
	}
}

static const char *decoded(struct arena *a, const char *raw)
{
	return raw ? rfc2047_decode(a, raw, strlen(raw), NULL) : NULL;
}

static void add_headers(struct view *v, struct tdict *d, const struct imap_envelope *env)
{
	struct arena *a = v->c->a;

	if (!env)
		return;
	td_set(d, "h_from", mailaddr_list(a, env->from));
	td_set(d, "h_to", mailaddr_list(a, env->to));
	td_set(d, "h_cc", mailaddr_list(a, env->cc));
	td_set(d, "h_date", env->date ? env->date : "");
	td_set(d, "h_subject", env->subject ? decoded(a, env->subject)
	                                     : ctx_text(v->c, MSG("mail.no_subject")));
}

/* format=flowed (RFC 3676) and its DelSp, from the part's parameters. */
static unsigned flowed(const struct imap_body *part)
{
	const char *f = imap_param_get(part->params, "format");
	const char *d = imap_param_get(part->params, "delsp");

	if (!f || strcasecmp(f, "flowed"))
		return 0;
	return TEXTMAIL_FLOWED | (d && !strcasecmp(d, "yes") ? TEXTMAIL_DELSP : 0);
}

/* A text item as safe HTML; -1 when it was not fetched (over a bound, or
 * the message went away between the FETCHes) or memory ran out. */
static int text_block(struct view *v, struct tdict *d, const struct mime_item *it)
{
	const char *sec = it->part->section[0] ? it->part->section : "1";
	const struct imap_section *s = v->texts ? imap_fetch_section(v->texts, sec) : NULL;
	struct sanitize_opts o = { v->images, 1, cid_url, v };
	struct sanitize_result r;
	struct safe_html h;
	char *text;
	size_t len;

	if (!s || !s->data || mime_decode_text(v->c->a, it->part, s->data, s->len, &text, &len) < 0)
		return -1;
	if (it->kind == MIME_HTML) {
		if (sanitize_html(v->c->a, text, len, &o, &r) < 0)
			return -1;
		v->blocked += r.remote_blocked;
		if (r.truncated)          /* cut at a sanitizer bound: the rest is in the download */
			td_set(d, "cut_url", part_url(v, sec, 0));
		h = r.html;
	} else if (textmail_html(v->c->a, text, len, flowed(it->part), &h) < 0) {
		return -1;
	}
	if (td_set_html(d, "html", h) < 0)
		return -1;            /* no room: offered as a download instead */
	td_set_bool(d, "is_html", it->kind == MIME_HTML);
	td_set_bool(d, "is_text", 1);
	return 0;
}

/* The plan as a flat list of blocks (the template cannot recurse): nested
 * messages open a block with their headers and a deeper level. */
static void add_blocks(struct view *v, struct tlist *l, const struct mime_plan *p, unsigned depth)
{
	const struct mime_item *it;

	for (it = p ? p->items : NULL; it; it = it->next) {
		struct tdict *d = tlist_add(l);

		if (!d)
			return;
		td_setf(d, "depth", "%u", depth);
		if (it->kind == MIME_MESSAGE) {
			td_set_bool(d, "is_message", 1);
			add_headers(v, d, it->env);
			td_set(d, "eml_url", part_url(v, it->part->section, 0));
			add_blocks(v, l, it->inner, depth + 1);
		} else if (it->kind == MIME_IMAGE) {
			td_set_bool(d, "is_image", 1);
			td_set(d, "src", part_url(v, it->part->section, 1));
			td_set(d, "alt", mime_filename(v->c->a, it->part));
		} else if (!shown_text(it) || text_block(v, d, it) < 0) {
			td_set_bool(d, "is_big", 1);
			td_set(d, "src", part_url(v, it->part->section[0] ? it->part->section : "1", 0));
		}
	}
}

static void add_attachments(struct view *v, const struct mime_plan *p)
{
	struct tlist *l = td_list(v->c->data, "attachments");
	const struct mime_attachment *at;

	for (at = p->attachments; at; at = at->next) {
		struct tdict *d = tlist_add(l);

		if (!d)
			return;
		td_set(d, "name", at->filename);
		td_set(d, "type", at->type);
		td_set(d, "size", fmt_bytes(v->c, at->size));
		td_set(d, "url", part_url(v, at->part->section, 0));
		td_set(d, "section", at->part->section);
	}
}

/* The two FETCHes: structure and flags, then the shown text parts. */
static int fetch(struct imap *im, struct view *v, const struct imap_fetch **msg,
                 struct mime_plan **plan)
{
	static const struct imap_fetch_spec head = {
		IMAP_FETCH_FLAGS | IMAP_FETCH_ENVELOPE | IMAP_FETCH_BODYSTRUCTURE
		| IMAP_FETCH_INTERNALDATE | IMAP_FETCH_SIZE, NULL, 0, 0, 0
	};
	const char *secs[MAX_SHOWN];
	struct imap_fetch_spec spec = { 0, secs, 0, 0, 0 };
	struct imap_fetch *m, *t;
	uint64_t total = 0;
	size_t n;
	int rc = imap_fetch(im, &v->uid, 1, &head, &m, &n);

	if (rc != IMAP_OK || n == 0 || !m->body)
		return rc;                       /* *msg stays NULL: the message is gone */
	*msg = m;
	v->body = m->body;
	if (mime_plan(v->c->a, m->body, v->plain ? MIME_PREFER_PLAIN : 0, plan) < 0)
		return IMAP_ERR_NOMEM;
	collect(*plan, secs, &spec.nsections, &total);
	v->texts = NULL;
	/* An unread message is marked read by the FETCH of its text itself
	 * (BODY[], not BODY.PEEK[]): one command fewer than a STORE. */
	if (!(m->flags.bits & IMAP_FLAG_SEEN))
		spec.items |= IMAP_FETCH_MARK_SEEN;
	if (spec.nsections) {
		rc = imap_fetch(im, &v->uid, 1, &spec, &t, &n);
		if (rc == IMAP_OK && n)
			v->texts = t;
	} else if (!(m->flags.bits & IMAP_FLAG_SEEN)) {
		rc = imap_store(im, &v->uid, 1, IMAP_STORE_ADD, IMAP_FLAG_SEEN, NULL, 0);
	}
	return rc;
}

static int read_view(struct ctx *c, struct view *v)
{
	memset(v, 0, sizeof(*v));
	v->c = c;
	v->folder = wm_folder(req_query(c->req, "f"));
	v->uid = wm_uid(req_query(c->req, "uid"));
	v->images = req_query(c->req, "images") && !strcmp(req_query(c->req, "images"), "1");
	v->plain = req_query(c->req, "plain") && !strcmp(req_query(c->req, "plain"), "1");
	snprintf(v->uidstr, sizeof(v->uidstr), "%u", v->uid);
	return v->folder && v->uid ? 0 : -1;
}

static void render(struct ctx *c, struct view *v, const struct imap_fetch *m,
                   const struct mime_plan *plan)
{
	time_t sent;

	add_headers(v, c->data, m->env);
	/* The sender's Date: as the list shows it; the arrival time without one. */
	sent = m->env ? mail_date_parse(m->env->date) : 0;
	td_set(c->data, "date", wm_date(c, sent ? sent : m->internaldate, 1));
	add_blocks(v, td_list(c->data, "blocks"), plan, 0);
	add_attachments(v, plan);
	td_set(c->data, "title", m->env && m->env->subject ? decoded(c->a, m->env->subject)
	                                                   : ctx_text(c, MSG("mail.no_subject")));
	td_set(c->data, "folder", v->folder);
	td_set(c->data, "uid", v->uidstr);
	td_set_bool(c->data, "flagged", (m->flags.bits & IMAP_FLAG_FLAGGED) != 0);
	td_set(c->data, "back_url", page_link(c, "/mail", "f", v->folder, NULL));
	td_set(c->data, "reply_url", page_link(c, "/mail/compose", "f", v->folder, "reply", v->uidstr, NULL));
	td_set(c->data, "replyall_url", page_link(c, "/mail/compose", "f", v->folder, "replyall", v->uidstr,
	                                          NULL));
	td_set(c->data, "forward_url", page_link(c, "/mail/compose", "f", v->folder, "forward", v->uidstr,
	                                         NULL));
	td_set(c->data, "forward_att_url", page_link(c, "/mail/compose", "f", v->folder, "forward_att",
	                                             v->uidstr, NULL));
	td_set(c->data, "source_url", page_link(c, "/mail/source", "f", v->folder, "uid", v->uidstr, NULL));
	if (v->blocked) {
		td_setf(c->data, "blocked", "%u", v->blocked);
		td_set(c->data, "images_url", page_link(c, "/mail/msg", "f", v->folder, "uid", v->uidstr,
		                                        "images", "1", "plain", v->plain ? "1" : NULL, NULL));
	}
	td_set(c->data, "plain_url", page_link(c, "/mail/msg", "f", v->folder, "uid", v->uidstr,
	                                       "plain", v->plain ? NULL : "1", NULL));
	td_set_bool(c->data, "plain", v->plain);
	c->resp->csp = v->images ? CSP_VIEW_IMAGES : CSP_VIEW;
}

void page_mail_msg(struct ctx *c)
{
	const char *special[WM_NSPECIAL];
	const struct imap_fetch *m = NULL;
	struct mime_plan *plan = NULL;
	struct imap_mailbox *f;
	struct imap *im;
	struct view v;
	size_t nf;
	int rc;

	if (!page_get_ok(c))
		return;
	if (read_view(c, &v) < 0) {
		page_error(c, 400);
		return;
	}
	if (!(im = wm_open(c)))
		return;
	rc = wm_folders(c, im, 0, &f, &nf, special);
	if (rc == IMAP_OK)
		rc = imap_select(im, v.folder, 0, NULL);
	if (rc == IMAP_OK)
		rc = fetch(im, &v, &m, &plan);
	if (rc != IMAP_OK) {
		wm_fail(c, im, rc);
		return;
	}
	wm_close(im);
	if (!m) {
		page_error_msg(c, 404, NULL, ctx_text(c, MSG("mail.gone")));
		return;
	}
	wm_folders_data(c, f, nf, special, v.folder);
	render(c, &v, m, plan);
	page_render(c, 200, "mail_msg");
}
