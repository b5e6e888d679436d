/* qmailadmin-ctl: every admin operation from a shell, for root and scripts.
 * It runs the helper's own operation handlers in-process as the superadmin:
 * the arguments are framed and decoded exactly as a helper request is, so
 * the same validators and the same store code run. Under the vpopmail names
 * (vadddomain, vdeldomain, vadduser, vdeluser, vpasswd) it takes their
 * argument order. */
#include "config.h"

#include "arena.h"
#include "conf.h"
#include "ops.h"
#include "privs.h"
#include "proto.h"
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

enum out { OUT_NONE, OUT_RECORD, OUT_USERS, OUT_DOMAINS, OUT_ALIASES };

#define CTL_FILE_MAX (PROTO_MAX_REQUEST - (64u << 10))   /* "@key": a file's bytes */

struct cmd {
	const char *w1, *w2;          /* "user", "add" */
	const char *op;
	/* Request keys of the positional arguments. "@key": the argument names
	 * a file whose bytes are sent; "key...": this and every later argument,
	 * joined with ','; "KEY=VALUE...": each later argument is a key=value. */
	const char *pos[3];
	int min_pos;
	const char *opts;             /* allowed options: c q r f k p t */
	enum out out;
	const char *usage;
};

static const struct cmd cmds[] = {
	{ "domain", "add", "domain.add", { "domain", "password" }, 1, "r", OUT_RECORD,
	  "domain add DOMAIN [PASSWORD] [-r]" },
	{ "domain", "del", "domain.del", { "domain" }, 1, "", OUT_NONE, "domain del DOMAIN" },
	{ "domain", "list", "domain.list", { "search" }, 0, "", OUT_DOMAINS, "domain list [SEARCH]" },
	{ "domain", "show", "domain.get", { "domain" }, 1, "", OUT_RECORD, "domain show DOMAIN" },
	{ "domain", "alias", "domain.alias.add", { "alias", "domain" }, 2, "", OUT_NONE,
	  "domain alias ALIAS-DOMAIN DOMAIN" },
	{ "domain", "unalias", "domain.alias.del", { "alias" }, 1, "", OUT_NONE,
	  "domain unalias ALIAS-DOMAIN" },
	{ "user", "add", "user.add", { "user", "password" }, 1, "cqr", OUT_RECORD,
	  "user add USER@DOMAIN [PASSWORD] [-c NAME] [-q QUOTA] [-r]" },
	{ "user", "del", "user.del", { "user" }, 1, "", OUT_NONE, "user del USER@DOMAIN" },
	{ "user", "passwd", "user.passwd", { "user", "password" }, 1, "r", OUT_RECORD,
	  "user passwd USER@DOMAIN [PASSWORD] [-r]   (prompts when no password is given)" },
	{ "user", "quota", "user.mod", { "user", "quota" }, 2, "", OUT_NONE,
	  "user quota USER@DOMAIN QUOTA   (e.g. 50M, 1024K, 52428800, NOQUOTA, 10485760S,1000C)" },
	{ "user", "mod", "user.mod", { "user" }, 1, "cqfprtk", OUT_NONE,
	  "user mod USER@DOMAIN [-c NAME] [-q QUOTA] [-f FLAG,FLAG...] [-p PASSWORD | -r]\n"
	  "           [-t TARGET,TARGET... [--copy]]   (all in one change; -t '': normal delivery)" },
	{ "user", "list", "user.list", { "domain", "search" }, 1, "", OUT_USERS,
	  "user list DOMAIN [SEARCH]" },
	{ "user", "show", "user.get", { "user" }, 1, "", OUT_RECORD, "user show USER@DOMAIN" },
	{ "user", "import", "user.import", { "domain", "@csv" }, 2, "", OUT_RECORD,
	  "user import DOMAIN FILE.csv   (local-part,password,full name,quota)" },
	{ "alias", "list", "alias.list", { "domain" }, 1, "", OUT_ALIASES, "alias list DOMAIN" },
	{ "alias", "show", "alias.get", { "user" }, 1, "", OUT_RECORD, "alias show ALIAS@DOMAIN" },
	{ "alias", "set", "alias.set", { "user", "targets..." }, 2, "", OUT_NONE,
	  "alias set ALIAS@DOMAIN TARGET..." },
	{ "alias", "blackhole", "alias.blackhole", { "user" }, 1, "", OUT_NONE,
	  "alias blackhole ALIAS@DOMAIN" },
	{ "alias", "del", "alias.del", { "user" }, 1, "", OUT_NONE, "alias del ALIAS@DOMAIN" },
	{ "forward", "show", "forward.get", { "user" }, 1, "", OUT_RECORD, "forward show USER@DOMAIN" },
	{ "forward", "set", "forward.set", { "user", "targets..." }, 2, "k", OUT_NONE,
	  "forward set USER@DOMAIN TARGET... [--copy]" },
	{ "forward", "clear", "forward.set", { "user" }, 1, "", OUT_NONE,
	  "forward clear USER@DOMAIN   (normal delivery)" },
	{ "catchall", "show", "catchall.get", { "domain" }, 1, "", OUT_RECORD, "catchall show DOMAIN" },
	{ "catchall", "set", "catchall.set", { "domain", "mode", "target" }, 2, "", OUT_NONE,
	  "catchall set DOMAIN delete|bounce|user NAME|forward ADDRESS|domain OTHER.TLD" },
	{ "limits", "show", "limits.get", { "domain" }, 1, "", OUT_RECORD, "limits show DOMAIN" },
	{ "limits", "set", "limits.set", { "domain", "KEY=VALUE..." }, 2, "", OUT_NONE,
	  "limits set DOMAIN KEY=VALUE...   (keys as in .qmailadmin-limits; -1 = unlimited)" },
	{ "limits", "reset", "limits.reset", { "domain" }, 1, "", OUT_NONE, "limits reset DOMAIN" },
	{ "superadmin-password", NULL, "superadmin.passwd", { "name", "password" }, 0, "r",
	  OUT_RECORD, "superadmin-password [NAME] [PASSWORD] [-r]" },
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

/* vpopmail's command names and the qmailadmin-ctl command each one is. */
static const struct {
	const char *name, *w1, *w2;
} vnames[] = {
	{ "vadddomain", "domain", "add" }, { "vdeldomain", "domain", "del" },
	{ "vadduser", "user", "add" }, { "vdeluser", "user", "del" },
	{ "vpasswd", "user", "passwd" },
};

static void usage(FILE *f)
{
	size_t i;

	fputs("usage: qmailadmin-ctl COMMAND [ARGS]\n\nCommands:\n", f);
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %s\n", cmds[i].usage);
	fputs("\nOptions: -c full name, -q quota, -r random password (printed), -f flags,\n"
	      "         -p password, -t forward to (comma-separated),\n"
	      "         --copy keep a copy in the mailbox too\n"
	      "Targets: addresses, or names of mailboxes and aliases of the same domain\n"
	      "Flags: no_password_change no_pop no_webmail no_imap bounce_mail no_relay\n"
	      "       no_smtp admin override_limits no_spamassassin delete_spam ...\n"
	      "Reads $QMAILADMIN_CONF or " QA_SYSCONFDIR "/qmailadmin.conf.\n"
	      "Exit status: 0 done, 1 refused or failed (the reason is printed), 2 usage.\n", f);
}

static const struct cmd *find_cmd(const char *w1, const char *w2, int *used)
{
	size_t i;

	for (i = 0; i < NCMDS; i++) {
		if (strcmp(cmds[i].w1, w1))
			continue;
		if (!cmds[i].w2) {
			*used = 1;
			return &cmds[i];
		}
		if (w2 && !strcmp(cmds[i].w2, w2)) {
			*used = 2;
			return &cmds[i];
		}
	}
	return NULL;
}

static const char *opt_key(char o)
{
	switch (o) {
	case 'c': return "gecos";
	case 'q': return "quota";
	case 'f': return "flags";
	case 'k': return "save_copy";
	case 'p': return "password";
	case 't': return "targets";
	default: return NULL;
	}
}

/* Long spellings of options; these take no value and send "1". */
static const struct {
	const char *name;
	char opt;
} long_opts[] = {
	{ "--copy", 'k' },
};

static char long_opt(const struct cmd *cmd, const char *a)
{
	size_t i;

	for (i = 0; i < sizeof(long_opts) / sizeof(long_opts[0]); i++)
		if (!strcmp(a, long_opts[i].name) && strchr(cmd->opts, long_opts[i].opt))
			return long_opts[i].opt;
	return 0;
}

/* Reads a password from the terminal twice (echo off), or one line of stdin. */
static int prompt_password(char *out, size_t n)
{
	struct termios old, quiet;
	char again[256];
	int tty = isatty(0) && tcgetattr(0, &old) == 0;
	size_t len;

	if (tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(0, TCSAFLUSH, &quiet);
		fputs("New password: ", stderr);
	}
	if (!fgets(out, (int)n, stdin))
		out[0] = '\0';
	if (tty) {
		fputs("\nAgain: ", stderr);
		if (!fgets(again, sizeof(again), stdin))
			again[0] = '\0';
		tcsetattr(0, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	len = strcspn(out, "\r\n");
	out[len] = '\0';
	if (tty && strncmp(out, again, len) != 0) {
		fputs("qmailadmin-ctl: the passwords differ\n", stderr);
		return -1;
	}
	return 0;
}

/* The bytes of a file as the value of key ("user import DOMAIN FILE.csv").
 * Request values are text: a NUL is refused here, naming its line. */
static int add_file(struct buf *req, const char *key, const char *path)
{
	struct buf b;
	char chunk[65536];
	const char *nul;
	ssize_t r = 0;
	size_t line = 1, i;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "qmailadmin-ctl: %s: %s\n", path, strerror(errno));
		return -2;
	}
	buf_init(&b, CTL_FILE_MAX);
	while ((r = read(fd, chunk, sizeof(chunk))) > 0 && buf_add(&b, chunk, (size_t)r) == 0)
		;
	close(fd);
	if (r < 0 || buf_failed(&b)) {
		fprintf(stderr, "qmailadmin-ctl: %s: cannot read it, or larger than %u MiB\n", path,
		        CTL_FILE_MAX >> 20);
		buf_free(&b);
		return -2;
	}
	if (b.len && (nul = memchr(b.p, '\0', b.len))) {
		for (i = 0; b.p + i < nul; i++)
			line += b.p[i] == '\n';
		fprintf(stderr, "qmailadmin-ctl: %s: line %zu: NUL byte\n", path, line);
		buf_free(&b);
		return -2;
	}
	proto_req_add(req, key, buf_cstr(&b));
	buf_free(&b);
	return 0;
}

/* An argument for a variadic slot ("key..." or "KEY=VALUE..."). */
static int add_variadic(const char *slot, const char *a, struct buf *joined, struct buf *req)
{
	char key[PROTO_MAX_KEY + 1];
	size_t n = strcspn(a, "=");

	if (strcmp(slot, "KEY=VALUE...")) {
		if (joined->len)
			buf_addc(joined, ',');
		return buf_adds(joined, a);
	}
	if (!a[n] || n == 0 || n > PROTO_MAX_KEY || strspn(a, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
		return -1;
	memcpy(key, a, n);
	key[n] = '\0';
	proto_req_add(req, key, a + n + 1);
	return 0;
}

static int is_variadic(const char *slot)
{
	size_t n = strlen(slot);

	return n > 3 && !strcmp(slot + n - 3, "...");
}

/* One positional argument into its slot; *npos moves on except in a
 * variadic slot, which takes every argument left. */
static int add_positional(const struct cmd *cmd, int *npos, int *nvar, int *have_pw,
                          const char *a, struct buf *joined, struct buf *req)
{
	const char *slot = *npos < 3 ? cmd->pos[*npos] : NULL;

	if (!slot)
		return -1;
	if (is_variadic(slot)) {
		*nvar = 1;
		return add_variadic(slot, a, joined, req);
	}
	(*npos)++;
	if (slot[0] == '@')
		return add_file(req, slot + 1, a);
	*have_pw |= !strcmp(slot, "password");
	proto_req_add(req, slot, a);
	return 0;
}

/* Builds the request from argv (after the command words). */
static int build(const struct cmd *cmd, int argc, char **argv, struct buf *req)
{
	static char password[256];
	struct buf joined = BUF_INIT;
	int npos = 0, nvar = 0, random = 0, i, have_pw = 0, rc = 0;
	char o;

	proto_req_start(req, cmd->op);
	for (i = 0; i < argc && rc == 0; i++) {
		const char *a = argv[i];

		if ((o = long_opt(cmd, a))) {
			proto_req_add(req, opt_key(o), "1");
		} else if (a[0] == '-' && a[1] && !a[2] && strchr(cmd->opts, a[1])) {
			if (a[1] == 'r') {
				random = 1;
				continue;
			}
			if (i + 1 >= argc)
				rc = -1;
			else
				proto_req_add(req, opt_key(a[1]), argv[++i]);
		} else {
			rc = add_positional(cmd, &npos, &nvar, &have_pw, a, &joined, req);
		}
	}
	if (joined.len) {   /* "targets..." is sent as "targets" */
		char key[PROTO_MAX_KEY + 1];

		snprintf(key, sizeof(key), "%.*s", (int)strlen(cmd->pos[npos]) - 3, cmd->pos[npos]);
		proto_req_add(req, key, buf_cstr(&joined));
	}
	buf_free(&joined);
	if (rc < 0 || npos + nvar < cmd->min_pos)
		return rc < 0 ? rc : -1;
	if (random)
		proto_req_add(req, "random", "1");
	else if (!have_pw && (!strcmp(cmd->op, "user.passwd") || !strcmp(cmd->op, "superadmin.passwd"))) {
		if (prompt_password(password, sizeof(password)) < 0)
			return -2;
		proto_req_add(req, "password", password);
	}
	return 0;
}

/* Runs one request through the operation table as root's superadmin and
 * decodes the answer, exactly as the front end would receive it. */
static int run(const struct conf *conf, struct buf *req, struct arena *a,
               struct proto_answer *ans)
{
	static struct session_store sessions;
	struct proto_writer w;
	struct proto_req r;
	struct qa_error e;
	struct op_ctx c;
	struct buf wire = BUF_INIT;
	const struct op *op;
	int rc = -1;

	proto_writer_init(&w);
	qa_error_clear(&e);
	memset(&c, 0, sizeof(c));
	c.conf = conf;
	c.sessions = &sessions;
	c.req = &r;
	c.out = &w;
	c.err = &e;
	c.cli = 1;
	if (proto_req_decode(req->p, req->len, &r, &e) == 0 && (op = op_find(r.op))
	    && privs_for(op->priv == PRIV_ROOT, conf, &e) == 0
	    && (c.store = store_open(conf, &e))
	    && session_store_open(&sessions, conf->state_dir, conf->session_idle, conf->session_max, &e) == 0
	    && op_authenticate(op, &c) == 0)
		rc = op_run(op, &c);
	if (rc < 0 && e.code == QA_OK)
		qa_fail(&e, QA_ERR_PROTOCOL, "", "unknown operation");
	if (rc < 0) {
		proto_writer_free(&w);
		proto_writer_init(&w);
	}
	if (c.store)
		store_close(c.store);
	rc = proto_answer_finish(&w, rc < 0 ? &e : NULL, &wire);
	proto_writer_free(&w);
	if (rc == 0) {
		/* The answer's strings point into its bytes: keep them in the arena. */
		char *bytes = arena_strndup(a, wire.p, wire.len);

		rc = bytes && proto_answer_decode(a, bytes, wire.len, ans) == 0 ? 0 : -1;
	}
	buf_free(&wire);
	return rc;
}

static void print_record(const struct proto_record *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		printf("%s: %s\n", r->kv[i].key, r->kv[i].val);
}

static void print_items(const struct proto_answer *ans, enum out out)
{
	size_t i;

	for (i = 1; i < ans->nrec; i++) {
		const struct proto_record *r = &ans->rec[i];

		if (out == OUT_USERS)
			printf("%s\t%s\t%s\t%s\t%s\n", proto_rec_get(r, "user"), proto_rec_get(r, "gecos"),
			       proto_rec_get(r, "quota"), proto_rec_get(r, "used_bytes"),
			       proto_rec_get(r, "flags"));
		else if (out == OUT_DOMAINS)
			printf("%s\t%s\t%s\n", proto_rec_get(r, "domain"), proto_rec_get(r, "users"),
			       proto_rec_get(r, "aliases"));
		else if (out == OUT_ALIASES)
			printf("%s\t%s\t%s\n", proto_rec_get(r, "name"), proto_rec_get(r, "kind"),
			       proto_rec_get(r, "targets"));
		else {
			if (i > 1)
				putchar('\n');
			print_record(r);
		}
	}
}

static int report(const struct proto_answer *ans)
{
	if (ans->err.code == QA_OK)
		return 0;
	fprintf(stderr, "qmailadmin-ctl: %s%s%s: %s\n", qa_err_name(ans->err.code),
	        ans->err.field[0] ? " " : "", ans->err.field, ans->err.detail);
	return 1;
}

/* Lists come a page at a time; print them all. */
static int run_list(const struct conf *conf, const struct cmd *cmd, int argc, char **argv,
                    struct arena *a)
{
	struct buf req = BUF_INIT, page = BUF_INIT;
	struct proto_answer ans;
	unsigned long long offset = 0, total;
	char off[32];
	int rc = 0;

	do {
		if (build(cmd, argc, argv, &req) < 0) {
			usage(stderr);
			rc = 2;
			break;
		}
		snprintf(off, sizeof(off), "%llu", offset);
		proto_req_add(&req, "offset", off);
		proto_req_add(&req, "limit", "1000");
		if (proto_req_finish(&req, &page) < 0 || run(conf, &page, a, &ans) < 0) {
			rc = 1;
			break;
		}
		if ((rc = report(&ans)) != 0)
			break;
		print_items(&ans, cmd->out);
		total = strtoull(proto_rec_get(&ans.rec[0], "total") ? proto_rec_get(&ans.rec[0], "total") : "0", NULL, 10);
		offset += ans.nrec - 1;
		arena_reset(a);
	} while (ans.nrec > 1 && offset < total);
	buf_free(&req);
	buf_free(&page);
	return rc;
}

static int run_cmd(const struct conf *conf, const struct cmd *cmd, int argc, char **argv)
{
	struct buf req = BUF_INIT, wire = BUF_INIT;
	struct arena *a = arena_new(0);
	struct proto_answer ans;
	int rc;

	if (cmd->out == OUT_USERS || cmd->out == OUT_DOMAINS) {
		rc = run_list(conf, cmd, argc, argv, a);
	} else if ((rc = build(cmd, argc, argv, &req)) < 0) {
		if (rc == -1)
			usage(stderr);
		rc = rc == -1 ? 2 : 1;
	} else if (proto_req_finish(&req, &wire) < 0 || run(conf, &wire, a, &ans) < 0) {
		fputs("qmailadmin-ctl: internal error\n", stderr);
		rc = 1;
	} else if ((rc = report(&ans)) == 0) {
		print_record(&ans.rec[0]);
		print_items(&ans, cmd->out);
	}
	buf_free(&req);
	buf_free(&wire);
	arena_free(a);
	return rc;
}

int main(int argc, char **argv)
{
	static struct conf conf;
	const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	const struct cmd *cmd = NULL;
	char err[1024];
	int used = 0;
	size_t i;

	for (i = 0; i < sizeof(vnames) / sizeof(vnames[0]); i++)
		if (!strcmp(base, vnames[i].name))
			cmd = find_cmd(vnames[i].w1, vnames[i].w2, &used);
	if (cmd) {
		used = 0;            /* vpopmail names take their arguments directly */
	} else {
		if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
			usage(argc < 2 ? stderr : stdout);
			return argc < 2 ? 2 : 0;
		}
		if (!strcmp(argv[1], "--version")) {
			puts(PACKAGE_STRING);
			return 0;
		}
		cmd = find_cmd(argv[1], argc > 2 ? argv[2] : NULL, &used);
		if (!cmd) {
			usage(stderr);
			return 2;
		}
	}
	umask(077);
	if (conf_load(&conf, conf_default_path(), err, sizeof(err)) < 0) {
		fprintf(stderr, "qmailadmin-ctl: %s\n", err);
		return 1;
	}
	return run_cmd(&conf, cmd, argc - 1 - used, argv + 1 + used);
}
