/* mime: the message view's display plan from a BODYSTRUCTURE (see mime.h). */
#include "config.h"

#include "mime.h"

#include "arena.h"
#include "imap_parse.h"
#include "mime_text.h"

#include <string.h>

/* Multipart nesting followed at most: the IMAP parser's depth bound keeps
 * real trees far below it; this bounds recursion for any tree. */
#define PART_DEPTH 40

struct planner {
	struct arena *a;
	unsigned opts;
	unsigned msgdepth;            /* nested messages above this plan */
	struct mime_plan *plan;
	struct mime_item **itail;
	struct mime_attachment **atail;
	int nomem;
};

static int is(const struct imap_body *b, const char *type, const char *subtype)
{
	return b->type && !strcmp(b->type, type) && (!subtype || (b->subtype && !strcmp(b->subtype, subtype)));
}

static int is_multipart(const struct imap_body *b)
{
	return b->parts != NULL;
}

static int is_message(const struct imap_body *b)
{
	return is(b, "message", "rfc822") || is(b, "message", "global");
}

static int disposed(const struct imap_body *b, const char *disp)
{
	return b->disposition && !strcmp(b->disposition, disp);
}

int mime_is_image(const struct imap_body *b)
{
	return is(b, "image", "png") || is(b, "image", "jpeg") || is(b, "image", "gif")
	       || is(b, "image", "webp");
}

static struct mime_item *add_item(struct planner *pl, enum mime_kind kind, const struct imap_body *b)
{
	struct mime_item *it = arena_alloc(pl->a, sizeof(*it));

	if (!it) {
		pl->nomem = 1;
		return NULL;
	}
	it->kind = kind;
	it->part = b;
	*pl->itail = it;
	pl->itail = &it->next;
	pl->plan->nitems++;
	return it;
}

static void add_attachment(struct planner *pl, const struct imap_body *b)
{
	struct mime_attachment *at = arena_alloc(pl->a, sizeof(*at));

	if (!at || !(at->filename = mime_filename(pl->a, b)) || !(at->type = mime_type_of(pl->a, b))) {
		pl->nomem = 1;
		return;
	}
	at->part = b;
	at->size = mime_decoded_size(b);
	at->is_image = mime_is_image(b);
	*pl->atail = at;
	pl->atail = &at->next;
	pl->plan->nattachments++;
}

static int plan_body(struct arena *a, const struct imap_body *b, unsigned opts, unsigned msgdepth,
                     struct mime_plan **out);

/* A nested message: an item with its own plan while deep enough. */
static void plan_message(struct planner *pl, const struct imap_body *b)
{
	struct mime_item *it;

	if (!b->msg || pl->msgdepth >= MIME_MESSAGE_DEPTH) {
		add_attachment(pl, b);
		return;
	}
	if (!(it = add_item(pl, MIME_MESSAGE, b)))
		return;
	it->env = b->env;
	if (plan_body(pl->a, b->msg, pl->opts, pl->msgdepth + 1, &it->inner) < 0)
		pl->nomem = 1;
	if (disposed(b, "attachment"))
		add_attachment(pl, b);
}

/* A single part in a mixed context. */
static void plan_leaf(struct planner *pl, const struct imap_body *b)
{
	int attachment = disposed(b, "attachment");

	if (is_message(b))
		plan_message(pl, b);
	else if (!attachment && is(b, "text", "plain"))
		add_item(pl, MIME_PLAIN, b);
	else if (!attachment && is(b, "text", "html"))
		add_item(pl, MIME_HTML, b);
	else if (disposed(b, "inline") && mime_is_image(b))
		add_item(pl, MIME_IMAGE, b);
	else
		add_attachment(pl, b);
}

static void plan_part(struct planner *pl, const struct imap_body *b, unsigned depth);

static void plan_mixed(struct planner *pl, const struct imap_body *b, unsigned depth)
{
	const struct imap_body *c;

	for (c = b->parts; c; c = c->next)
		plan_part(pl, c, depth + 1);
}

/* ---------------------------------------------------------------- alternative */

static int same_id(const char *id, const char *want, size_t wlen);

#define SHOWS_PLAIN 1u
#define SHOWS_HTML 2u
#define SHOWS_OTHER 4u

static const struct imap_body *related_root(const struct imap_body *b);

/* What a part would show: the kinds of text in it, or something else. */
static unsigned shows(const struct imap_body *b, unsigned depth)
{
	const struct imap_body *c;
	unsigned m = 0;

	if (depth > PART_DEPTH)
		return 0;
	if (is(b, "text", "plain"))
		return SHOWS_PLAIN;
	if (is(b, "text", "html"))
		return SHOWS_HTML;
	if (mime_is_image(b) || is_message(b))
		return SHOWS_OTHER;
	if (is(b, "multipart", "related") && b->parts)
		return shows(related_root(b), depth + 1);
	for (c = b->parts; c; c = c->next)
		m |= shows(c, depth + 1);
	return m;
}

/* Text alternatives are versions of the message; anything else an
 * alternative holds (text/calendar in an invitation) is kept reachable. */
static int is_text_version(const struct imap_body *b)
{
	return is_multipart(b) || is(b, "text", "plain") || is(b, "text", "html")
	       || is(b, "text", "enriched") || is(b, "text", "richtext");
}

