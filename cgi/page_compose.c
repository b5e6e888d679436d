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
#include "request.h"
#include "response.h"
#include "submit.h"
#include "template.h"
#include "webmail.h"
#include "wmkey.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>


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

static enum compose_mode get_mode(struct ctx *c, uint32_t *uid)
{
	static const struct {
		const char *name;
		enum compose_mode m;
	} modes[] = {
		{ "reply", CM_REPLY }, { "replyall", CM_REPLY_ALL }, { "forward", CM_FORWARD },
		{ "forward_att", CM_FORWARD_ATT }, { "draft", CM_DRAFT },
	};
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (req_query(c->req, modes[i].name)) {
			*uid = wm_uid(req_query(c->req, modes[i].name));
			return modes[i].m;
		}
	*uid = 0;
	return CM_NEW;
}

static void compose_get(struct ctx *c)
{
	const char *special[WM_NSPECIAL], *folder = wm_folder(req_query(c->req, "f"));
	struct imap_mailbox *fl;
	struct compose f;
	struct imap *im;
	uint32_t uid;
	enum compose_mode m = get_mode(c, &uid);
	size_t nf;
	int rc;

	if (!page_get_ok(c))
		return;
	if (!folder || (m != CM_NEW && !uid)) {
		page_error(c, 400);
		return;
	}
	memset(&f, 0, sizeof(f));
	f.to = f.cc = f.bcc = f.subject = f.body = f.irt = f.refs = "";
	f.back = folder;
	if (!(im = wm_open(c)))
		return;
	rc = wm_folders(c, im, 0, &fl, &nf, special);
	if (rc == IMAP_OK && m != CM_NEW)
		rc = compose_prefill(c, im, &f, m, uid, folder, special[WM_DRAFTS]);
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
