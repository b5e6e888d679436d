/* imap_probe: a test-only command line over cgi/imap.c, for
 * tests/integration/imap_dovecot.sh. Each run is one connection (as a page
 * makes): connect, log in, one operation, log out. It prints what a page
 * would show, one fact a line, so that the shell test can compare; errors
 * print "error NAME: detail" and exit 1.
 *
 *   imap_probe [--tls none|starttls|imaps] [--ca FILE] [--no-verify]
 *              [--auth auto|plain|login] [--hide CAP,...] [--timeout MS]
 *              COMMAND ARGS...
 *   environment: IMAP_HOST, IMAP_PORT, IMAP_USER, IMAP_PASS
 *
 * Commands: login | caps | list [status] | status MBOX | select MBOX |
 * examine MBOX | create MBOX | delete MBOX | rename FROM TO |
 * append MBOX FILE [\FLAG...] | fetch MBOX UIDS | body MBOX UID SECTION |
 * search MBOX [any] KEY [VALUE] ... | sort MBOX KEY [reverse] |
 * store MBOX UIDS +|-|= FLAG... | move MBOX UIDS DEST | expunge MBOX UIDS.
 * UIDS is "1,2,5"; FLAGs are \Seen, \Flagged, ... or keywords. */
#include "config.h"

#include "arena.h"
#include "buf.h"
#include "charset.h"
#include "decode.h"
#include "file.h"
#include "imap.h"
#include "rfc2047.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct arena *arena;

#define USAGE (-1)

static int usage(void)
{
	fprintf(stderr, "usage: imap_probe [options] COMMAND ARGS... (see the source)\n");
	return USAGE;
}

static int fail(struct imap *im, int rc)
{
	printf("error %s: %s\n", imap_err_name(rc), imap_detail(im));
	return 1;
}

