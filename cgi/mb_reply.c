/* mb_reply: the subject, References and quoted text of a reply or a
 * forward (see mimebuild.h). */
#include "config.h"

#include "mimebuild.h"

#include "arena.h"
#include "buf.h"
#include "mb_int.h"

#include <string.h>
#include <strings.h>

/* Prefixes mailers put before a subject, in the languages our users'
 * correspondents write: English, Swedish, Danish and Norwegian, Finnish,
 * German, Dutch, French, Spanish, Portuguese, Italian, Polish, Turkish.
 * "VS" is Finnish for a reply and Danish for a forward: it is on both. */
static const char *const reply_words[] = { "re", "aw", "sv", "vs", "antw", "antwort", "odp", "rif",
	                                   "res", "ynt", "ats", "atb", NULL };
static const char *const forward_words[] = { "fwd", "fw", "vb", "vs", "wg", "tr", "rv", "enc",
	                                     "doorst", "vl", "pd", "i", NULL };

static int on_list(const char *const *list, const char *w, size_t n)
{
	for (; *list; list++)
		if (strlen(*list) == n && !strncasecmp(*list, w, n))
			return 1;
	return 0;
}

/* The length of a prefix of list's at s ("Re: ", "RE[2]: ", "Sv :"),
 * white space after it included; 0 when there is none. */
static size_t prefix_len(const char *s, const char *const *list)
{
	size_t i = 0, w;

	while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))
		i++;
	w = i;
	if (!w || !on_list(list, s, w))
		return 0;
	if (s[i] == '[' || s[i] == '(') {
		char close = s[i] == '[' ? ']' : ')';

		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (s[i++] != close)
			return 0;
	}
	while (s[i] == ' ')
		i++;
	if (s[i++] != ':')
		return 0;
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	return i;
}

char *mb_reply_subject(struct arena *a, const char *prefix, const char *subject)
{
	const char *s = subject ? subject : "";
	const char *const *list = forward_words;
	size_t n;
	char *r;

	n = strcspn(prefix, ":[( ");
	if (on_list(reply_words, prefix, n) && !(n == 2 && !strncasecmp(prefix, "vs", 2)))
		list = reply_words;
	while (*s == ' ' || *s == '\t')
		s++;
	while ((n = prefix_len(s, list)) > 0)
		s += n;
	r = arena_printf(a, "%s%s", prefix, s);
	if (r && !*s)                       /* "Re: " alone: no trailing space */
		for (n = strlen(r); n && r[n - 1] == ' '; n--)
			r[n - 1] = 0;
	return r;
}

/* ---------------------------------------------------------------- References */

size_t mb_msgid_len(const char *s)
{
	size_t i;

	if (*s != '<')
		return 0;
	for (i = 1; s[i] && s[i] != '>'; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '<')
			return 0;
	return s[i] == '>' && i > 1 && i + 1 <= MB_MSGID_MAX ? i + 1 : 0;
}

struct ids {
	const char **v;
	size_t n, cap;
};

static void add_id(struct arena *a, struct ids *ids, const char *s, size_t len)
{
	if (ids->n && strlen(ids->v[ids->n - 1]) == len && !memcmp(ids->v[ids->n - 1], s, len))
		return;
	if (ids->n == ids->cap) {
		const char **nv = arena_alloc(a, (ids->cap * 2 + 8) * sizeof(*nv));

		if (!nv)
			return;
		if (ids->n)
			memcpy(nv, ids->v, ids->n * sizeof(*nv));
		ids->v = nv;
		ids->cap = ids->cap * 2 + 8;
	}
	if ((ids->v[ids->n] = arena_strndup(a, s, len)))
		ids->n++;
}

/* Every well-formed id in s; the rest (comments, broken ids) skipped. */
static size_t add_ids(struct arena *a, struct ids *ids, const char *s)
{
	size_t found = 0;

	while (s && (s = strchr(s, '<'))) {
		size_t len = mb_msgid_len(s);

		if (len)
			add_id(a, ids, s, len), found++;
		s += len ? len : 1;
	}
	return found;
}

char *mb_references(struct arena *a, const char *references, const char *in_reply_to,
                    const char *message_id)
{
	struct ids ids = { NULL, 0, 0 };
	struct buf b = BUF_INIT;
	size_t i, from;
	char *r = NULL;

	if (!add_ids(a, &ids, references)) {
		struct ids one = { NULL, 0, 0 };

		if (add_ids(a, &one, in_reply_to) == 1)
			add_id(a, &ids, one.v[0], strlen(one.v[0]));
	}
	if (message_id && mb_msgid_len(message_id) == strlen(message_id))
		add_id(a, &ids, message_id, strlen(message_id));
	if (!ids.n)
		return NULL;
	/* The first (the thread's root) and the latest ones. */
	from = ids.n > MB_REFERENCES_MAX ? ids.n - (MB_REFERENCES_MAX - 1) : 1;
	buf_adds(&b, ids.v[0]);
	for (i = from; i < ids.n; i++) {
		buf_addc(&b, ' ');
		buf_adds(&b, ids.v[i]);
	}
	if (!buf_failed(&b))
		r = arena_strndup(a, b.p, b.len);
	buf_free(&b);
	return r;
}

/* ---------------------------------------------------------------- quoting */

char *mb_quote_body(struct arena *a, const char *text, const char *intro)
{
	struct buf b = BUF_INIT;
	const char *s = text ? text : "";
	char *r = NULL;

	if (intro && *intro)
		buf_printf(&b, "%s\n", intro);
	while (*s) {
		size_t len = strcspn(s, "\n"), n = len;

		if (n && s[n - 1] == '\r')
			n--;
		if (n == 3 && !memcmp(s, "-- ", 3))
			break;                      /* the signature is not quoted */
		buf_adds(&b, !n ? ">" : s[0] == '>' ? ">" : "> ");
		buf_add(&b, s, n);
		buf_addc(&b, '\n');
		s += len + (s[len] == '\n');
	}
	if (!buf_failed(&b))
		r = arena_strndup(a, b.p ? b.p : "", b.len);
	buf_free(&b);
	return r;
}
