/* page_compose: /mail/compose, writing mail (compose_form.h for the form).
 *
 * GET: an empty form; ?reply=UID&f=FOLDER (To: the Reply-To or From),
 * ?replyall= (and the other To and Cc, not oneself), ?forward= (the text
 * quoted inline with its headers, the attachments carried along),
 * ?forward_att= (the message itself attached as message/rfc822), ?draft=
 * (a draft of the Drafts folder, resumed).
 *
 * POST, action=
 *   send    build, submit (submit.h), APPEND to Sent with \Seen, remove the
 *           draft, back to the folder with a notice. When the relay
 *           refuses or cannot be reached, the form is saved as a draft and
 *           shown again with the relay's error: nothing typed is lost.
 *   save    APPEND to Drafts (\Draft \Seen), remove the previous draft, to
 *           the Drafts folder with a notice.
 *   attach, remove
 *           the same save, then the form again, its attachments those of
 *           the new draft (the files of this post added, unticked ones
 *           left out).
 * A field in error shows the form again (400) and saves nothing. */
#include "config.h"

#include "page.h"

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "compose_form.h"
#include "imap.h"
#include "maildate.h"
#include "mime.h"
#include "request.h"
#include "response.h"
#include "rfc2047.h"
#include "submit.h"
#include "template.h"
#include "webmail.h"
#include "wmkey.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum mode { M_NEW, M_REPLY, M_REPLY_ALL, M_FORWARD, M_FORWARD_ATT, M_DRAFT };

struct orig {
	const struct imap_fetch *msg;
	const char *hdrs;                 /* HEADER.FIELDS below */
	const char *text;                 /* its first plain text, decoded; "" */
	struct mime_plan *plan;
};

#define HDR_SECTION "HEADER.FIELDS (FROM REPLY-TO TO CC BCC REFERENCES)"

static void show(struct ctx *c, struct imap *im, struct compose *f, int status,
                 const struct imap_mailbox *fl, size_t nf, const char *special[WM_NSPECIAL])
{
	int rc = compose_data(c, im, f);

	if (rc != IMAP_OK) {
		wm_fail(c, im, rc);
		return;
	}
	wm_close(im);
	wm_folders_data(c, fl, nf, special, NULL);
	page_render(c, status, "compose");
}

/* ------------------------------------------------------------ prefilling */

