/* raw: the IMAP exchanges behind one webmail page, on plain sockets, timed:
 * what bench/webmail/run holds the pages against. Written apart from
 * cgi/imap* on purpose, so that the baseline does not share our client's
 * costs or mistakes. Each exchange is a fresh connection with one command
 * at a time, as the app's is:
 *
 *   list           greeting, LOGIN, LIST "" "*" RETURN (CHILDREN SPECIAL-USE
 *                  STATUS (MESSAGES UNSEEN)), EXAMINE INBOX,
 *                  UID SORT (REVERSE DATE) UTF-8 ALL, UID FETCH of the first
 *                  50 UIDs (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE), LOGOUT
 *   view UID PART  greeting, LOGIN, [-l: the LIST above,] SELECT INBOX,
 *                  UID FETCH UID (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE
 *                  BODYSTRUCTURE), UID FETCH UID (UID BODY.PEEK[PART]), LOGOUT
 *
 *   raw [-n N] [-l] list | view UID PART
 *       N exchanges in a row (default 200): mean, median, min and p90 in ms
 *   raw -c C -d SECONDS [-l] list | view UID PART
 *       C processes, each running exchanges for SECONDS: exchanges per second
 *   raw -p URL [-n N] [-l] list | view UID PART
 *       N pairs, each an exchange and a GET of URL (http://HOST:PORT/PATH, on
 *       a fresh connection, with the cookie in $QA_COOKIE), in turns: raw
 *       then page, page then raw. Both see the same load on a shared
 *       machine, so their ratio holds better than two separate runs' does.
 *   -v  also the mean time of each step of the exchanges (connecting and the
 *       greeting, then each command), to stderr
 *
 * The server and the login come from the environment, as for
 * tests/integration/imap_probe: IMAP_HOST (an IPv4 address, default
 * 127.0.0.1), IMAP_PORT (default 143), IMAP_USER and IMAP_PASS.
 *
 * Literals are read exactly (and counted, not kept); a tagged answer other
 * than OK, a short FETCH or a dropped connection ends the run with status 1. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 50

struct conn {
	int fd;
	char in[65536];
	size_t off, len;
	char *line;                 /* the current response, literals left out */
	size_t n, cap;
	size_t bytes;               /* read on this connection */
	unsigned tag;
};

/* -v: the steps of an exchange, by their place in it, and their time. */
#define STEPS 16
static struct {
	char name[48];
	double sum;
} step[STEPS];
static int verbose, nstep, cur_step;
static double step_t0;

struct opts {
	const char *host, *user, *pass, *part;
	const char *url, *cookie;   /* -p */
	int port, list_too;
	unsigned long uid;
	int view;
};

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("raw: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int tcp_connect(const char *host, int port)
{
	struct sockaddr_in sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		die("%s: not an IPv4 address", host);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 || connect(fd, (void *)&sa, sizeof(sa)) < 0)
		die("connect %s:%d: %s", host, port, strerror(errno));
	return fd;
}

static void fill(struct conn *c)
{
	ssize_t r;

	do
		r = read(c->fd, c->in, sizeof(c->in));
	while (r < 0 && errno == EINTR);
	if (r <= 0)
		die("read: %s", r ? strerror(errno) : "connection closed");
	c->off = 0;
	c->len = (size_t)r;
	c->bytes += (size_t)r;
}

static void append(struct conn *c, const char *p, size_t k)
{
	if (c->n + k + 1 > c->cap) {
		c->cap = (c->n + k + 1) * 2;
		if (!(c->line = realloc(c->line, c->cap)))
			die("out of memory");
	}
	memcpy(c->line + c->n, p, k);
	c->n += k;
	c->line[c->n] = '\0';
}

/* Up to the next CRLF, into c->line. */
static void read_part(struct conn *c)
{
	for (;;) {
		char *nl;
		size_t k;

		if (c->off == c->len)
			fill(c);
		nl = memchr(c->in + c->off, '\n', c->len - c->off);
		k = (nl ? (size_t)(nl - c->in) + 1 : c->len) - c->off;
		append(c, c->in + c->off, k);
		c->off += k;
		if (nl)
			break;
	}
	if (c->n < 2 || c->line[c->n - 2] != '\r')
		die("a line without CRLF");
	c->n -= 2;
	c->line[c->n] = '\0';
}

