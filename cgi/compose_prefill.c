/* compose_prefill: the compose form filled in from a message: a reply,
 * a reply to all, a forward (inline or as attachment), a draft resumed
 * (compose_form.h). */
#include "config.h"

#include "compose_form.h"

#include "arena.h"
#include "buf.h"
#include "imap.h"
#include "maildate.h"
#include "mime.h"
#include "page.h"
#include "rfc2047.h"
#include "webmail.h"

#include <string.h>
#include <strings.h>

struct orig {
	const struct imap_fetch *msg;
	const char *hdrs;                 /* HEADER.FIELDS below */
	const char *text;                 /* its first plain text, decoded; "" */
	struct mime_plan *plan;
};

#define HDR_SECTION "HEADER.FIELDS (FROM REPLY-TO TO CC BCC REFERENCES)"

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

int compose_prefill(struct ctx *c, struct imap *im, struct compose *f, enum compose_mode m,
                    uint32_t uid, const char *folder, const char *drafts)
{
	struct orig o;
	int rc;

	if (m == CM_DRAFT)
		folder = drafts;
	rc = imap_select(im, folder, 1, NULL);
	if (rc == IMAP_OK)
		rc = load_orig(c, im, uid, &o);
	if (rc != IMAP_OK)
		return rc;
	if (!o.msg)
		return -1;
	if (m == CM_REPLY || m == CM_REPLY_ALL)
		prefill_reply(c, f, &o, m == CM_REPLY_ALL, folder, uid);
	else if (m == CM_FORWARD || m == CM_FORWARD_ATT)
		prefill_forward(c, f, &o, folder, uid, m == CM_FORWARD_ATT);
	else
		prefill_draft(c, f, &o, folder, uid);
	return IMAP_OK;
}
