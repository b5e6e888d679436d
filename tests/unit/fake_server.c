/* fake_server: the scripted server of the protocol clients' unit tests
 * (see fake_server.h). */
#include "config.h"

#include "fake_server.h"

#include <check.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

unsigned server_port;
static pid_t server_pid = -1;

static int read_exact(int fd, char *p, size_t n)
{
	while (n) {
		struct pollfd pf = { fd, POLLIN, 0 };
		ssize_t r;

		if (poll(&pf, 1, 5000) <= 0)
			return -1;
		r = read(fd, p, n);
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static void child_fail(int step, const char *what, const char *got, size_t n)
{
	fprintf(stderr, "fake server, step %d: %s: got \"%.*s\"\n", step, what, (int)n, got);
	_exit(10 + step);
}

/* Bytes that must come as they are (a literal, a message's DATA). On a
 * difference, the first differing line goes to stderr. */
static void expect_bytes(int fd, int step, const struct step *st)
{
	char *got = malloc(st->n + 1);
	size_t i, from;

	if (!got || read_exact(fd, got, st->n) < 0)
		child_fail(step, "bytes", "", 0);
	for (i = 0; i < st->n && got[i] == st->s[i]; i++)
		;
	if (i < st->n) {
		from = i > 40 ? i - 40 : 0;
		child_fail(step, "bytes differ from here", got + from, st->n - from > 80 ? 80 : st->n - from);
	}
	free(got);
}

static void serve(int fd, const struct step *script)
{
	char line[4096];
	int i;

	for (i = 0; script[i].op; i++) {
		const struct step *st = &script[i];
		size_t n = 0;

		switch (st->op) {
		case 'S':
			if (write(fd, st->s, st->n) != (ssize_t)st->n)
				child_fail(i, "write", "", 0);
			break;
		case 'C':
			for (;;) {
				if (n + 1 >= sizeof(line) || read_exact(fd, line + n, 1) < 0)
					child_fail(i, "no line", line, n);
				if (++n >= 2 && line[n - 2] == '\r' && line[n - 1] == '\n')
					break;
			}
			if (n - 2 != st->n || memcmp(line, st->s, st->n))
				child_fail(i, st->s, line, n - 2);
			break;
		case 'D':
			expect_bytes(fd, i, st);
			break;
		case 'W':
			usleep((useconds_t)st->n * 1000);
			break;
		case 'X':
			close(fd);
			_exit(0);
		}
	}
	/* The client must send nothing more before it closes. */
	{
		ssize_t r = read_exact(fd, line, 1) < 0 ? 0 : 1;

		if (r)
			child_fail(i, "unexpected bytes after the script", line, 1);
	}
	_exit(0);
}

void server_start(const struct step *script)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	ck_assert_int_ge(ls, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(ls, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(ls, 1), 0);
	ck_assert_int_eq(getsockname(ls, (struct sockaddr *)&sin, &len), 0);
	server_port = ntohs(sin.sin_port);
	server_pid = fork();
	ck_assert_int_ge(server_pid, 0);
	if (server_pid == 0) {
		int fd;

		alarm(20);
		fd = accept(ls, NULL, NULL);
		if (fd < 0)
			_exit(3);
		close(ls);
		serve(fd, script);
	}
	close(ls);
}

/* The server's exit status: 0 when the whole script went as written. */
int server_done(void)
{
	int st;

	ck_assert_int_eq(waitpid(server_pid, &st, 0), server_pid);
	server_pid = -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

void server_stop(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGKILL);
		waitpid(server_pid, NULL, 0);
	}
	server_pid = -1;
}