/* The literal's size if the line so far ends in {N} or {N+}, else -1. */
static long long literal_size(const struct conn *c)
{
	const char *end = c->line + c->n, *p;

	if (c->n < 3 || end[-1] != '}')
		return -1;
	p = end - 2;
	if (*p == '+')
		p--;
	while (p > c->line && *p >= '0' && *p <= '9')
		p--;
	return *p == '{' && p + 1 < end - 1 ? strtoll(p + 1, NULL, 10) : -1;
}

/* One whole response: its literals are read and left out of c->line. */
static void read_response(struct conn *c)
{
	long long lit;

	c->n = 0;
	read_part(c);
	while ((lit = literal_size(c)) >= 0) {
		while (lit > 0) {
			size_t k;

			if (c->off == c->len)
				fill(c);
			k = c->len - c->off < (size_t)lit ? c->len - c->off : (size_t)lit;
			c->off += k;
			lit -= (long long)k;
		}
		read_part(c);
	}
}

/* -v: the step that just ended, named by its command without the UID set. */
static void step_done(const char *what)
{
	const char *set = !strncmp(what, "UID FETCH ", 10) ? strchr(what + 10, ' ') : NULL;
	double now = now_ms();

	if (cur_step < STEPS) {
		if (cur_step >= nstep) {
			snprintf(step[cur_step].name, sizeof(step[cur_step].name), "%s%.*s",
			         set ? "UID FETCH" : "", (int)strcspn(set ? set : what, "\r"), set ? set : what);
			nstep = cur_step + 1;
		}
		step[cur_step].sum += now - step_t0;
	}
	cur_step++;
	step_t0 = now;
}

typedef void untagged_fn(const char *line, void *arg);

/* Sends one command, reads up to its tagged answer, which must be OK. */
static void command(struct conn *c, untagged_fn *fn, void *arg, const char *fmt, ...)
{
	char buf[8192], tag[16];
	const char *shown;
	size_t len, done = 0;
	va_list ap;
	int k;

	snprintf(tag, sizeof(tag), "a%u ", ++c->tag);
	va_start(ap, fmt);
	k = vsnprintf(buf + strlen(tag), sizeof(buf) - strlen(tag) - 2, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= sizeof(buf) - strlen(tag) - 2)
		die("command too long");
	memcpy(buf, tag, strlen(tag));
	len = strlen(tag) + (size_t)k;
	memcpy(buf + len, "\r\n", 2);
	len += 2;
	while (done < len) {
		ssize_t w = write(c->fd, buf + done, len - done);

		if (w < 0 && errno != EINTR)
			die("write: %s", strerror(errno));
		done += w > 0 ? (size_t)w : 0;
	}
	for (;;) {
		read_response(c);
		if (!strncmp(c->line, tag, strlen(tag)))
			break;
		if (fn && !strncmp(c->line, "* ", 2))
			fn(c->line + 2, arg);
	}
	/* Named without the tag, and without the password. */
	shown = strncmp(buf + strlen(tag), "LOGIN ", 6) ? buf + strlen(tag) : "LOGIN";
	if (strncmp(c->line + strlen(tag), "OK", 2))
		die("%.*s: %s", (int)strcspn(shown, "\r"), shown, c->line);
	step_done(shown);
}

static void open_conn(struct conn *c, const struct opts *o)
{
	c->fd = tcp_connect(o->host, o->port);
	c->off = c->len = c->bytes = 0;
	c->tag = 0;
	read_response(c);
	if (strncmp(c->line, "* OK", 4))
		die("greeting: %s", c->line);
	step_done("connect, greeting");
	command(c, NULL, NULL, "LOGIN \"%s\" \"%s\"", o->user, o->pass);
}

static void close_conn(struct conn *c)
{
	command(c, NULL, NULL, "LOGOUT");
	close(c->fd);
}

static void count_fetch(const char *line, void *arg)
{
	if (strstr(line, " FETCH ("))
		++*(int *)arg;
}

struct sorted {
	unsigned long uid[PAGE];
	int n;
	long total;                 /* UIDs in the answer */
};

static long folder_size;        /* the last SORT's, for the report */

static void first_uids(const char *line, void *arg)
{
	struct sorted *s = arg;
	char *end;

	if (strncmp(line, "SORT", 4))
		return;
	for (line += 4; *line == ' '; line = end) {
		unsigned long u = strtoul(line + 1, &end, 10);

		if (end == line + 1)
			break;
		if (s->n < PAGE)
			s->uid[s->n++] = u;
		s->total++;
	}
}

