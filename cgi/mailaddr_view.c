/* mailaddr_view: address lists for display (see mailaddr_view.h). */
#include "config.h"

#include "mailaddr_view.h"

#include "arena.h"
#include "buf.h"
#include "imap_parse.h"
#include "mime_text.h"

#include <string.h>
#include <strings.h>

/* A display name or group name: decoded, without blanks around it; NULL
 * when there is none (or it is blank). */
static const char *phrase(struct arena *a, const char *raw, int *nomem)
{
	char *s;
	size_t n;

	if (!raw)
		return NULL;
	if (!(s = mime_text_header(a, raw, strlen(raw)))) {
		*nomem = 1;
		return NULL;
	}
	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
	return n ? s : NULL;
}

/* local@host, each made UTF-8 as it is written. */
static void add_addr(struct buf *out, const struct imap_address *ad)
{
	if (ad->mailbox)
		mime_text_utf8(out, NULL, 0, ad->mailbox, strlen(ad->mailbox), 0);
	if (ad->host && *ad->host) {
		buf_addc(out, '@');
		mime_text_utf8(out, NULL, 0, ad->host, strlen(ad->host), 0);
	}
}

static void add_one(struct arena *a, struct buf *out, const struct imap_address *ad, int *nomem)
{
	const char *name = phrase(a, ad->name, nomem);
	struct buf addr = BUF_INIT;

	add_addr(&addr, ad);
	if (name && strcasecmp(name, addr.p ? addr.p : "")) {
		buf_adds(out, name);
		buf_adds(out, " <");
		buf_add(out, addr.p, addr.len);
		buf_addc(out, '>');
	} else {
		buf_add(out, addr.p, addr.len);
	}
	if (buf_failed(&addr))
		*nomem = 1;
	buf_free(&addr);
}

static int group_start(const struct imap_address *ad)
{
	return !ad->host && ad->mailbox;
}

static int group_end(const struct imap_address *ad)
{
	return !ad->host && !ad->mailbox;
}

static char *finish(struct arena *a, struct buf *b, int nomem)
{
	char *r = NULL;

	if (!nomem && !buf_failed(b))
		r = arena_strndup(a, b->p ? b->p : "", b->len);
	buf_free(b);
	return r;
}

char *mailaddr_list(struct arena *a, const struct imap_address *list)
{
	struct buf b = BUF_INIT;
	const struct imap_address *ad;
	const char *sep = "", *gname;           /* sep: what goes before the next entry */
	int nomem = 0, in_group = 0;

	for (ad = list; ad; ad = ad->next) {
		if (group_end(ad) || (group_start(ad) && in_group)) {
			if (in_group)
				buf_addc(&b, ';');      /* a group inside a group (not RFC 5322) ends the first */
			in_group = 0;
			sep = b.len ? ", " : "";
			if (group_end(ad))
				continue;
		}
		buf_adds(&b, sep);
		if (group_start(ad)) {
			gname = phrase(a, ad->mailbox, &nomem);
			buf_adds(&b, gname ? gname : "");
			buf_addc(&b, ':');
			in_group = 1;
			sep = " ";
			continue;
		}
		add_one(a, &b, ad, &nomem);
		sep = ", ";
	}
	if (in_group)
		buf_addc(&b, ';');                  /* a group the server did not end */
	return finish(a, &b, nomem);
}

char *mailaddr_short(struct arena *a, const struct imap_address *list)
{
	struct buf b = BUF_INIT;
	const char *name;
	int nomem = 0;

	if (list && group_end(list))
		list = NULL;
	if (list && group_start(list)) {
		name = phrase(a, list->mailbox, &nomem);
		buf_adds(&b, name ? name : "");
	} else if (list && (name = phrase(a, list->name, &nomem))) {
		buf_adds(&b, name);
	} else if (list) {
		add_addr(&b, list);
	}
	return finish(a, &b, nomem);
}
