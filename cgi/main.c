/* main: the qmailadmin front end. Runs as the web server's user and holds no
 * privilege. Under a FastCGI server (fd 0 is a listening socket) it serves
 * requests in a loop; started as plain CGI it answers one request. */
#include "config.h"

#include "app.h"
#include "conf.h"
#include "io.h"
#include "workers.h"

#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
	"usage: qmailadmin [--check] [--socket PATH] [--workers N] [--help] [--version]\n"
	"\n"
	"The qmailadmin-ng web front end (FastCGI, or CGI when not started on a\n"
	"FastCGI socket). Reads the configuration from $QMAILADMIN_CONF or\n"
	QA_SYSCONFDIR "/qmailadmin.conf.\n"
	"\n"
	"  --check        load the configuration, templates and catalogs, then exit\n"
	"  --socket PATH  listen on a unix socket (mode 0660) instead of fd 0\n"
	"  --workers N    serve FastCGI with N processes (1 to 64; default 1)\n"
	"  --help         show this help\n"
	"  --version      show the version\n";

struct server {
	struct app *app;
	int fd;              /* the listening socket */
};

static int serve_loop(void *arg)
{
	struct server *sv = arg;
	FCGX_Request rq;

	if (FCGX_InitRequest(&rq, sv->fd, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&rq) >= 0) {
		struct io io = { &rq, 0 };

		app_handle(sv->app, &io);
		FCGX_Finish_r(&rq);
	}
	return 0;
}

static int serve_fcgi(struct app *app, const char *socket_path, int workers)
{
	struct server sv = { app, 0 };

	if (FCGX_Init() != 0)
		return 1;
	if (socket_path) {
		mode_t old = umask(007);

		sv.fd = FCGX_OpenSocket(socket_path, 64);
		umask(old);
		if (sv.fd < 0) {
			fprintf(stderr, "qmailadmin: cannot listen on %s\n", socket_path);
			return 1;
		}
	}
	return workers > 1 ? workers_run(workers, serve_loop, &sv) : serve_loop(&sv);
}

int main(int argc, char **argv)
{
	const char *socket_path = NULL;
	int check_only = 0, workers = 1, i, rc;
	char err[1024];
	static struct app app;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			puts(PACKAGE_STRING);
			return 0;
		} else if (!strcmp(argv[i], "--check")) {
			check_only = 1;
		} else if (!strcmp(argv[i], "--socket") && i + 1 < argc) {
			socket_path = argv[++i];
		} else if (!strcmp(argv[i], "--workers") && i + 1 < argc) {
			char *end;
			long n = strtol(argv[++i], &end, 10);

			if (*end || n < 1 || n > WORKERS_MAX) {
				fputs(usage, stderr);
				return 2;
			}
			workers = (int)n;
		} else {
			fputs(usage, stderr);
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	/* Inherited SIG_IGN would reap the helper behind our back (waitpid). */
	signal(SIGCHLD, SIG_DFL);
	if (app_init(&app, conf_default_path(), err, sizeof(err)) < 0) {
		fprintf(stderr, "qmailadmin: %s\n", err);
		if (!check_only && FCGX_IsCGI())
			fputs("Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\n"
			      "qmailadmin: configuration error (see the server log)\n", stdout);
		return 1;
	}
	if (check_only) {
		puts("qmailadmin: configuration, templates and catalogs OK");
		rc = 0;
	} else if (!socket_path && FCGX_IsCGI()) {
		struct io io = { NULL, 0 };

		app_handle(&app, &io);
		io_flush(&io);
		rc = 0;
	} else {
		rc = serve_fcgi(&app, socket_path, workers);
	}
	app_free(&app);
	return rc;
}