static void list_folders(struct conn *c)
{
	command(c, NULL, NULL, "LIST \"\" \"*\" RETURN (CHILDREN SPECIAL-USE STATUS (MESSAGES UNSEEN))");
}

static void list_page(struct conn *c)
{
	struct sorted s = { { 0 }, 0, 0 };
	char set[PAGE * 12];
	size_t k = 0;
	int i, got = 0;

	list_folders(c);
	command(c, NULL, NULL, "EXAMINE INBOX");
	command(c, first_uids, &s, "UID SORT (REVERSE DATE) UTF-8 ALL");
	if (s.n == 0)
		die("the INBOX is empty");
	folder_size = s.total;
	for (i = 0; i < s.n; i++)
		k += (size_t)snprintf(set + k, sizeof(set) - k, "%s%lu", i ? "," : "", s.uid[i]);
	command(c, count_fetch, &got, "UID FETCH %s (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)", set);
	if (got != s.n)
		die("UID FETCH: %d messages for %d UIDs", got, s.n);
}

static void view(struct conn *c, const struct opts *o)
{
	int got = 0;

	if (o->list_too)
		list_folders(c);
	command(c, NULL, NULL, "SELECT INBOX");
	command(c, count_fetch, &got,
	        "UID FETCH %lu (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE)", o->uid);
	command(c, count_fetch, &got, "UID FETCH %lu (UID BODY.PEEK[%s])", o->uid, o->part);
	if (got != 2)
		die("no message with UID %lu", o->uid);
}

/* One exchange on a fresh connection; the bytes it read. */
static size_t exchange(struct conn *c, const struct opts *o)
{
	cur_step = 0;
	step_t0 = now_ms();
	open_conn(c, o);
	if (o->view)
		view(c, o);
	else
		list_page(c);
	close_conn(c);
	return c->bytes;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct stats {
	double mean, median, min, p90;
};

/* Sorts t[0..n). */
static struct stats stats_of(double *t, int n)
{
	struct stats s = { 0, 0, 0, 0 };
	int i;

	for (i = 0; i < n; i++)
		s.mean += t[i] / n;
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	s.median = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
	s.min = t[0];
	s.p90 = t[(int)(n * 0.9)];
	return s;
}

/* -p: one GET of the page, read to the end of the connection; it must
 * answer 200. The bytes read. */
static size_t get_page(const struct opts *o)
{
	char host[64], req[8192], buf[65536];
	const char *p = o->url + strlen("http://"), *path = strchr(p, '/');
	size_t total = 0, len;
	int fd, port, k;
	ssize_t r;

	if (!path || sscanf(p, "%63[0-9.]:%d", host, &port) != 2)
		die("%s: not http://IPV4:PORT/PATH", o->url);
	k = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s:%d\r\nCookie: %s\r\n"
	             "Connection: close\r\n\r\n", path, host, port, o->cookie);
	if (k < 0 || (size_t)k >= sizeof(req))
		die("the request is too long");
	fd = tcp_connect(host, port);
	for (len = 0; len < (size_t)k; len += (size_t)r)
		if ((r = write(fd, req + len, (size_t)k - len)) <= 0)
			die("write: %s", strerror(errno));
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		if (total == 0 && (r < 12 || strncmp(buf, "HTTP/1.1 200", 12)))
			die("GET %s: %.*s", path, (int)strcspn(buf, "\r"), buf);
		total += (size_t)r;
	}
	if (r < 0)
		die("read: %s", strerror(errno));
	close(fd);
	return total;
}

/* N exchanges, each followed or preceded (by turns) by a GET with -p. The
 * report is words and numbers, each number after its name. */