/* A header's value from a HEADER.FIELDS answer, unfolded; NULL when absent. */
static char *header_get(struct arena *a, const char *hdrs, const char *name)
{
	size_t n = strlen(name);
	const char *p = hdrs;
	struct buf b = BUF_INIT;
	char *out;

	while (p && *p) {
		if (!strncasecmp(p, name, n) && p[n] == ':')
			break;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	if (!p || !*p)
		return NULL;
	for (p += n + 1; *p; p++) {
		if (*p == '\r' || *p == '\n') {
			if (*p == '\r' && p[1] == '\n')
				p++;
			if (p[1] != ' ' && p[1] != '\t')
				break;
			continue;
		}
		buf_addc(&b, *p);
	}
	out = buf_failed(&b) ? NULL : arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return out;
}

static int same_addr(const struct addr *x, const struct addr *y)
{
	return !strcmp(x->local, y->local) && !strcmp(x->domain, y->domain);
}

static int in_list(const struct addr *ad, const struct addrlist *l)
{
	size_t i;

	for (i = 0; l && i < l->n; i++)
		if (same_addr(ad, &l->v[i]))
			return 1;
	return 0;
}

/* The typed form of one address: "Name <a@x>", the name quoted when it
 * holds what a typed list reads as a separator. */
static void typed_addr(struct arena *a, struct buf *b, const struct addr *ad)
{
	const char *spec = addrlist_addr_spec(a, ad), *s;

	if (!ad->name || !*ad->name) {
		buf_adds(b, spec ? spec : "");
		return;
	}
	if (strpbrk(ad->name, "\",;<>()@:\\[].")) {
		buf_addc(b, '"');
		for (s = ad->name; *s; s++) {
			if (*s == '"' || *s == '\\')
				buf_addc(b, '\\');
			buf_addc(b, *s);
		}
		buf_addc(b, '"');
	} else {
		buf_adds(b, ad->name);
	}
	buf_printf(b, " <%s>", spec ? spec : "");
}

/* The addresses of l not in skip (either may be NULL) and not me, typed,
 * joined by ", " after what b holds. */
static void typed_list(struct ctx *c, struct buf *b, const struct addrlist *l,
                       const struct addrlist *skip, const struct addrlist *skip2)
{
	const char *at = strrchr(c->me.name, '@');
	size_t i;

	for (i = 0; l && i < l->n; i++) {
		const struct addr *ad = &l->v[i];

		if (in_list(ad, skip) || in_list(ad, skip2)
		    || (at && !strncmp(ad->local, c->me.name, (size_t)(at - c->me.name))
		        && strlen(ad->local) == (size_t)(at - c->me.name) && !strcasecmp(ad->domain, at + 1)))
			continue;
		if (b->len)
			buf_adds(b, ", ");
		typed_addr(c->a, b, ad);
	}
}

static const char *typed(struct ctx *c, const struct addrlist *l, const struct addrlist *skip,
                         const struct addrlist *skip2)
{
	struct buf b = BUF_INIT;
	const char *out;

	typed_list(c, &b, l, skip, skip2);
	out = buf_failed(&b) ? "" : arena_strdup(c->a, buf_cstr(&b));
	buf_free(&b);
	return out ? out : "";
}

/* A header of the original parsed as an address list (empty when absent
 * or not parsable). */
static struct addrlist hdr_list(struct ctx *c, const struct orig *o, const char *name)
{
	struct addrlist l = { NULL, 0 };
	const char *v = header_get(c->a, o->hdrs, name);

	if (v && addrlist_parse(c->a, v, strlen(v), ADDRLIST_HEADER, &l, NULL) < 0)
		l.n = 0;
	return l;
}

static const char *first_text_section(const struct mime_plan *p)
{
	const struct mime_item *it;

	for (it = p ? p->items : NULL; it; it = it->next)
		if (it->kind == MIME_PLAIN)
			return it->part->section[0] ? it->part->section : "1";
	return NULL;
}

/* The original: envelope, structure, the headers above, its plain text. */
static int load_orig(struct ctx *c, struct imap *im, uint32_t uid, struct orig *o)
{
	static const char *const hsec[] = { HDR_SECTION };
	const struct imap_fetch_spec head = {
		IMAP_FETCH_ENVELOPE | IMAP_FETCH_BODYSTRUCTURE | IMAP_FETCH_INTERNALDATE, hsec, 1, 0, 0
	};
	const char *tsec[1];
	struct imap_fetch_spec tspec = { 0, tsec, 1, 0, 0 };
	const struct imap_section *s;
	struct imap_fetch *m, *t;
	size_t n;
	char *text;
	int rc = imap_fetch(im, &uid, 1, &head, &m, &n);

	memset(o, 0, sizeof(*o));
	o->text = "";
	if (rc != IMAP_OK || n == 0 || !m->body)
		return rc;
	o->msg = m;
	s = imap_fetch_section(m, HDR_SECTION);
	o->hdrs = s && s->data ? s->data : "";
	if (mime_plan(c->a, m->body, MIME_PREFER_PLAIN, &o->plan) < 0)
		return IMAP_ERR_NOMEM;
	if (!(tsec[0] = first_text_section(o->plan)))
		return IMAP_OK;
	rc = imap_fetch(im, &uid, 1, &tspec, &t, &n);
	if (rc != IMAP_OK || !n || !(s = imap_fetch_section(t, tsec[0])) || !s->data)
		return rc;
	if (mime_decode_text(c->a, imap_body_find(m->body, tsec[0]), s->data, s->len, &text, &n) == 0)
		o->text = text;
	return IMAP_OK;
}

static const char *orig_subject(struct ctx *c, const struct orig *o)
{
	const char *s = o->msg->env ? o->msg->env->subject : NULL;

	s = s ? rfc2047_decode(c->a, s, strlen(s), NULL) : NULL;
	return s ? s : "";
}

static const char *orig_date(struct ctx *c, const struct orig *o)
{
	time_t t = o->msg->env ? mail_date_parse(o->msg->env->date) : 0;

	return wm_date(c, t ? t : o->msg->internaldate, 1);
}

static void keep_all(struct compose *f, const struct orig *o)
{
	const struct mime_attachment *at;

	for (at = o->plan->attachments; at && f->nkeep < COMPOSE_KEEP_MAX; at = at->next)
		f->keep[f->nkeep++] = at->part->section;
}

static void prefill_reply(struct ctx *c, struct compose *f, const struct orig *o, int all,
                          const char *folder, uint32_t uid)
{
	struct addrlist from = hdr_list(c, o, "From"), rt = hdr_list(c, o, "Reply-To");
	struct addrlist to = rt.n ? rt : from, oto = hdr_list(c, o, "To"), occ = hdr_list(c, o, "Cc");
	const struct imap_envelope *env = o->msg->env;
	const char *intro;

	f->to = typed(c, &to, NULL, NULL);
	if (!*f->to)                   /* a reply to one's own message: to its recipients */
		f->to = typed(c, &oto, NULL, NULL);
	if (all) {
		struct buf b = BUF_INIT;

		typed_list(c, &b, &oto, &to, NULL);
		typed_list(c, &b, &occ, &to, &oto);
		f->cc = buf_failed(&b) ? "" : arena_strdup(c->a, buf_cstr(&b));
		buf_free(&b);
	}
	f->subject = mb_reply_subject(c->a, arena_printf(c->a, "%s ", ctx_text(c, MSG("compose.re"))),
	                              orig_subject(c, o));
	f->irt = env && env->message_id ? env->message_id : "";
	f->re_f = folder;
	f->re_uid = uid;
	f->refs = mb_references(c->a, header_get(c->a, o->hdrs, "References"),
	                        env ? env->in_reply_to : NULL, env ? env->message_id : NULL);
	intro = compose_fill(c, ctx_text(c, MSG("compose.reply_intro")), orig_date(c, o),
	                     from.n ? typed(c, &from, NULL, NULL) : "");
	f->body = mb_quote_body(c->a, o->text, intro);
	f->body = f->body ? arena_printf(c->a, "%s\n", f->body) : "";
}

static void prefill_forward(struct ctx *c, struct compose *f, const struct orig *o,
                            const char *folder, uint32_t uid, int as_att)
{
	struct addrlist from = hdr_list(c, o, "From"), to = hdr_list(c, o, "To");

	f->subject = mb_reply_subject(c->a, arena_printf(c->a, "%s ", ctx_text(c, MSG("compose.fwd"))),
	                              orig_subject(c, o));
	f->src_f = folder;
	f->src_uid = uid;
	if (as_att) {
		f->keep[f->nkeep++] = COMPOSE_WHOLE;
		return;
	}
	keep_all(f, o);
	f->body = arena_printf(c->a, "\n\n%s\n%s: %s\n%s: %s\n%s: %s\n%s: %s\n\n%s",
	                       ctx_text(c, MSG("compose.fwd_intro")),
	                       ctx_text(c, MSG("mail.col_from")), typed(c, &from, NULL, NULL),
	                       ctx_text(c, MSG("mail.col_date")), orig_date(c, o),
	                       ctx_text(c, MSG("mail.col_subject")), orig_subject(c, o),
	                       ctx_text(c, MSG("mail.to")), typed(c, &to, NULL, NULL), o->text);
	if (!f->body)
		f->body = "";
}

static void prefill_draft(struct ctx *c, struct compose *f, const struct orig *o,
                          const char *drafts, uint32_t uid)
{
	struct addrlist to = hdr_list(c, o, "To"), cc = hdr_list(c, o, "Cc"), bcc = hdr_list(c, o, "Bcc");
	const struct imap_envelope *env = o->msg->env;
	const char *refs = header_get(c->a, o->hdrs, "References");

	f->to = typed(c, &to, NULL, NULL);
	f->cc = typed(c, &cc, NULL, NULL);
	f->bcc = typed(c, &bcc, NULL, NULL);
	f->subject = env && env->subject ? orig_subject(c, o) : "";
	f->body = o->text;
	f->irt = env && env->in_reply_to ? env->in_reply_to : "";
	f->refs = refs ? mb_references(c->a, refs, NULL, NULL) : NULL;
	if (!f->refs)
		f->refs = "";
	f->draft = uid;
	f->src_f = drafts;
	f->src_uid = uid;
	keep_all(f, o);
}

static enum mode get_mode(struct ctx *c, uint32_t *uid)
{
	static const struct {
		const char *name;
		enum mode m;
	} modes[] = {
		{ "reply", M_REPLY }, { "replyall", M_REPLY_ALL }, { "forward", M_FORWARD },
		{ "forward_att", M_FORWARD_ATT }, { "draft", M_DRAFT },
	};
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (req_query(c->req, modes[i].name)) {
			*uid = wm_uid(req_query(c->req, modes[i].name));
			return modes[i].m;
		}
	*uid = 0;
	return M_NEW;
}

/* -1: the message is gone (404); else an IMAP code. */
static int prefill(struct ctx *c, struct imap *im, struct compose *f, enum mode m, uint32_t uid,
                   const char *folder, const char *special[WM_NSPECIAL])
{
	struct orig o;
	int rc;

	if (m == M_DRAFT)
		folder = special[WM_DRAFTS];
	rc = imap_select(im, folder, 1, NULL);
	if (rc == IMAP_OK)
		rc = load_orig(c, im, uid, &o);
	if (rc != IMAP_OK)
		return rc;
	if (!o.msg)
		return -1;
	if (m == M_REPLY || m == M_REPLY_ALL)
		prefill_reply(c, f, &o, m == M_REPLY_ALL, folder, uid);
	else if (m == M_FORWARD || m == M_FORWARD_ATT)
		prefill_forward(c, f, &o, folder, uid, m == M_FORWARD_ATT);
	else
		prefill_draft(c, f, &o, folder, uid);
	return IMAP_OK;
}

static void compose_get(struct ctx *c)
{
	const char *special[WM_NSPECIAL], *folder = wm_folder(req_query(c->req, "f"));
	struct imap_mailbox *fl;
	struct compose f;
	struct imap *im;
	uint32_t uid;
	enum mode m = get_mode(c, &uid);
	size_t nf;
	int rc;

	if (!page_get_ok(c))
		return;
	if (!folder || (m != M_NEW && !uid)) {
		page_error(c, 400);
		return;
	}
	memset(&f, 0, sizeof(f));
	f.to = f.cc = f.bcc = f.subject = f.body = f.irt = f.refs = "";
	f.back = folder;
	if (!(im = wm_open(c)))
		return;
	rc = wm_folders(c, im, 0, &fl, &nf, special);
	if (rc == IMAP_OK && m != M_NEW)
		rc = prefill(c, im, &f, m, uid, folder, special);
	if (rc == -1) {
		wm_close(im);
		page_error_msg(c, 404, NULL, ctx_text(c, MSG("mail.gone")));
		return;
	}
	if (rc != IMAP_OK) {
		wm_fail(c, im, rc);
		return;
	}
	show(c, im, &f, 200, fl, nf, special);
}

/* ---------------------------------------------------------------- posting */

struct post {
	struct compose f;
	struct imap *im;
	const char *special[WM_NSPECIAL];
	struct imap_mailbox *fl;
	size_t nf;
	struct mb_attachment *att;
	size_t natt;
	struct buf msg;
};

/* The form as a new draft in Drafts, the previous one removed; the draft
 * becomes the form's source, every attachment kept. */
static int save_draft(struct ctx *c, struct post *p)
{
	struct mb_result res;
	uint32_t uid = 0;
	int rc;

	if (compose_build(c, &p->f, p->att, p->natt, MB_DRAFT, &p->msg, &res) < 0)
		return IMAP_ERR_INVALID;
	rc = imap_append(p->im, p->special[WM_DRAFTS], IMAP_FLAG_DRAFT | IMAP_FLAG_SEEN, 0, p->msg.p,
	                 p->msg.len, &uid);
	if (rc == IMAP_OK && p->f.draft) {
		rc = imap_select(p->im, p->special[WM_DRAFTS], 0, NULL);
		if (rc == IMAP_OK)
			rc = imap_expunge_uids(p->im, &p->f.draft, 1);
	}
	if (rc != IMAP_OK)
		return rc;
	p->f.draft = uid;
	p->f.src_f = p->special[WM_DRAFTS];
	p->f.src_uid = uid;
	p->f.nkeep = 0;
	/* Keep all of the new draft's attachments: mb_build puts the text
	 * first and the files after it, sections 2, 3, ... */
	if (uid) {
		size_t i;
		const char **k = p->f.keep;

		for (i = 0; i < p->natt && i < COMPOSE_KEEP_MAX; i++)
			k[p->f.nkeep++] = arena_printf(c->a, "%zu", i + 2);
	}
	return IMAP_OK;
}

static void send_failed(struct ctx *c, struct post *p, const struct smtp_envelope *env,
                        const struct smtp_result *res)
{
	const char *rcpt = res->rcpt >= 0 && (size_t)res->rcpt < env->nrcpts ? env->rcpts[res->rcpt] : "";
	const char *text = compose_fill(c, ctx_text(c, submit_err_key(res)), rcpt, NULL);

	fprintf(stderr, "qmailadmin: webmail: sending for %s failed: %s\n", c->me.name, res->detail);
	if (*res->excerpt)
		text = arena_printf(c->a, "%s %s", text,
		                    compose_fill(c, ctx_text(c, MSG("send.server_said")), res->excerpt, NULL));
	buf_reset(&p->msg);
	if (save_draft(c, p) != IMAP_OK)
		fprintf(stderr, "qmailadmin: webmail: the draft could not be saved\n");
	else
		text = arena_printf(c->a, "%s %s", text ? text : "", ctx_text(c, MSG("compose.kept_draft")));
	p->f.err_field = "form";
	p->f.err_text = text;
	show(c, p->im, &p->f, 502, p->fl, p->nf, p->special);
}

static void back(struct ctx *c, const char *folder, const char *notice)
{
	if (resp_redirect(c->resp, page_link(c, "/mail", "f", folder, "done", notice, NULL)) < 0)
		page_error(c, 500);
}

/* Sent: the copy in Sent (with its Bcc, which the sent message does not
 * carry, and the same Message-ID), the replied-to message \Answered, the
 * draft removed. A failure here is logged, not shown as a failure to send:
 * the mail is gone, and sending it again would double it. */
static void after_send(struct ctx *c, struct post *p, const struct mb_result *mr)
{
	struct mb_result r2;
	int rc;

	if (p->f.lbcc.n) {
		p->f.msgid = mr->message_id;
		if (compose_build(c, &p->f, p->att, p->natt, MB_DRAFT, &p->msg, &r2) < 0)
			fprintf(stderr, "qmailadmin: webmail: the Sent copy could not be made\n");
	}
	rc = imap_append(p->im, p->special[WM_SENT], IMAP_FLAG_SEEN, 0, p->msg.p, p->msg.len, NULL);
	if (rc == IMAP_OK && p->f.re_uid && (rc = imap_select(p->im, p->f.re_f, 0, NULL)) == IMAP_OK)
		rc = imap_store(p->im, &p->f.re_uid, 1, IMAP_STORE_ADD, IMAP_FLAG_ANSWERED, NULL, 0);
	if (rc == IMAP_OK && p->f.draft && (rc = imap_select(p->im, p->special[WM_DRAFTS], 0, NULL)) == IMAP_OK)
		rc = imap_expunge_uids(p->im, &p->f.draft, 1);
	if (rc != IMAP_OK)
		fprintf(stderr, "qmailadmin: webmail: after sending: %s\n", imap_detail(p->im));
}

static void do_send(struct ctx *c, struct post *p, const char *pw)
{
	struct submit_config sc;
	struct smtp_envelope env;
	struct smtp_result res;
	struct mb_result mr;

	if (compose_build(c, &p->f, p->att, p->natt, 0, &p->msg, &mr) < 0) {
		show(c, p->im, &p->f, 400, p->fl, p->nf, p->special);
		return;
	}
	if (mr.nrcpts == 0) {
		p->f.err_field = "to";
		p->f.err_text = ctx_text(c, MSG("compose.err_no_rcpt"));
		show(c, p->im, &p->f, 400, p->fl, p->nf, p->special);
		return;
	}
	submit_config_from_conf(&sc, &c->app->conf);
	env.sender = c->me.name;
	env.rcpts = mr.rcpts;
	env.nrcpts = mr.nrcpts;
	if (submit_send(&sc, &env, p->msg.p, p->msg.len, c->me.name,
	                sc.auth == SUBMIT_AUTH_USER ? pw : NULL, &res) != SMTP_OK) {
		send_failed(c, p, &env, &res);
		return;
	}
	after_send(c, p, &mr);
	wm_close(p->im);
	back(c, p->f.back, "mail_sent");
}

static void compose_post(struct ctx *c)
{
	char pw[WM_PASSWORD_MAX + 1] = "";
	const char *action;
	struct post p;
	int sending, rc, bad;

	if (!page_post_ok(c))
		return;
	memset(&p, 0, sizeof(p));
	action = req_form(c->req, "action");
	if (compose_read(c, &p.f) < 0 || !action
	    || (strcmp(action, "send") && strcmp(action, "save") && strcmp(action, "attach")
	        && strcmp(action, "remove"))) {
		page_error(c, 400);
		return;
	}
	bad = compose_check(c, &p.f) < 0;
	sending = !strcmp(action, "send");
	if (!(p.im = sending && !bad ? wm_open_pw(c, pw, sizeof(pw)) : wm_open(c)))
		return;
	rc = wm_folders(c, p.im, 0, &p.fl, &p.nf, p.special);
	if (rc == IMAP_OK && bad) {
		show(c, p.im, &p.f, 400, p.fl, p.nf, p.special);
		return;
	}
	if (rc == IMAP_OK)
		rc = compose_attachments(c, p.im, &p.f, &p.att, &p.natt);
	if (rc != IMAP_OK) {
		OPENSSL_cleanse(pw, sizeof(pw));
		wm_fail(c, p.im, rc);
		return;
	}
	buf_init(&p.msg, 0);
	if (sending) {
		do_send(c, &p, pw);
	} else if ((rc = save_draft(c, &p)) == IMAP_ERR_INVALID) {
		show(c, p.im, &p.f, 400, p.fl, p.nf, p.special);
	} else if (rc != IMAP_OK) {
		wm_fail(c, p.im, rc);
	} else if (!strcmp(action, "save")) {
		wm_close(p.im);
		back(c, p.special[WM_DRAFTS], "draft_saved");
	} else {
		show(c, p.im, &p.f, 200, p.fl, p.nf, p.special);
	}
	OPENSSL_cleanse(pw, sizeof(pw));
	buf_free(&p.msg);
}

void page_compose(struct ctx *c)
{
	if (c->req->method == M_POST)
		compose_post(c);
	else
		compose_get(c);
}
