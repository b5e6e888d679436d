/* mb_build: a test-only command line over cgi/addrlist.c and
 * cgi/mimebuild.c, for tests/integration/mimebuild.sh: builds one message
 * from its arguments as compose would and writes it to stdout, so that an
 * independent reader (Python's email package) can check it.
 *
 *   mb_build [--from LIST] [--to LIST] [--cc LIST] [--bcc LIST]
 *            [--subject TEXT] [--body FILE] [--flowed] [--draft]
 *            [--in-reply-to IDS] [--references IDS] [--user-agent TEXT]
 *            [--date EPOCH] [--max BYTES] [--rcpts FILE]
 *            [--attach FILE TYPE NAME]...
 *
 * Address lists are parsed as typed (From: its first address). The
 * envelope recipients go to --rcpts FILE, one a line, and the Message-ID
 * after them as "message-id <...>". A refusal prints "error CODE FIELD
 * INDEX" (a list's: "error addrlist CODE INDEX") and exits 1. */
#include "config.h"

#include "addrlist.h"
#include "arena.h"
#include "buf.h"
#include "file.h"
#include "mimebuild.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct arena *arena;

static void list(const char *field, const char *s, struct addrlist *out)
{
	struct addrlist_error e;

	if (addrlist_parse(arena, s, strlen(s), 0, out, &e)) {
		printf("error addrlist %s %s %zu\n", addrlist_err_name(e.code), field, e.index);
		fflush(stdout);
		exit(1);
	}
}

static const char *slurp(const char *path, size_t *len)
{
	struct buf b = BUF_INIT;
	char *r;

	if (file_read(path, 64u << 20, &b)) {
		perror(path);
		exit(2);
	}
	r = arena_alloc(arena, b.len + 1);
	memcpy(r, b.p ? b.p : "", b.len);
	*len = b.len;
	buf_free(&b);
	return r;
}

int main(int argc, char **argv)
{
	struct mb_attachment att[16];
	struct mb_msg m;
	struct mb_result res;
	struct mb_err e;
	struct buf out = BUF_INIT;
	const char *rcpts = NULL;
	int i;

	arena = arena_new(0);
	memset(&m, 0, sizeof(m));
	for (i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		struct addrlist from;

		if (!strcmp(o, "--flowed"))
			m.flags |= MB_FLOWED;
		else if (!strcmp(o, "--draft"))
			m.flags |= MB_DRAFT;
		else if (!v)
			break;
		else if (!strcmp(o, "--from") && (list("from", v, &from), from.n))
			m.from = from.v[0];
		else if (!strcmp(o, "--to"))
			list("to", v, &m.to);
		else if (!strcmp(o, "--cc"))
			list("cc", v, &m.cc);
		else if (!strcmp(o, "--bcc"))
			list("bcc", v, &m.bcc);
		else if (!strcmp(o, "--subject"))
			m.subject = v;
		else if (!strcmp(o, "--body"))
			m.body = slurp(v, &m.body_len);
		else if (!strcmp(o, "--in-reply-to"))
			m.in_reply_to = v;
		else if (!strcmp(o, "--references"))
			m.references = v;
		else if (!strcmp(o, "--user-agent"))
			m.user_agent = v;
		else if (!strcmp(o, "--date"))
			m.date = (time_t)strtoll(v, NULL, 10);
		else if (!strcmp(o, "--max"))
			m.max_size = strtoul(v, NULL, 10);
		else if (!strcmp(o, "--rcpts"))
			rcpts = v;
		else if (!strcmp(o, "--attach") && i + 3 < argc && m.natt < 16) {
			att[m.natt].data = NULL;
			att[m.natt].path = argv[i + 1];
			att[m.natt].content_type = argv[i + 2];
			att[m.natt].filename = argv[i + 3];
			m.natt++;
			i += 2;
		} else
			break;
		if (strcmp(o, "--flowed") && strcmp(o, "--draft"))
			i++;
	}
	if (i < argc) {
		fprintf(stderr, "mb_build: bad argument %s\n", argv[i]);
		return 2;
	}
	m.att = att;
	if (mb_build(arena, &m, &out, &res, &e)) {
		printf("error %s %s %zu\n", mb_err_name(e.code), e.field ? e.field : "-", e.index);
		buf_free(&out);
		arena_free(arena);
		return 1;
	}
	fwrite(out.p, 1, out.len, stdout);
	if (rcpts) {
		FILE *f = fopen(rcpts, "w");
		size_t k;

		if (!f)
			return 2;
		for (k = 0; k < res.nrcpts; k++)
			fprintf(f, "%s\n", res.rcpts[k]);
		fprintf(f, "message-id %s\n", res.message_id);
		fclose(f);
	}
	buf_free(&out);
	arena_free(arena);
	return 0;
}
