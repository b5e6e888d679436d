/* compose_form: the compose form read, checked, built and shown again
 * (compose_form.h). */
#include "config.h"

#include "compose_form.h"

#include "arena.h"
#include "buf.h"
#include "fmt.h"
#include "imap.h"
#include "mime.h"
#include "page.h"
#include "request.h"
#include "rfc2047.h"
#include "template.h"
#include "validate.h"
#include "webmail.h"

#include <stdio.h>
#include <string.h>

static const char *field(struct ctx *c, const char *name)
{
	const char *v = req_form(c->req, name);

	return v ? v : "";
}

/* An optional UID field: 0 when empty, -1 when not a UID. */
static int opt_uid(struct ctx *c, const char *name, uint32_t *uid)
{
	const char *v = field(c, name);

	*uid = 0;
	if (!*v)
		return 0;
	*uid = wm_uid(v);
	return *uid ? 0 : -1;
}

/* A kept attachment: a part's section (wm_section), or the whole message. */
static int section_ok(const char *s)
{
	return !strcmp(s, COMPOSE_WHOLE) || wm_section(s);
}

int compose_read(struct ctx *c, struct compose *f)
{
	const struct param *p;

	memset(f, 0, sizeof(*f));
	f->to = field(c, "to");
	f->cc = field(c, "cc");
	f->bcc = field(c, "bcc");
	f->subject = field(c, "subject");
	f->body = field(c, "body");
	f->irt = field(c, "irt");
	f->refs = field(c, "refs");
	f->back = wm_folder(field(c, "back"));
	f->src_f = *field(c, "src_f") ? wm_folder(field(c, "src_f")) : NULL;
	f->re_f = *field(c, "re_f") ? wm_folder(field(c, "re_f")) : NULL;
	if (!f->back || (*field(c, "src_f") && !f->src_f) || opt_uid(c, "draft", &f->draft) < 0
	    || opt_uid(c, "src_uid", &f->src_uid) < 0 || (f->src_uid && !f->src_f)
	    || (*field(c, "re_f") && !f->re_f) || opt_uid(c, "re_uid", &f->re_uid) < 0
	    || (f->re_uid && !f->re_f))
		return -1;
	for (p = c->req->form; p; p = p->next) {
		if (strcmp(p->name, "keep"))
			continue;
		if (f->nkeep == COMPOSE_KEEP_MAX || !section_ok(p->value))
			return -1;
		f->keep[f->nkeep++] = p->value;
	}
	return 0;
}

/* ------------------------------------------------------------- checking */

static int fail(struct compose *f, const char *fieldname, const char *text)
{
	f->err_field = fieldname;
	f->err_text = text;
	return -1;
}

const char *compose_fill(struct ctx *c, const char *text, const char *a1, const char *a2)
{
	struct buf b = BUF_INIT;
	const char *s, *out;

	for (s = text; *s; s++) {
		if (s[0] == '{' && (s[1] == '1' || s[1] == '2') && s[2] == '}') {
			buf_adds(&b, s[1] == '1' ? (a1 ? a1 : "") : (a2 ? a2 : ""));
			s += 2;
		} else {
			buf_addc(&b, *s);
		}
	}
	out = buf_failed(&b) ? text : arena_strdup(c->a, buf_cstr(&b));
	buf_free(&b);
	return out ? out : text;
}

/* A field of the form is one line: a CR or LF can only come from a
 * hostile client, and is refused rather than read as a separator. */
static int one_line(const char *s)
{
	return !strpbrk(s, "\r\n");
}

static int parse_list(struct ctx *c, struct compose *f, const char *name, const char *text,
                      struct addrlist *out)
{
	struct addrlist_error e;

	if (!one_line(text))
		return fail(f, name, ctx_text(c, MSG("compose.err_newline")));
	if (addrlist_parse(c->a, text, strlen(text), 0, out, &e) == 0)
		return 0;
	if (e.code == ADDRLIST_ERR_CONTROL)
		return fail(f, name, ctx_text(c, MSG("compose.err_newline")));
	if (e.code == ADDRLIST_ERR_TOO_MANY)
		return fail(f, name, ctx_text(c, MSG("compose.err_too_many")));
	return fail(f, name, compose_fill(c, ctx_text(c, MSG("compose.err_address")), e.text, NULL));
}

int compose_check(struct ctx *c, struct compose *f)
{
	if (parse_list(c, f, "to", f->to, &f->lto) < 0 || parse_list(c, f, "cc", f->cc, &f->lcc) < 0
	    || parse_list(c, f, "bcc", f->bcc, &f->lbcc) < 0)
		return -1;
	if (!one_line(f->subject))
		return fail(f, "subject", ctx_text(c, MSG("compose.err_newline")));
	if (strlen(f->subject) > MB_SUBJECT_MAX || !utf8_valid(f->subject, strlen(f->subject)))
		return fail(f, "subject", ctx_text(c, MSG("compose.err_subject")));
	if (!utf8_valid(f->body, strlen(f->body)))
		return fail(f, "body", ctx_text(c, MSG("compose.err_body")));
	return 0;
}