static void plan_alternative(struct planner *pl, const struct imap_body *b, unsigned depth)
{
	static const unsigned html_first[] = { SHOWS_HTML, SHOWS_PLAIN, SHOWS_OTHER };
	static const unsigned plain_first[] = { SHOWS_PLAIN, SHOWS_HTML, SHOWS_OTHER };
	const unsigned *order = (pl->opts & MIME_PREFER_PLAIN) ? plain_first : html_first;
	const struct imap_body *c, *best = NULL;
	size_t i;

	for (i = 0; i < 3 && !best; i++)
		for (c = b->parts; c; c = c->next)
			if (shows(c, depth + 1) & order[i])
				best = c;                   /* the last one is the best (RFC 2046 §5.1.4) */
	if (!best) {
		plan_mixed(pl, b, depth);
		return;
	}
	plan_part(pl, best, depth + 1);
	for (c = b->parts; c; c = c->next)
		if (c != best && !is_text_version(c))
			add_attachment(pl, c);
}

/* ---------------------------------------------------------------- related */

/* RFC 2387: "start" names the root's Content-ID, else the first is root. */
static const struct imap_body *related_root(const struct imap_body *b)
{
	const char *start = imap_param_get(b->params, "start");
	const struct imap_body *c;

	if (start)
		for (c = b->parts; c; c = c->next)
			if (c->id && same_id(c->id, start, strlen(start)))
				return c;
	return b->parts;
}

static void plan_related(struct planner *pl, const struct imap_body *b, unsigned depth)
{
	const struct imap_body *root = related_root(b), *c;
	struct mime_item **before = pl->itail, *it;
	int html = 0;

	plan_part(pl, root, depth + 1);
	for (it = *before; it; it = it->next)
		html |= it->kind == MIME_HTML;
	for (c = b->parts; c; c = c->next) {
		if (c == root)
			continue;
		if (html && c->id && mime_is_image(c))
			continue;                       /* a cid: image of the HTML */
		if (!html && mime_is_image(c))
			add_item(pl, MIME_IMAGE, c);    /* no HTML to place it: show it */
		else
			plan_part(pl, c, depth + 1);
	}
}

static void plan_part(struct planner *pl, const struct imap_body *b, unsigned depth)
{
	if (depth > PART_DEPTH || pl->nomem)
		return;
	if (!is_multipart(b))
		plan_leaf(pl, b);
	else if (is(b, "multipart", "alternative"))
		plan_alternative(pl, b, depth);
	else if (is(b, "multipart", "related"))
		plan_related(pl, b, depth);
	else
		plan_mixed(pl, b, depth);           /* mixed, and what we do not know */
}

static int plan_body(struct arena *a, const struct imap_body *b, unsigned opts, unsigned msgdepth,
                     struct mime_plan **out)
{
	struct planner pl;

	memset(&pl, 0, sizeof(pl));
	*out = NULL;
	if (!(pl.plan = arena_alloc(a, sizeof(*pl.plan))))
		return -1;
	pl.a = a;
	pl.opts = opts;
	pl.msgdepth = msgdepth;
	pl.itail = &pl.plan->items;
	pl.atail = &pl.plan->attachments;
	if (b)
		plan_part(&pl, b, 0);
	if (pl.nomem)
		return -1;
	*out = pl.plan;
	return 0;
}

int mime_plan(struct arena *a, const struct imap_body *b, unsigned opts, struct mime_plan **out)
{
	return plan_body(a, b, opts, 0, out);
}

/* ---------------------------------------------------------------- Content-ID */

/* id (as the part has it) against want (wlen bytes), both without blanks
 * or angle brackets around them. */
static int same_id(const char *id, const char *want, size_t wlen)
{
	size_t ilen = strlen(id);

	while (ilen && (*id == ' ' || *id == '\t' || *id == '<'))
		id++, ilen--;
	while (ilen && (id[ilen - 1] == ' ' || id[ilen - 1] == '\t' || id[ilen - 1] == '>'))
		ilen--;
	while (wlen && (*want == ' ' || *want == '\t' || *want == '<'))
		want++, wlen--;
	while (wlen && (want[wlen - 1] == ' ' || want[wlen - 1] == '\t' || want[wlen - 1] == '>'))
		wlen--;
	return ilen == wlen && ilen > 0 && !memcmp(id, want, ilen);
}

static const struct imap_body *find_id(const struct imap_body *b, const char *want, size_t wlen,
                                       unsigned depth)
{
	const struct imap_body *c, *r;

	if (depth > PART_DEPTH)
		return NULL;
	if (b->id && !is_multipart(b) && same_id(b->id, want, wlen))
		return b;
	if (b->msg && (r = find_id(b->msg, want, wlen, depth + 1)))
		return r;
	for (c = b->parts; c; c = c->next)
		if ((r = find_id(c, want, wlen, depth + 1)))
			return r;
	return NULL;
}

const struct imap_body *mime_cid_part(const struct imap_body *b, const char *cid)
{
	const struct imap_body *r;
	char dec[998];                          /* a header line's length */
	size_t len;

	if (!b || !cid)
		return NULL;
	len = strlen(cid);
	if ((r = find_id(b, cid, len, 0)) || !memchr(cid, '%', len) || len > sizeof(dec))
		return r;
	return find_id(b, dec, mime_percent_decode(dec, cid, len), 0);
}