static const char *flag_names(unsigned bits, const struct imap_flags *kw)
{
	static const char *const names[] = { "\\Seen", "\\Answered", "\\Flagged", "\\Deleted",
	                                     "\\Draft", "\\Recent", "\\*" };
	static char out[512];
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (bits & (1u << i))
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", o ? " " : "", names[i]);
	for (i = 0; kw && i < kw->nkeywords && o < sizeof(out); i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", o ? " " : "", kw->keywords[i]);
	return out;
}

static unsigned parse_flags(char **argv, int argc, const char **kw, size_t *nkw)
{
	static const char *const names[] = { "\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft" };
	unsigned bits = 0;
	int i;
	size_t j;

	*nkw = 0;
	for (i = 0; i < argc; i++) {
		for (j = 0; j < sizeof(names) / sizeof(names[0]); j++)
			if (!strcasecmp(argv[i], names[j]))
				break;
		if (j < sizeof(names) / sizeof(names[0]))
			bits |= 1u << j;
		else
			kw[(*nkw)++] = argv[i];
	}
	return bits;
}

static size_t parse_uids(const char *s, uint32_t *out, size_t max)
{
	size_t n = 0;
	char *end;

	while (*s && n < max) {
		out[n++] = (uint32_t)strtoul(s, &end, 10);
		s = *end == ',' ? end + 1 : end;
		if (end == s && *s)
			break;
	}
	return n;
}

static const char *hdr(const char *raw)
{
	return raw ? rfc2047_decode(arena, raw, strlen(raw), NULL) : "";
}

static void print_addresses(const char *label, const struct imap_address *a)
{
	printf("%s=", label);
	for (; a; a = a->next) {
		if (!a->host)
			continue;                        /* group markers */
		if (a->name)
			printf("%s <%s@%s>", hdr(a->name), a->mailbox ? a->mailbox : "", a->host);
		else
			printf("%s@%s", a->mailbox ? a->mailbox : "", a->host);
		if (a->next && a->next->host)
			printf(", ");
	}
	printf("\n");
}

static void print_body(const struct imap_body *b)
{
	const struct imap_param *p;
	const struct imap_body *c;
	const char *name;

	if (b->parts) {
		printf("multipart %s %s\n", *b->section ? b->section : "-", b->subtype);
		for (c = b->parts; c; c = c->next)
			print_body(c);
		return;
	}
	printf("part %s %s/%s", b->section, b->type, b->subtype);
	for (p = b->params; p; p = p->next)
		printf(" %s=%s", p->name, p->value ? p->value : "NIL");
	printf(" encoding=%s size=%llu", b->encoding ? b->encoding : "NIL", (unsigned long long)b->size);
	if (b->disposition) {
		name = imap_param_get(b->disp_params, "filename");
		printf(" disposition=%s%s%s", b->disposition, name ? " filename=" : "", name ? name : "");
	}
	printf("\n");
	if (b->msg) {
		printf("message %s subject=%s\n", b->section, hdr(b->env ? b->env->subject : NULL));
		print_body(b->msg);
	}
}

static int cmd_fetch(struct imap *im, const char *set)
{
	static uint32_t uids[1024];
	struct imap_fetch_spec spec = { IMAP_FETCH_FLAGS | IMAP_FETCH_SIZE | IMAP_FETCH_INTERNALDATE
	                                | IMAP_FETCH_ENVELOPE | IMAP_FETCH_BODYSTRUCTURE, NULL, 0, 0, 0 };
	struct imap_fetch *f;
	size_t n, i;
	int rc;

	n = parse_uids(set, uids, 1024);
	if ((rc = imap_fetch(im, uids, n, &spec, &f, &n)))
		return rc;
	for (i = 0; i < n; i++) {
		printf("uid=%u flags=%s size=%llu date=%lld\n", f[i].uid, flag_names(f[i].flags.bits, &f[i].flags),
		       (unsigned long long)f[i].size, (long long)f[i].internaldate);
		printf("subject=%s\n", hdr(f[i].env->subject));
		print_addresses("from", f[i].env->from);
		print_addresses("to", f[i].env->to);
		print_addresses("cc", f[i].env->cc);
		printf("message-id=%s\n", f[i].env->message_id ? f[i].env->message_id : "NIL");
		print_body(f[i].body);
	}
	return 0;
}

/* A section, decoded from its transfer encoding and, for text, to UTF-8. */
static int cmd_body(struct imap *im, uint32_t uid, const char *section)
{
	const char *secs[1] = { section };
	struct imap_fetch_spec spec = { IMAP_FETCH_BODYSTRUCTURE, secs, 1, 0, 0 };
	const struct imap_section *s;
	const struct imap_body *b;
	struct imap_fetch *f;
	struct buf out = BUF_INIT;
	unsigned char *dec;
	const char *cs;
	size_t n, dn;
	int rc;

	if ((rc = imap_fetch(im, &uid, 1, &spec, &f, &n)))
		return rc;
	if (n != 1 || !(s = imap_fetch_section(f, section)) || !s->data) {
		printf("error no section\n");
		return 0;
	}
	b = imap_body_find(f->body, section);
	if (!b || !b->encoding || !(dec = malloc(s->len + 4))) {
		fwrite(s->data, 1, s->len, stdout);
		return 0;
	}
	if (!strcmp(b->encoding, "base64"))
		dn = b64_decode(s->data, s->len, dec, NULL);
	else if (!strcmp(b->encoding, "quoted-printable"))
		dn = qp_decode(s->data, s->len, dec, NULL);
	else
		memcpy(dec, s->data, dn = s->len);
	cs = imap_param_get(b->params, "charset");
	if (!strcmp(b->type, "text") && cs && charset_to_utf8(&out, cs, strlen(cs), (char *)dec, dn) == 0)
		fwrite(out.p, 1, out.len, stdout);
	else
		fwrite(dec, 1, dn, stdout);
	buf_free(&out);
	free(dec);
	return 0;
}

static int cmd_search(struct imap *im, int argc, char **argv, int sort)
{
	static const char *const keys[] = { "ALL", "FROM", "TO", "CC", "SUBJECT", "BODY", "TEXT",
	                                    "SEEN", "UNSEEN", "FLAGGED", "UNFLAGGED", "DELETED",
	                                    "UNDELETED", "ANSWERED" };
	struct imap_search_term terms[16];
	struct imap_search q = { terms, 0, 0 };
	uint32_t *uids;
	size_t n, i, k;
	int rc, a = 0, reverse = 0;
	enum imap_sort_key skey = IMAP_SORT_ARRIVAL;

	if (sort) {
		static const char *const skeys[] = { "ARRIVAL", "DATE", "FROM", "SUBJECT", "SIZE", "TO", "CC" };

		for (k = 0; k < 7; k++)
			if (argc > 0 && !strcasecmp(argv[0], skeys[k]))
				skey = (enum imap_sort_key)k;
		reverse = argc > 1 && !strcmp(argv[1], "reverse");
		a = 1 + reverse;
	}
	if (a < argc && !strcmp(argv[a], "any")) {
		q.any = 1;
		a++;
	}
	while (a < argc && q.nterms < 16) {
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (!strcasecmp(argv[a], keys[k]))
				break;
		if (k == sizeof(keys) / sizeof(keys[0]))
			return usage();
		terms[q.nterms].key = (enum imap_search_key)k;
		terms[q.nterms].value = k >= 1 && k <= 6 && a + 1 < argc ? argv[++a] : NULL;
		q.nterms++;
		a++;
	}
	rc = sort ? imap_sort(im, skey, reverse, &q, &uids, &n) : imap_search(im, &q, &uids, &n);
	if (rc)
		return rc;
	printf("uids=");
	for (i = 0; i < n; i++)
		printf("%s%u", i ? "," : "", uids[i]);
	printf("\n");
	return 0;
}

static int cmd_list(struct imap *im, int with_status)
{
	struct imap_mailbox *m;
	size_t n, i;
	int rc;

	if ((rc = imap_list(im, with_status ? IMAP_LIST_STATUS : 0, &m, &n)))
		return rc;
	for (i = 0; i < n; i++) {
		printf("%s\t%s\t%c\t%s%s%s", m[i].name ? m[i].name : "(undecodable)", m[i].raw,
		       m[i].delim ? m[i].delim : '-',
		       m[i].flags & IMAP_MBX_HASCHILDREN ? "children" : "",
		       m[i].flags & IMAP_MBX_HASNOCHILDREN ? "nochildren" : "",
		       m[i].flags & IMAP_MBX_NOSELECT ? " noselect" : "");
		if (with_status)
			printf("\tmessages=%u unseen=%u", m[i].status.messages, m[i].status.unseen);
		printf("\n");
	}
	return 0;
}

static int cmd_select(struct imap *im, const char *mbox, int ro)
{
	struct imap_selected s;
	int rc;

	if ((rc = imap_select(im, mbox, ro, &s)))
		return rc;
	printf("exists=%u recent=%u uidvalidity=%u uidnext=%u\n", s.exists, s.recent, s.uidvalidity, s.uidnext);
	printf("flags=%s\n", flag_names(s.flags, NULL));
	printf("permanentflags=%s\n", flag_names(s.permanent_flags, NULL));
	printf("readonly=%d\n", s.read_only);
	return 0;
}

/* The file with its line ends made CRLF, as IMAP wants them. */
static char *read_message(const char *path, size_t *len)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	size_t i;

	if (file_read(path, 64u << 20, &in) < 0)
		return NULL;
	for (i = 0; i < in.len; i++) {
		if (in.p[i] == '\n' && (i == 0 || in.p[i - 1] != '\r'))
			buf_addc(&out, '\r');
		buf_addc(&out, in.p[i]);
	}
	buf_free(&in);
	*len = out.len;
	return out.p;
}

