/* smtp_probe: a test-only command line over cgi/smtp.c and cgi/submit.c,
 * for tests/integration/smtp_exim.sh. Each run sends one message, as the
 * compose page will: the file's bytes (line ends as they are), from SENDER
 * to every RCPT, over one connection. It prints "ok", or
 *     error NAME at STAGE code CODE rcpt INDEX
 *     excerpt: the server's words for the page
 *     detail: the log's line
 * and exits 1 (2 for a usage error).
 *
 *   smtp_probe [--tls none|starttls|smtps] [--ca FILE] [--no-verify]
 *              [--user USER] [--timeout MS] [--inject PATH]
 *              SENDER FILE RCPT...
 *   environment: SMTP_HOST, SMTP_PORT; SMTP_PASS with --user.
 * --inject sends through that qmail-inject instead of SMTP. */
#include "config.h"

#include "buf.h"
#include "file.h"
#include "smtp.h"
#include "submit.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
	fprintf(stderr, "usage: smtp_probe [options] SENDER FILE RCPT... (see the source)\n");
	return 2;
}

static int option(struct smtp_config *cfg, const char **inject, char **argv, int *i)
{
	const char *o = argv[*i], *v = argv[*i + 1];

	if (!strcmp(o, "--no-verify")) {
		cfg->verify = 0;
		return 0;
	}
	if (!v)
		return -1;
	++*i;
	if (!strcmp(o, "--tls"))
		cfg->tls = !strcmp(v, "smtps") ? SMTP_TLS_SMTPS
		           : !strcmp(v, "starttls") ? SMTP_TLS_STARTTLS : SMTP_TLS_NONE;
	else if (!strcmp(o, "--ca"))
		cfg->ca_file = v;
	else if (!strcmp(o, "--user"))
		cfg->user = v;
	else if (!strcmp(o, "--timeout"))
		cfg->timeout_ms = atoi(v);
	else if (!strcmp(o, "--inject"))
		*inject = v;
	else
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct smtp_config cfg;
	struct smtp_envelope env;
	struct smtp_result res;
	struct buf msg = BUF_INIT;
	const char *inject = NULL, *port = getenv("SMTP_PORT");
	int i = 1, rc;

	signal(SIGPIPE, SIG_IGN);
	memset(&cfg, 0, sizeof(cfg));
	cfg.host = getenv("SMTP_HOST") ? getenv("SMTP_HOST") : "127.0.0.1";
	cfg.port = port ? (unsigned)atoi(port) : 25;
	cfg.verify = 1;
	cfg.timeout_ms = 10000;
	for (; i < argc && !strncmp(argv[i], "--", 2); i++)
		if (option(&cfg, &inject, argv, &i) < 0)
			return usage();
	if (argc - i < 3)
		return usage();
	if (cfg.user)
		cfg.password = getenv("SMTP_PASS") ? getenv("SMTP_PASS") : "";
	if (file_read(argv[i + 1], 64u << 20, &msg) < 0) {
		perror(argv[i + 1]);
		return 2;
	}
	env.sender = argv[i];
	env.rcpts = (const char *const *)argv + i + 2;
	env.nrcpts = (size_t)(argc - i - 2);
	rc = inject ? submit_inject(inject, cfg.timeout_ms, &env, msg.p ? msg.p : "", msg.len, &res)
	            : smtp_send(&cfg, &env, msg.p ? msg.p : "", msg.len, &res);
	buf_free(&msg);
	if (rc == SMTP_OK) {
		printf("ok\n");
		return 0;
	}
	printf("error %s at %s code %d rcpt %ld%s\nexcerpt: %s\ndetail: %s\n", smtp_err_name(res.err),
	       smtp_stage_name(res.stage), res.code, res.rcpt, res.maybe_sent ? " maybe_sent" : "",
	       res.excerpt, res.detail);
	return 1;
}
