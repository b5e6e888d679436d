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

enum out { OUT_NONE, OUT_RECORD, OUT_USERS, OUT_DOMAINS };

struct cmd {
	const char *w1, *w2;          /* "user", "add" */
	const char *op;
	const char *pos[3];           /* request keys of the positional arguments */
	int min_pos;
	const char *opts;             /* allowed options: c q r f */
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
	  "user quota USER@DOMAIN QUOTA   (e.g. 50M, 1G, NOQUOTA, 10485760S,1000C)" },
	{ "user", "mod", "user.mod", { "user" }, 1, "cqf", OUT_NONE,
	  "user mod USER@DOMAIN [-c NAME] [-q QUOTA] [-f FLAG,FLAG...]" },
	{ "user", "list", "user.list", { "domain", "search" }, 1, "", OUT_USERS,
	  "user list DOMAIN [SEARCH]" },
	{ "user", "show", "user.get", { "user" }, 1, "", OUT_RECORD, "user show USER@DOMAIN" },
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
	fputs("\nOptions: -c full name, -q quota, -r random password (printed), -f flags\n"
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
	default: return NULL;
	}
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

/* Builds the request from argv (after the command words). */
static int build(const struct cmd *cmd, int argc, char **argv, struct buf *req)
{
	static char password[256];
	int npos = 0, random = 0, i, have_pw = 0;

	proto_req_start(req, cmd->op);
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] == '-' && a[1] && !a[2] && strchr(cmd->opts, a[1])) {
			if (a[1] == 'r') {
				random = 1;
				continue;
			}
			if (i + 1 >= argc)
				return -1;
			proto_req_add(req, opt_key(a[1]), argv[++i]);
		} else if (npos < 3 && cmd->pos[npos]) {
			have_pw |= !strcmp(cmd->pos[npos], "password");
			proto_req_add(req, cmd->pos[npos++], a);
		} else {
			return -1;
		}
	}
	if (npos < cmd->min_pos)
		return -1;
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