static void timed(struct conn *c, const struct opts *o, int n)
{
	double *raw = calloc((size_t)n, sizeof(*raw)), *page = calloc((size_t)n, sizeof(*page));
	double *ratio = calloc((size_t)n, sizeof(*ratio));
	size_t bytes = 0, page_bytes = 0;
	struct stats r, p;
	int i;

	if (!raw || !page || !ratio)
		die("out of memory");
	for (i = 0; i < n; i++) {
		double t0;

		if (o->url && i % 2) {
			t0 = now_ms();
			page_bytes = get_page(o);
			page[i] = now_ms() - t0;
		}
		t0 = now_ms();
		bytes = exchange(c, o);
		raw[i] = now_ms() - t0;
		if (o->url && !(i % 2)) {
			t0 = now_ms();
			page_bytes = get_page(o);
			page[i] = now_ms() - t0;
		}
		ratio[i] = page[i] / raw[i];
	}
	r = stats_of(raw, n);
	printf("%s: n %d raw-median %.3f raw-mean %.3f raw-min %.3f raw-p90 %.3f ms raw-bytes %zu",
	       o->view ? "view" : "list", n, r.median, r.mean, r.min, r.p90, bytes);
	if (o->url) {
		p = stats_of(page, n);
		printf(" page-median %.3f page-mean %.3f page-min %.3f page-p90 %.3f ms page-bytes %zu"
		       " ratio %.3f pair-ratio %.3f", p.median, p.mean, p.min, p.p90, page_bytes,
		       p.median / r.median, stats_of(ratio, n).median);
	}
	if (!o->view)
		printf(" messages %ld", folder_size);
	putchar('\n');
	for (i = 0; verbose && i < nstep; i++)
		fprintf(stderr, "  %8.3f ms  %s\n", step[i].sum / n, step[i].name);
	free(raw);
	free(page);
	free(ratio);
}

/* C processes running exchanges for SECONDS; each sends its count. */
static void parallel(struct conn *c, const struct opts *o, int conns, double seconds)
{
	long total = 0, k;
	int fd[2], i, status, bad = 0;
	double t0 = now_ms();
	FILE *in;

	if (pipe(fd) < 0)
		die("pipe: %s", strerror(errno));
	for (i = 0; i < conns; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (pid == 0) {
			long count = 0;

			close(fd[0]);
			while (now_ms() - t0 < seconds * 1e3) {
				exchange(c, o);
				count++;
			}
			dprintf(fd[1], "%ld\n", count);
			_exit(0);
		}
	}
	close(fd[1]);
	if (!(in = fdopen(fd[0], "r")))
		die("fdopen: %s", strerror(errno));
	while (fscanf(in, "%ld", &k) == 1)
		total += k;
	while (wait(&status) > 0)
		bad |= !WIFEXITED(status) || WEXITSTATUS(status);
	if (bad)
		die("a worker failed");
	printf("%s: -c%d %.0f s: %ld exchanges, %.1f per second\n", o->view ? "view" : "list", conns,
	       seconds, total, total / ((now_ms() - t0) / 1e3));
}

static void usage(void)
{
	fputs("usage: IMAP_PORT=P IMAP_USER=U IMAP_PASS=W raw [-n N [-p URL] | -c CONNS -d SECONDS] [-l] [-v]"
	      " list | view UID PART\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	static struct conn c;
	struct opts o = { 0 };
	int opt, n = 200, conns = 0;
	double seconds = 0;

	while ((opt = getopt(argc, argv, "n:c:d:p:lv")) != -1) {
		switch (opt) {
		case 'n': n = atoi(optarg); break;
		case 'c': conns = atoi(optarg); break;
		case 'd': seconds = atof(optarg); break;
		case 'l': o.list_too = 1; break;
		case 'p': o.url = optarg; break;
		case 'v': verbose = 1; break;
		default: usage();
		}
	}
	argv += optind;
	argc -= optind;
	if (argc < 1 || n < 1 || (conns > 0) != (seconds > 0) || (o.url && conns > 0))
		usage();
	if (o.url && (strncmp(o.url, "http://", 7) || !(o.cookie = getenv("QA_COOKIE"))))
		die("-p wants http://HOST:PORT/PATH and the cookie in QA_COOKIE");
	o.host = getenv("IMAP_HOST") ? getenv("IMAP_HOST") : "127.0.0.1";
	o.port = getenv("IMAP_PORT") ? atoi(getenv("IMAP_PORT")) : 143;
	o.user = getenv("IMAP_USER");
	o.pass = getenv("IMAP_PASS");
	if (!o.user || !o.pass)
		die("IMAP_USER and IMAP_PASS, please");
	if (strpbrk(o.user, "\"\\\r\n") || strpbrk(o.pass, "\"\\\r\n"))
		die("no quotes, backslashes or line ends in the user or the password, please");
	if (!strcmp(argv[0], "view") && argc == 3) {
		o.view = 1;
		o.uid = strtoul(argv[1], NULL, 10);
		o.part = argv[2];
		if (!o.uid || strspn(o.part, "0123456789.") != strlen(o.part))
			usage();
	} else if (strcmp(argv[0], "list") || argc != 1) {
		usage();
	}
	if (conns > 0)
		parallel(&c, &o, conns, seconds);
	else
		timed(&c, &o, n);
	return 0;
}
