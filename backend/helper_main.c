/* qmailadmin-helper: the only program that changes vpopmail stores and qmail
 * control files. Installed setuid root, reachable from the web through the
 * front end, so every byte it reads is hostile. One request per run, read top
 * to bottom:
 *
 *   scrub environment -> fixed config -> read frame -> decode -> find op ->
 *   drop privileges -> authenticate -> authorise -> operate -> answer
 *
 * It never reads a path from the environment while setuid, and never runs a
 * shell. */
#include "config.h"

#include "conf.h"
#include "ops.h"
#include "privs.h"
#include "proto.h"
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SYSTEM_CONF QA_SYSCONFDIR "/qmailadmin.conf"

/* OpenDoas order: forget the caller's environment and descriptors first. */
static void scrub(char *conf_path, size_t n)
{
	const char *env = getenv("QMAILADMIN_CONF");
	snprintf(conf_path, n, "%s", SYSTEM_CONF);
	if (!privs_setuid() && env && env[0] == '/')
		snprintf(conf_path, n, "%s", env);     /* tests only: never when setuid */
	clearenv();
	setenv("PATH", "/usr/bin:/bin", 1);
	umask(077);
	closefrom(3);       /* one syscall (close_range), not one per possible fd */
	signal(SIGPIPE, SIG_IGN);
}

/* A setuid helper must not take orders from a config anyone but root wrote. */
static int conf_trusted(const char *path, struct qa_error *e)
{
	struct stat st;

	if (!privs_setuid())
		return 0;
	if (stat(path, &st) < 0)
		return qa_fail_errno(e, "", "%s", path);
	if (st.st_uid != 0 || (st.st_mode & 022))
		return qa_fail(e, QA_ERR_DENIED, "", "%s must be owned by root and not writable by others", path);
	return 0;
}

static int read_request(struct buf *b)
{
	char chunk[65536];
	ssize_t n;

	while ((n = read(0, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (buf_add(b, chunk, (size_t)n) < 0)
			return -1;                   /* over PROTO_MAX_REQUEST */
	}
	return 0;
}

static int answer(struct proto_writer *w, const struct qa_error *e)
{
	struct buf out = BUF_INIT;
	size_t off = 0;
	int rc = proto_answer_finish(w, e, &out);

	while (rc == 0 && off < out.len) {
		ssize_t n = write(1, out.p + off, out.len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			rc = -1;
		else
			off += (size_t)n;
	}
	buf_free(&out);
	return rc;
}

static int serve(struct op_ctx *c, struct buf *in, struct proto_req *req,
                 const char *conf_path, struct conf *conf)
{
	char cerr[1024];
	const struct op *op;

	if (conf_trusted(conf_path, c->err) < 0)
		return -1;
	if (conf_load(conf, conf_path, cerr, sizeof(cerr)) < 0)
		return qa_fail(c->err, QA_ERR_IO, "", "%s", cerr);
	if (read_request(in) < 0 || proto_req_decode(in->p ? in->p : (char *)"", in->len, req, c->err) < 0)
		return qa_fail(c->err, QA_ERR_PROTOCOL, "", "malformed or oversized request");
	op = op_find(req->op);
	if (!op)
		return qa_fail(c->err, QA_ERR_PROTOCOL, "", "unknown operation");
	if (privs_for(op->priv == PRIV_ROOT, conf, c->err) < 0)
		return -1;
	c->store = store_open(conf, c->err);
	if (!c->store || session_store_open(c->sessions, conf->state_dir, conf->session_idle,
	                                    conf->session_max, c->err) < 0)
		return -1;
	if (op_authenticate(op, c) < 0)
		return -1;
	return op_run(op, c);
}

int main(int argc, char **argv)
{
	static struct conf conf;
	static struct session_store sessions;
	static struct proto_req req;
	char conf_path[4096];
	struct buf in;
	struct proto_writer w;
	struct qa_error e;
	struct op_ctx c;
	int rc;

	scrub(conf_path, sizeof(conf_path));
	if (argc > 1) {
		fprintf(stderr, "usage: qmailadmin-helper < request\n"
		        "Reads one request (see the README: helper protocol) and answers it.\n");
		return !strcmp(argv[1], "--help") ? 0 : 2;
	}
	buf_init(&in, PROTO_MAX_REQUEST + 64);
	proto_writer_init(&w);
	qa_error_clear(&e);
	memset(&c, 0, sizeof(c));
	c.conf = &conf;
	c.sessions = &sessions;
	c.req = &req;
	c.out = &w;
	c.err = &e;
	rc = serve(&c, &in, &req, conf_path, &conf);
	if (rc < 0 && e.code == QA_OK)
		qa_fail(&e, QA_ERR_IO, "", "operation failed");
	if (rc < 0) {
		/* An error answer carries no data, only who asked (when a session
		 * said so), so that a refused page can still show its menu. */
		proto_writer_free(&w);
		proto_writer_init(&w);
		if (c.me_known)
			op_put_me(&c);
	}
	rc = answer(&w, rc < 0 ? &e : NULL) < 0 ? 111 : rc < 0 ? 1 : 0;
	if (c.store)
		store_close(c.store);
	proto_writer_free(&w);
	buf_free(&in);
	return rc;
}
