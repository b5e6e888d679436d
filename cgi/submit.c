/* submit: the transport the configuration chooses, qmail-inject's run, and
 * the page's words for a failure (see submit.h). */
#include "config.h"

#include "submit.h"

#include "page.h"
#include "smtp_wire.h"
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void submit_config_from_conf(struct submit_config *sc, const struct conf *c)
{
	struct smtp_config *s = &sc->smtp;

	memset(sc, 0, sizeof(*sc));
	sc->via = !strcmp(c->send_via, "qmail-inject") ? SUBMIT_QMAIL_INJECT : SUBMIT_SMTP;
	sc->auth = !strcmp(c->smtp_auth, "config") ? SUBMIT_AUTH_CONFIG
	           : !strcmp(c->smtp_auth, "user") ? SUBMIT_AUTH_USER : SUBMIT_AUTH_NONE;
	s->host = c->smtp_host;
	s->port = c->smtp_port;
	s->tls = !strcmp(c->smtp_tls, "smtps") ? SMTP_TLS_SMTPS
	         : !strcmp(c->smtp_tls, "starttls") ? SMTP_TLS_STARTTLS : SMTP_TLS_NONE;
	s->ca_file = c->smtp_ca_file;
	s->verify = c->smtp_verify;
	/* poll() takes an int of milliseconds; a day is plenty. */
	s->timeout_ms = (int)(c->smtp_timeout > 86400 ? 86400000 : c->smtp_timeout * 1000);
	if (sc->auth == SUBMIT_AUTH_CONFIG) {
		s->user = c->smtp_user;
		s->password = c->smtp_password;
	}
	sc->timeout_ms = s->timeout_ms;
	if (*c->qmail_inject)
		snprintf(sc->qmail_inject, sizeof(sc->qmail_inject), "%s", c->qmail_inject);
	else
		snprintf(sc->qmail_inject, sizeof(sc->qmail_inject), "%s/bin/qmail-inject", c->qmail_dir);
}

int submit_send(const struct submit_config *sc, const struct smtp_envelope *env,
                const char *msg, size_t len, const char *user, const char *password,
                struct smtp_result *res)
{
	struct smtp_config cfg;

	if (sc->via == SUBMIT_QMAIL_INJECT)
		return submit_inject(sc->qmail_inject, sc->timeout_ms, env, msg, len, res);
	cfg = sc->smtp;
	if (sc->auth == SUBMIT_AUTH_USER) {
		cfg.user = user;
		cfg.password = password;
	}
	return smtp_send(&cfg, env, msg, len, res);
}

const char *submit_err_key(const struct smtp_result *res)
{
	int rcpt = res->stage == SMTP_AT_RCPT && res->rcpt >= 0;

	switch (res->err) {
	case SMTP_OK: return NULL;
	case SMTP_ERR_CONNECT: return MSG("send.err_connect");
	case SMTP_ERR_TIMEOUT:
		return res->maybe_sent ? MSG("send.err_maybe_sent") : MSG("send.err_timeout");
	case SMTP_ERR_TLS: return MSG("send.err_tls");
	case SMTP_ERR_AUTH: return MSG("send.err_auth");
	case SMTP_ERR_TEMP: return rcpt ? MSG("send.err_rcpt_temp") : MSG("send.err_temp");
	case SMTP_ERR_PERM: return rcpt ? MSG("send.err_rcpt_perm") : MSG("send.err_perm");
	case SMTP_ERR_TOO_BIG: return MSG("send.err_too_big");
	case SMTP_ERR_INVALID: return rcpt ? MSG("send.err_rcpt_invalid") : MSG("send.err_invalid");
	case SMTP_ERR_LOCAL: return MSG("send.err_local");
	case SMTP_ERR_IO:
		return res->maybe_sent ? MSG("send.err_maybe_sent") : MSG("send.err_server");
	default: return MSG("send.err_server");
	}
}

/* ---------------------------------------------------------------- qmail-inject */

/* One run: the child, our ends of its pipes, the message going in, what it
 * says coming out. */