/* ---------------------------------------------------------- attachments */

struct source {
	const struct imap_fetch *msg;     /* envelope and structure */
	struct mime_plan *plan;
};

/* The source message's structure; msg NULL when there is none (or it is gone). */
static int source_load(struct ctx *c, struct imap *im, const struct compose *f, struct source *s)
{
	static const struct imap_fetch_spec spec = {
		IMAP_FETCH_ENVELOPE | IMAP_FETCH_BODYSTRUCTURE | IMAP_FETCH_SIZE, NULL, 0, 0, 0
	};
	struct imap_fetch *m;
	size_t n;
	int rc;

	memset(s, 0, sizeof(*s));
	if (!f->src_uid)
		return IMAP_OK;
	rc = imap_select(im, f->src_f, 1, NULL);
	if (rc == IMAP_OK)
		rc = imap_fetch(im, &f->src_uid, 1, &spec, &m, &n);
	if (rc != IMAP_OK || n == 0 || !m->body)
		return rc;
	s->msg = m;
	return mime_plan(c->a, m->body, 0, &s->plan) < 0 ? IMAP_ERR_NOMEM : IMAP_OK;
}

static const struct mime_attachment *source_att(const struct source *s, const char *section)
{
	const struct mime_attachment *at;

	for (at = s->plan ? s->plan->attachments : NULL; at; at = at->next)
		if (!strcmp(at->part->section, section))
			return at;
	return NULL;
}

