/* addrlist_fmt: address lists written back as header values, and the
 * error names (see addrlist.h). */
#include "config.h"

#include "addrlist.h"

#include "arena.h"
#include "buf.h"
#include "hdrwrite.h"

#include <string.h>

static void add_quoted(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

static void add_spec(struct buf *b, const struct addr *ad)
{
	if (addrlist_dot_atom(ad->local, strlen(ad->local)))
		buf_adds(b, ad->local);
	else
		add_quoted(b, ad->local);
	buf_addc(b, '@');
	buf_adds(b, ad->domain);
}

char *addrlist_addr_spec(struct arena *a, const struct addr *ad)
{
	struct buf b = BUF_INIT;
	char *r;

	add_spec(&b, ad);
	r = buf_failed(&b) ? NULL : arena_strndup(a, b.p, b.len);
	buf_free(&b);
	return r;
}

/* A name that atoms can carry: atext words, one space between them. */
static int atom_phrase(const char *s)
{
	size_t n = strlen(s);

	if (!n || s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	while (*s) {
		size_t len = strcspn(s, " ");

		if (memchr(s, '.', len) || !addrlist_dot_atom(s, len))
			return 0;
		s += len + (s[len] == ' ');
	}
	return 1;
}

/* A display or group name: atoms (foldable between them), one quoted
 * string, or encoded-words. */
static void write_phrase(struct hdrw *w, const char *name)
{
	size_t n = strlen(name);

	if (!hdr_plain(name, n)) {
		hdrw_encoded(w, name, n);
	} else if (atom_phrase(name)) {
		while (*name) {
			size_t len = strcspn(name, " ");

			hdrw_word(w, name, len, 1);
			name += len + (name[len] == ' ');
		}
	} else {
		struct buf q = BUF_INIT;

		add_quoted(&q, name);
		if (buf_failed(&q))
			w->out->failed = 1;
		else
			hdrw_word(w, q.p, q.len, 1);
		buf_free(&q);
	}
}

static void write_mailbox(struct hdrw *w, const struct addr *ad)
{
	struct buf spec = BUF_INIT;
	int named = ad->name && *ad->name;

	if (!buf_failed(&spec) && (!named || hdr_plain(ad->name, strlen(ad->name))))
		hdrw_keep(w, named ? strlen(ad->name) + 5 + strlen(ad->local) + strlen(ad->domain)
		                   : strlen(ad->local) + 1 + strlen(ad->domain));
	if (named) {
		write_phrase(w, ad->name);
		buf_addc(&spec, '<');
	}
	add_spec(&spec, ad);
	if (named)
		buf_addc(&spec, '>');
	if (buf_failed(&spec))
		w->out->failed = 1;
	else
		hdrw_word(w, spec.p, spec.len, 1);
	buf_free(&spec);
}

void addrlist_write(struct hdrw *w, const struct addrlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct addr *ad = &l->v[i];

		if (ad->group && (!i || l->v[i - 1].group != ad->group)) {
			write_phrase(w, ad->group);
			hdrw_word(w, ":", 1, 0);
		}
		write_mailbox(w, ad);
		if (ad->group && (i + 1 == l->n || l->v[i + 1].group != ad->group))
			hdrw_word(w, ";", 1, 0);
		if (i + 1 < l->n)
			hdrw_word(w, ",", 1, 0);
	}
}

char *addrlist_format(struct arena *a, const struct addrlist *l, size_t col)
{
	struct buf b = BUF_INIT;
	struct hdrw w;
	char *r;

	hdrw_begin(&w, &b, NULL, col);
	addrlist_write(&w, l);
	r = buf_failed(&b) ? NULL : arena_strndup(a, b.p ? b.p : "", b.len);
	buf_free(&b);
	return r;
}

static const char *const err_names[ADDRLIST_ERR__COUNT] = {
	[ADDRLIST_OK] = "ok",
	[ADDRLIST_ERR_CONTROL] = "control",
	[ADDRLIST_ERR_UTF8] = "utf8",
	[ADDRLIST_ERR_QUOTE] = "quote",
	[ADDRLIST_ERR_BRACKET] = "bracket",
	[ADDRLIST_ERR_SYNTAX] = "syntax",
	[ADDRLIST_ERR_NO_LOCAL] = "no_local",
	[ADDRLIST_ERR_NO_DOMAIN] = "no_domain",
	[ADDRLIST_ERR_LOCAL] = "local",
	[ADDRLIST_ERR_DOMAIN] = "domain",
	[ADDRLIST_ERR_TOO_LONG] = "too_long",
	[ADDRLIST_ERR_TOO_MANY] = "too_many",
	[ADDRLIST_ERR_NOMEM] = "nomem",
};

const char *addrlist_err_name(enum addrlist_err code)
{
	return (unsigned)code < ADDRLIST_ERR__COUNT ? err_names[code] : "unknown";
}