struct inject {
	pid_t pid;
	int in_fd;                      /* its stdin; -1 once the message is in */
	int out_fd;                     /* its stdout and stderr; -1 at their end */
	long long deadline;             /* CLOCK_MONOTONIC, ms */
	const char *msg;
	size_t len, pos;
	struct smtp_enc enc;
	int finished;                   /* the encoder's end is in out */
	char out[8192];                 /* encoded, not yet written */
	size_t out_off, out_len;
	char said[SMTP_DETAIL_MAX / 2]; /* the start of what it wrote */
	size_t said_len;
};

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int inject_fail(struct smtp_result *res, enum smtp_err err, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int inject_fail(struct smtp_result *res, enum smtp_err err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->detail, sizeof(res->detail), fmt, ap);
	va_end(ap);
	res->err = err;
	res->stage = SMTP_AT_INJECT;
	res->code = code;
	return err;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* The child: stdin on one pipe, stdout and stderr on the other, and an
 * environment of PATH only (child.h: every other descriptor closed,
 * default signals). */
static int spawn_inject(struct inject *r, const char *path, char **argv, int in[2], int out[2])
{
	static char *const envp[] = { (char *)"PATH=/usr/bin:/bin", NULL };

	return child_spawn(&r->pid, path, argv, envp, in[0], out[1], out[1]);
}

static int start(struct inject *r, const char *path, char **argv, struct smtp_result *res)
{
	int in[2], out[2], rc;

	if (child_pipe(in) < 0)
		return inject_fail(res, SMTP_ERR_LOCAL, 0, "qmail-inject: pipe: %s", strerror(errno));
	if (child_pipe(out) < 0) {
		rc = errno;
		close_fd(&in[0]);
		close_fd(&in[1]);
		return inject_fail(res, SMTP_ERR_LOCAL, 0, "qmail-inject: pipe: %s", strerror(rc));
	}
	rc = spawn_inject(r, path, argv, in, out);
	close(in[0]);
	close(out[1]);
	r->in_fd = in[1];
	r->out_fd = out[0];
	if (rc != 0) {
		close_fd(&r->in_fd);
		close_fd(&r->out_fd);
		r->pid = -1;
		return inject_fail(res, SMTP_ERR_LOCAL, 0, "cannot run %s: %s", path, strerror(rc));
	}
	fcntl(r->in_fd, F_SETFL, O_NONBLOCK);
	fcntl(r->out_fd, F_SETFL, O_NONBLOCK);
	return 0;
}

/* Writes what the pipe takes, encoding more as it goes. A child that stops
 * reading (it died, or refused the message early) is not an error here:
 * its exit status tells. */
static void feed_child(struct inject *r)
{
	ssize_t n;

	if (r->out_off == r->out_len) {
		size_t used = 0;

		r->out_off = 0;
		if (r->pos < r->len) {
			r->out_len = smtp_enc_step(&r->enc, r->msg + r->pos, r->len - r->pos, &used,
			                           r->out, sizeof(r->out));
			r->pos += used;
		} else if (!r->finished) {
			r->out_len = smtp_enc_finish(&r->enc, r->out);
			r->finished = 1;
		} else {
			close_fd(&r->in_fd);             /* the end of the message */
			return;
		}
	}
	n = write(r->in_fd, r->out + r->out_off, r->out_len - r->out_off);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		close_fd(&r->in_fd);
		return;
	}
	r->out_off += (size_t)n;
}

/* Keeps the start of what the child says; the rest is read and dropped. */
static void hear_child(struct inject *r)
{
	char buf[4096];
	ssize_t n = read(r->out_fd, buf, sizeof(buf));
	size_t keep;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		close_fd(&r->out_fd);
		return;
	}
	keep = sizeof(r->said) - 1 - r->said_len;
	if ((size_t)n < keep)
		keep = (size_t)n;
	memcpy(r->said + r->said_len, buf, keep);
	r->said_len += keep;
	r->said[r->said_len] = '\0';
}

/* Until the child has the whole message (or stopped reading) and has
 * closed its output, or the deadline. 0, or -1 on the deadline. */
static int exchange(struct inject *r)
{
	while (r->out_fd >= 0 || r->in_fd >= 0) {
		struct pollfd p[2];
		long long left = r->deadline - now_ms();
		int n, np = 0, rd = -1, wr = -1;

		if (left <= 0)
			return -1;
		if (r->out_fd >= 0)
			p[rd = np++] = (struct pollfd){ r->out_fd, POLLIN, 0 };
		if (r->in_fd >= 0)
			p[wr = np++] = (struct pollfd){ r->in_fd, POLLOUT, 0 };
		n = poll(p, (nfds_t)np, (int)left);
		if (n < 0 && errno != EINTR)
			return -1;
		if (n <= 0)
			continue;
		if (wr >= 0 && p[wr].revents)
			feed_child(r);
		if (rd >= 0 && p[rd].revents)
			hear_child(r);
	}
	return 0;
}

/* Reaps the child; one that lingers past the deadline (or any child after
 * a failed exchange) is killed. 0, -1 when it had to be killed, -2 when
 * waitpid failed. */