/* The whole source message as a file name: its subject and ".eml". */
static const char *whole_name(struct ctx *c, const struct source *s)
{
	const char *subj = s->msg->env ? s->msg->env->subject : NULL;
	char *d = subj ? rfc2047_decode(c->a, subj, strlen(subj), NULL) : NULL;
	char *p;

	if (!d || !*d)
		return "message.eml";
	for (p = d; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\')
			*p = '_';
	if (strlen(d) > MB_FILENAME_MAX - 8)
		d[MB_FILENAME_MAX - 8] = '\0';
	while (!utf8_valid(d, strlen(d)))    /* cut inside a character: shorten */
		d[strlen(d) - 1] = '\0';
	return arena_printf(c->a, "%s.eml", d);
}

static int kept(const struct compose *f, const char *section)
{
	size_t i;

	for (i = 0; i < f->nkeep; i++)
		if (!strcmp(f->keep[i], section))
			return 1;
	return 0;
}

/* The kept attachments of the source, fetched in one command and decoded. */
static int source_files(struct ctx *c, struct imap *im, const struct compose *f,
                        const struct source *s, struct mb_attachment *att, size_t *n)
{
	const char *secs[COMPOSE_KEEP_MAX];
	struct imap_fetch_spec spec = { 0, secs, 0, 0, 0 };
	struct imap_fetch *m;
	size_t i, got;
	int rc;

	for (i = 0; i < f->nkeep && s->msg; i++)
		if (!strcmp(f->keep[i], COMPOSE_WHOLE) || source_att(s, f->keep[i]))
			secs[spec.nsections++] = strcmp(f->keep[i], COMPOSE_WHOLE) ? f->keep[i] : "";
	if (!spec.nsections)
		return IMAP_OK;
	rc = imap_fetch(im, &f->src_uid, 1, &spec, &m, &got);
	if (rc != IMAP_OK || !got)
		return rc;
	for (i = 0; i < spec.nsections; i++) {
		const struct imap_section *sec = imap_fetch_section(m, secs[i]);
		const struct mime_attachment *at = source_att(s, secs[i]);
		struct mb_attachment *a = &att[*n];
		char *data;

		if (!sec || !sec->data)
			continue;
		if (!*secs[i]) {
			a->filename = whole_name(c, s);
			a->content_type = "message/rfc822";
			a->data = sec->data;
			a->len = sec->len;
		} else {
			if (mime_decode_binary(c->a, at->part, sec->data, sec->len, &data, &a->len) < 0)
				return IMAP_ERR_NOMEM;
			a->data = data;
			a->filename = at->filename;
			a->content_type = at->type;
		}
		(*n)++;
	}
	return IMAP_OK;
}

int compose_attachments(struct ctx *c, struct imap *im, struct compose *f,
                        struct mb_attachment **att, size_t *n)
{
	const struct upload *u;
	struct source s;
	size_t max = f->nkeep;
	int rc;

	for (u = c->req->uploads; u; u = u->next)
		max++;
	*n = 0;
	*att = arena_alloc(c->a, (max + 1) * sizeof(**att));
	if (!*att)
		return IMAP_ERR_NOMEM;
	memset(*att, 0, (max + 1) * sizeof(**att));
	rc = source_load(c, im, f, &s);
	if (rc == IMAP_OK)
		rc = source_files(c, im, f, &s, *att, n);
	if (rc != IMAP_OK)
		return rc;
	for (u = c->req->uploads; u; u = u->next) {
		struct mb_attachment *a = &(*att)[*n];

		if (strcmp(u->field, "file") || (!*u->filename && !u->size))
			continue;          /* a file input left empty */
		a->filename = *u->filename ? u->filename : "file";
		a->content_type = u->ctype;
		a->path = u->path;
		a->len = u->size;
		(*n)++;
	}
	return IMAP_OK;
}

/* ------------------------------------------------------------- building */

static const char *build_error(struct ctx *c, const struct mb_err *e)
{
	switch (e->code) {
	case MB_ERR_CONTROL:
		return ctx_text(c, MSG("compose.err_newline"));
	case MB_ERR_TOO_BIG:
		return ctx_text(c, MSG("compose.err_too_big"));
	case MB_ERR_TOO_LONG:
		return ctx_text(c, MSG("compose.err_too_long"));
	case MB_ERR_UTF8:
	case MB_ERR_INVALID:
		return ctx_text(c, MSG("compose.err_invalid"));
	default:
		return ctx_text(c, MSG("compose.err_build"));
	}
}

int compose_build(struct ctx *c, struct compose *f, const struct mb_attachment *att, size_t natt,
                  unsigned flags, struct buf *out, struct mb_result *res)
{
	const char *at = strrchr(c->me.name, '@');
	struct mb_msg m;
	struct mb_err e;

	memset(&m, 0, sizeof(m));
	if (!at)
		return fail(f, "from", ctx_text(c, MSG("compose.err_build")));
	m.from.name = "";
	m.from.local = arena_strndup(c->a, c->me.name, (size_t)(at - c->me.name));
	m.from.domain = at + 1;
	m.to = f->lto;
	m.cc = f->lcc;
	m.bcc = f->lbcc;
	m.subject = f->subject;
	m.body = f->body;
	m.body_len = strlen(f->body);
	m.in_reply_to = *f->irt ? f->irt : NULL;
	m.references = *f->refs ? f->refs : NULL;
	m.user_agent = "qmailadmin-ng";
	m.message_id = f->msgid;
	m.att = att;
	m.natt = natt;
	m.flags = flags;
	if (mb_build(c->a, &m, out, res, &e) == 0)
		return 0;
	return fail(f, !strcmp(e.field, "in_reply_to") || !strcmp(e.field, "references")
	               ? "form" : e.field, build_error(c, &e));
}

/* ------------------------------------------------------------- the page */

static void field_error(struct ctx *c, const struct compose *f, const char *name)
{
	char key[32];

	if (!f->err_field || strcmp(f->err_field, name))
		return;
	snprintf(key, sizeof(key), "%s_error", name);
	td_set(c->data, key, f->err_text);
}

/* The source's attachments as ticked (or not) boxes. */
static int list_attachments(struct ctx *c, struct imap *im, const struct compose *f)
{
	struct tlist *l = td_list(c->data, "attachments");
	const struct mime_attachment *at;
	struct source s;
	int rc = source_load(c, im, f, &s);

	if (rc != IMAP_OK || !s.msg)
		return rc;
	if (kept(f, COMPOSE_WHOLE)) {
		struct tdict *d = tlist_add(l);

		td_set(d, "name", whole_name(c, &s));
		td_set(d, "type", "message/rfc822");
		td_set(d, "size", fmt_bytes(c, s.msg->size));
		td_set(d, "section", COMPOSE_WHOLE);
		td_set(d, "id", "whole");
		td_set_bool(d, "kept", 1);
	}
	for (at = s.plan->attachments; at; at = at->next) {
		struct tdict *d = tlist_add(l);
		char *id = arena_strdup(c->a, at->part->section), *p;

		for (p = id; p && *p; p++)
			if (*p == '.')
				*p = '-';
		td_set(d, "name", at->filename);
		td_set(d, "type", at->type);
		td_set(d, "size", fmt_bytes(c, at->size));
		td_set(d, "section", at->part->section);
		td_set(d, "id", id);
		td_set_bool(d, "kept", kept(f, at->part->section));
	}
	return IMAP_OK;
}

int compose_data(struct ctx *c, struct imap *im, const struct compose *f)
{
	td_set(c->data, "to", f->to);
	td_set(c->data, "cc", f->cc);
	td_set(c->data, "bcc", f->bcc);
	td_set(c->data, "subject", f->subject);
	td_set(c->data, "body", f->body);
	td_set(c->data, "irt", f->irt);
	td_set(c->data, "refs", f->refs);
	td_set(c->data, "back", f->back);
	td_set(c->data, "from", c->me.name);
	if (f->draft)
		td_setf(c->data, "draft", "%u", f->draft);
	if (f->src_uid) {
		td_set(c->data, "src_f", f->src_f);
		td_setf(c->data, "src_uid", "%u", f->src_uid);
	}
	if (f->re_uid) {
		td_set(c->data, "re_f", f->re_f);
		td_setf(c->data, "re_uid", "%u", f->re_uid);
	}
	if (f->err_text)
		td_set(c->data, "error", f->err_text);
	field_error(c, f, "to");
	field_error(c, f, "cc");
	field_error(c, f, "bcc");
	field_error(c, f, "subject");
	field_error(c, f, "body");
	field_error(c, f, "attachment");
	td_set(c->data, "title", *f->subject ? f->subject : ctx_text(c, MSG("compose.title")));
	return list_attachments(c, im, f);
}
