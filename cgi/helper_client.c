/* helper_client: one qmailadmin-helper run per operation (see
 * helper_client.h). posix_spawn rather than fork (child.c): glibc spawns
 * with CLONE_VFORK, so no page tables are copied (about a quarter less time
 * per run for a 5 MB front end, far more for a larger one), and a helper
 * that cannot be executed is reported by posix_spawn itself. The answer is read
 * straight into the arena: its netstring prefix gives the size to allocate. */
#include "config.h"

#include "helper_client.h"

#include "arena.h"
#include "buf.h"
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* One run of the helper: the child, our ends of its pipes, the request being
 * written and the answer being read. */
struct run {
	pid_t pid;
	int in_fd;               /* the helper's stdin; -1 once all is written */
	int out_fd;              /* the helper's stdout; -1 at its end */
	long long deadline;      /* CLOCK_MONOTONIC, ms */
	const char *req;
	size_t req_len, req_off;
	char head[16];           /* the answer's "LEN:" prefix as it arrives */
	size_t head_len;
	char *ans;               /* the whole answer, in the arena */
	size_t ans_len, ans_size;
	struct arena *a;
	struct qa_error *e;
};

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int fail(struct qa_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Every failure to get an answer is QA_ERR_IO: the page says "service
 * unavailable" and the detail goes to the log. */
static int fail(struct qa_error *e, const char *fmt, ...)
{
	char detail[sizeof(e->detail)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return qa_fail(e, QA_ERR_IO, "", "%s", detail);
}

void helper_init(struct helper *h, const char *path, const char *conf_override)
{
	memset(h, 0, sizeof(*h));
	h->path = path;
	h->timeout_ms = HELPER_TIMEOUT_MS;
	if (conf_override && *conf_override
	    && (size_t)snprintf(h->env, sizeof(h->env), "QMAILADMIN_CONF=%s", conf_override)
	       >= sizeof(h->env))
		h->env[0] = '\0';
}

/* The child: stdin and stdout on the pipes, our stderr (the server log)
 * kept (child.h: every other descriptor closed, default signals). */
static int spawn_helper(const struct helper *h, struct run *r, int in[2], int out[2])
{
	char *argv[] = { (char *)h->path, NULL };
	char *envp[] = { h->env[0] ? (char *)h->env : NULL, NULL };

	return child_spawn(&r->pid, h->path, argv, envp, in[0], out[1], -1);
}

static int start(const struct helper *h, struct run *r)
{
	int in[2], out[2], rc;

	if (child_pipe(in) < 0)
		return fail(r->e, "helper: pipe: %s", strerror(errno));
	if (child_pipe(out) < 0) {
		rc = errno;
		close(in[0]);
		close(in[1]);
		return fail(r->e, "helper: pipe: %s", strerror(rc));
	}
	rc = spawn_helper(h, r, in, out);
	close(in[0]);
	close(out[1]);
	r->in_fd = in[1];
	r->out_fd = out[0];
	if (rc != 0) {
		close(r->in_fd);
		close(r->out_fd);
		r->in_fd = r->out_fd = -1;
		r->pid = -1;
		return fail(r->e, "cannot run the helper %s: %s", h->path, strerror(rc));
	}
	fcntl(r->in_fd, F_SETFL, O_NONBLOCK);
	fcntl(r->out_fd, F_SETFL, O_NONBLOCK);
	return 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Writes what the pipe takes. A helper that stops reading (it died, or it
 * answered early) is not an error here: its answer, or the lack of one,
 * tells what happened. */
static void send_some(struct run *r)
{
	ssize_t n = write(r->in_fd, r->req + r->req_off, r->req_len - r->req_off);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		close_fd(&r->in_fd);
		return;
	}
	r->req_off += (size_t)n;
	if (r->req_off == r->req_len)
		close_fd(&r->in_fd);     /* end of the request for the helper */
}

/* Once the "LEN:" prefix is in, allocates the whole answer (prefix, LEN
 * bytes, ',') in the arena and moves what was read so far there. */
static int size_answer(struct run *r)
{
	size_t i, n = 0, total;

	for (i = 0; i < r->head_len && r->head[i] != ':'; i++) {
		if (r->head[i] < '0' || r->head[i] > '9' || n > PROTO_MAX_ANSWER)
			return fail(r->e, "helper answer: no length prefix");
		n = n * 10 + (size_t)(r->head[i] - '0');
	}
	if (i == r->head_len)
		return r->head_len < sizeof(r->head) ? 0
		       : fail(r->e, "helper answer: no length prefix");
	if (i == 0 || n > PROTO_MAX_ANSWER)
		return fail(r->e, "helper answer: bad length prefix");
	total = i + 1 + n + 1;
	if (r->head_len > total)
		return fail(r->e, "helper answer: bytes after the answer");
	r->ans = arena_alloc(r->a, total);
	if (!r->ans)
		return fail(r->e, "helper answer of %zu bytes: over the request's memory", n);
	memcpy(r->ans, r->head, r->head_len);
	r->ans_len = r->head_len;
	r->ans_size = total;
	return 0;
}

static int receive_some(struct run *r)
{
	char extra[1];
	char *dst = extra;
	size_t room = sizeof(extra);
	ssize_t n;

	if (!r->ans) {
		dst = r->head + r->head_len;
		room = sizeof(r->head) - r->head_len;
	} else if (r->ans_len < r->ans_size) {
		dst = r->ans + r->ans_len;
		room = r->ans_size - r->ans_len;
	}
	n = read(r->out_fd, dst, room);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0
		       : fail(r->e, "helper answer: read: %s", strerror(errno));
	if (n == 0) {
		close_fd(&r->out_fd);
		return 0;
	}
	if (dst == extra)
		return fail(r->e, "helper answer: bytes after the answer");
	if (r->ans) {
		r->ans_len += (size_t)n;
		return 0;
	}
	r->head_len += (size_t)n;
	return size_answer(r);
}

/* Writes the request and reads the answer until the helper closes its
 * stdout, all before the deadline. */
static int exchange(struct run *r, int timeout_ms)
{
	while (r->out_fd >= 0) {
		struct pollfd p[2] = { { r->out_fd, POLLIN, 0 }, { r->in_fd, POLLOUT, 0 } };
		long long left = r->deadline - now_ms();
		int n;

		if (left <= 0)
			return fail(r->e, "the helper did not answer within %d ms", timeout_ms);
		n = poll(p, r->in_fd >= 0 ? 2 : 1, (int)left);
		if (n < 0 && errno != EINTR)
			return fail(r->e, "helper: poll: %s", strerror(errno));
		if (n <= 0)
			continue;
		if (r->in_fd >= 0 && p[1].revents)
			send_some(r);
		if (p[0].revents && receive_some(r) < 0)
			return -1;
	}
	return 0;
}

/* Reaps the child. A helper exits right after its answer; one that lingers
 * past the deadline (or any helper after a failed exchange) is killed. */
static void reap(struct run *r, int kill_now, int *status)
{
	struct timespec nap = { 0, 20000 };
	pid_t got;

	*status = 0;
	while (!kill_now) {
		got = waitpid(r->pid, status, WNOHANG);
		if (got == r->pid || (got < 0 && errno != EINTR))
			return;
		if (now_ms() >= r->deadline)
			break;
		nanosleep(&nap, NULL);
		if (nap.tv_nsec < 5000000)
			nap.tv_nsec *= 2;
	}
	kill(r->pid, SIGKILL);
	while (waitpid(r->pid, status, 0) < 0 && errno == EINTR)
		;
}

static void describe_exit(int status, char *out, size_t n)
{
	if (WIFSIGNALED(status))
		snprintf(out, n, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(out, n, "exit status %d", WEXITSTATUS(status));
}

/* Runs the helper on the request in req; the complete answer bytes in
 * r->ans on success. */
static int run_helper(const struct helper *h, struct run *r, const struct buf *req)
{
	char how[48];
	int rc, status;

	r->req = req->p;
	r->req_len = req->len;
	r->deadline = now_ms() + h->timeout_ms;
	if (start(h, r) < 0)
		return -1;
	rc = exchange(r, h->timeout_ms);
	close_fd(&r->in_fd);
	close_fd(&r->out_fd);
	reap(r, rc < 0, &status);
	if (rc < 0)
		return -1;
	if (!r->ans || r->ans_len < r->ans_size) {
		describe_exit(status, how, sizeof(how));
		return fail(r->e, "the helper's answer is incomplete (%s)", how);
	}
	return 0;
}

static void wipe(struct buf *b)
{
	if (b->p)
		explicit_bzero(b->p, b->cap);
	buf_free(b);
}

int helper_call(const struct helper *h, struct arena *a, const char *op,
                const struct helper_arg *args, size_t nargs,
                struct proto_answer *ans, struct qa_error *e)
{
	struct buf body = BUF_INIT, req = BUF_INIT;
	struct run r;
	size_t i;
	int rc;

	memset(&r, 0, sizeof(r));
	r.pid = -1;
	r.in_fd = r.out_fd = -1;
	r.a = a;
	r.e = e;
	qa_error_clear(e);
	memset(ans, 0, sizeof(*ans));
	proto_req_start(&body, op);
	for (i = 0; i < nargs; i++)
		if (args[i].val)
			proto_req_add(&body, args[i].key, args[i].val);
	rc = proto_req_finish(&body, &req) < 0
	     ? fail(e, "helper request for %s: too large or out of memory", op)
	     : run_helper(h, &r, &req);
	wipe(&body);    /* it holds passwords and tickets */
	wipe(&req);
	if (rc < 0)
		return -1;
	if (proto_answer_decode(a, r.ans, r.ans_size, ans) < 0)
		return fail(e, "the helper's answer to %s does not decode", op);
	if (ans->err.code != QA_OK) {
		*e = ans->err;
		return -1;
	}
	return 0;
}