static int run(struct imap *im, int argc, char **argv)
{
	static uint32_t uids[1024];
	const char *kw[16];
	const char *cmd = argv[0];
	size_t n, nkw;
	int rc;

	if (!strcmp(cmd, "login") || !strcmp(cmd, "caps")) {
		uint32_t caps = imap_caps(im), bit;

		printf("ok\n");
		if (!strcmp(cmd, "caps"))
			for (bit = 1; bit; bit <<= 1)
				if ((caps & bit) && imap_cap_name(bit))
					printf("%s\n", imap_cap_name(bit));
		return 0;
	}
	if (!strcmp(cmd, "list"))
		return cmd_list(im, argc > 1 && !strcmp(argv[1], "status"));
	if (argc < 2)
		return usage();
	if (!strcmp(cmd, "status")) {
		struct imap_status st;

		if ((rc = imap_status(im, argv[1], &st)))
			return rc;
		printf("messages=%u recent=%u uidnext=%u uidvalidity=%u unseen=%u\n",
		       st.messages, st.recent, st.uidnext, st.uidvalidity, st.unseen);
		return 0;
	}
	if (!strcmp(cmd, "select") || !strcmp(cmd, "examine"))
		return cmd_select(im, argv[1], !strcmp(cmd, "examine"));
	if (!strcmp(cmd, "create"))
		return imap_create(im, argv[1]);
	if (!strcmp(cmd, "delete"))
		return imap_delete(im, argv[1]);
	if (!strcmp(cmd, "rename") && argc == 3)
		return imap_rename(im, argv[1], argv[2]);
	if (!strcmp(cmd, "append") && argc >= 3) {
		unsigned bits = parse_flags(argv + 3, argc - 3, kw, &nkw);
		uint32_t uid;
		char *msg;

		if (nkw || !(msg = read_message(argv[2], &n)))
			return usage();              /* system flags only */
		rc = imap_append(im, argv[1], bits, 0, msg, n, &uid);
		free(msg);
		if (!rc)
			printf("uid=%u\n", uid);
		return rc;
	}
	/* The rest work in a selected mailbox. */
	if ((rc = imap_select(im, argv[1], 0, NULL)))
		return rc;
	if (!strcmp(cmd, "fetch") && argc == 3)
		return cmd_fetch(im, argv[2]);
	if (!strcmp(cmd, "body") && argc == 4)
		return cmd_body(im, (uint32_t)strtoul(argv[2], NULL, 10), argv[3]);
	if (!strcmp(cmd, "search"))
		return cmd_search(im, argc - 2, argv + 2, 0);
	if (!strcmp(cmd, "sort"))
		return cmd_search(im, argc - 2, argv + 2, 1);
	if (argc < 3)
		return usage();
	n = parse_uids(argv[2], uids, 1024);
	if (!strcmp(cmd, "store") && argc >= 4) {
		enum imap_store_op op = argv[3][0] == '+' ? IMAP_STORE_ADD
		                        : argv[3][0] == '-' ? IMAP_STORE_REMOVE : IMAP_STORE_SET;
		unsigned bits = parse_flags(argv + 4, argc - 4, kw, &nkw);

		return imap_store(im, uids, n, op, bits, kw, nkw);
	}
	if (!strcmp(cmd, "move") && argc == 4)
		return imap_move(im, uids, n, argv[3]);
	if (!strcmp(cmd, "expunge"))
		return imap_expunge_uids(im, uids, n);
	return usage();
}