static int reap(struct inject *r, int kill_now, int *status)
{
	struct timespec nap = { 0, 200000 };

	*status = 0;
	while (!kill_now) {
		pid_t got = waitpid(r->pid, status, WNOHANG);

		if (got == r->pid)
			return 0;
		if (got < 0 && errno != EINTR)
			return -2;
		if (now_ms() >= r->deadline)
			break;
		nanosleep(&nap, NULL);
	}
	kill(r->pid, SIGKILL);
	while (waitpid(r->pid, status, 0) < 0 && errno == EINTR)
		;
	return -1;
}

/* What qmail-inject said, on one line, and its first line as the excerpt. */
static void keep_words(struct inject *r, struct smtp_result *res)
{
	size_t i, first = 0;

	for (i = 0; i < r->said_len; i++) {
		unsigned char c = (unsigned char)r->said[i];

		if (c == '\n' && !first)
			first = i;
		r->said[i] = c >= 0x20 && c < 0x7f ? (char)c : ' ';
	}
	if (!first)
		first = r->said_len;
	if (first >= sizeof(res->excerpt))
		first = sizeof(res->excerpt) - 1;
	memcpy(res->excerpt, r->said, first);
	res->excerpt[first] = '\0';
}

static int verdict(struct inject *r, const char *path, int status, struct smtp_result *res)
{
	int code;

	keep_words(r, res);
	if (WIFSIGNALED(status))
		return inject_fail(res, SMTP_ERR_LOCAL, 0, "%s: killed by signal %d: %s", path,
		                   WTERMSIG(status), r->said);
	code = WEXITSTATUS(status);
	if (code == 0) {
		res->err = SMTP_OK;
		return SMTP_OK;
	}
	return inject_fail(res, code == 111 ? SMTP_ERR_TEMP : code == 100 ? SMTP_ERR_PERM : SMTP_ERR_LOCAL,
	                   code, "%s: exit status %d: %s", path, code, r->said);
}

/* argv: qmail-inject -a -f SENDER -- RCPT... NULL */
static char **make_argv(const char *path, const struct smtp_envelope *env)
{
	char **argv = calloc(env->nrcpts + 6, sizeof(*argv));
	size_t i;

	if (!argv)
		return NULL;
	argv[0] = (char *)path;
	argv[1] = (char *)"-a";
	argv[2] = (char *)"-f";
	argv[3] = (char *)env->sender;
	argv[4] = (char *)"--";
	for (i = 0; i < env->nrcpts; i++)
		argv[5 + i] = (char *)env->rcpts[i];
	return argv;
}

static int check_envelope(const struct smtp_envelope *env, struct smtp_result *res)
{
	size_t i;

	if (!env->sender || !smtp_address_ok(env->sender))
		return inject_fail(res, SMTP_ERR_INVALID, 0, "not a sender address we send");
	if (!env->nrcpts)
		return inject_fail(res, SMTP_ERR_INVALID, 0, "no recipients");
	for (i = 0; i < env->nrcpts; i++) {
		if (!env->rcpts[i] || !smtp_address_ok(env->rcpts[i])) {
			res->rcpt = (long)i;
			res->nrefused = 1;
			inject_fail(res, SMTP_ERR_INVALID, 0, "recipient %zu: not an address we send", i + 1);
			res->stage = SMTP_AT_RCPT;
			return SMTP_ERR_INVALID;
		}
	}
	return 0;
}

int submit_inject(const char *path, int timeout_ms, const struct smtp_envelope *env,
                  const char *msg, size_t len, struct smtp_result *res)
{
	struct inject *r;
	char **argv;
	int status, rc, late, reaped;

	smtp_result_init(res);
	if (check_envelope(env, res))
		return res->err;
	r = calloc(1, sizeof(*r));
	argv = make_argv(path, env);
	if (!r || !argv) {
		free(r);
		free(argv);
		return inject_fail(res, SMTP_ERR_NOMEM, 0, "out of memory");
	}
	r->msg = msg;
	r->len = len;
	r->deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 30000);
	smtp_enc_init(&r->enc, SMTP_ENC_LF);
	rc = start(r, path, argv, res);
	if (rc == 0) {
		late = exchange(r);
		close_fd(&r->in_fd);
		close_fd(&r->out_fd);
		reaped = reap(r, late, &status);
		if (reaped == -1)
			rc = inject_fail(res, SMTP_ERR_TIMEOUT, 0, "%s did not finish within %d ms", path,
			                 timeout_ms);
		else if (reaped == -2)
			rc = inject_fail(res, SMTP_ERR_LOCAL, 0, "%s: waitpid: %s", path, strerror(errno));
		else
			rc = verdict(r, path, status, res);
	}
	free(argv);
	free(r);
	return rc;
}