static uint32_t cap_bit(const char *name)
{
	uint32_t bit;

	for (bit = 1; bit; bit <<= 1)
		if (imap_cap_name(bit) && !strcasecmp(imap_cap_name(bit), name))
			return bit;
	return 0;
}

int main(int argc, char **argv)
{
	struct imap_config cfg;
	enum imap_auth how = IMAP_AUTH_AUTO;
	uint32_t hide = 0;
	struct imap *im;
	const char *user = getenv("IMAP_USER"), *pass = getenv("IMAP_PASS");
	int i = 1, rc;

	signal(SIGPIPE, SIG_IGN);
	memset(&cfg, 0, sizeof(cfg));
	cfg.host = getenv("IMAP_HOST") ? getenv("IMAP_HOST") : "127.0.0.1";
	cfg.port = getenv("IMAP_PORT") ? (unsigned)atoi(getenv("IMAP_PORT")) : 143;
	cfg.verify = 1;
	cfg.timeout_ms = 10000;
	imap_limits_default(&cfg.lim);
	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--tls") && i + 1 < argc) {
			i++;
			cfg.tls = !strcmp(argv[i], "imaps") ? IMAP_TLS_IMAPS
			          : !strcmp(argv[i], "starttls") ? IMAP_TLS_STARTTLS : IMAP_TLS_NONE;
		} else if (!strcmp(argv[i], "--ca") && i + 1 < argc) {
			cfg.ca_file = argv[++i];
		} else if (!strcmp(argv[i], "--no-verify")) {
			cfg.verify = 0;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			cfg.timeout_ms = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--auth") && i + 1 < argc) {
			i++;
			how = !strcmp(argv[i], "plain") ? IMAP_AUTH_PLAIN
			      : !strcmp(argv[i], "login") ? IMAP_AUTH_LOGIN : IMAP_AUTH_AUTO;
		} else if (!strcmp(argv[i], "--hide") && i + 1 < argc) {
			char *list = argv[++i], *tok;

			for (tok = strtok(list, ","); tok; tok = strtok(NULL, ","))
				hide |= cap_bit(tok);
		} else {
			usage();
			return 2;
		}
	}
	if (i >= argc || !user || !pass) {
		usage();
		return 2;
	}
	arena = arena_new(512u << 20);
	im = imap_new(arena, &cfg);
	if (!arena || !im)
		return 111;
	rc = imap_connect(im);
	imap_hide_caps(im, hide);
	if (!rc)
		rc = imap_login(im, user, pass, how);
	imap_hide_caps(im, hide);
	if (!rc)
		rc = run(im, argc - i, argv + i);
	if (rc == USAGE) {
		imap_free(im);
		arena_free(arena);
		return 2;
	}
	if (rc) {
		rc = fail(im, rc);
		imap_free(im);
		arena_free(arena);
		return rc;
	}
	rc = imap_logout(im);
	if (rc)
		rc = fail(im, rc);
	imap_free(im);
	arena_free(arena);
	return rc;
}
