/* spawn: the front end's cost of one helper operation, measured with the
 * front end's own code (helper_call: posix_spawn, pipes, deadline, reaping).
 *
 *   spawn RUNS HELPER OP [KEY=VALUE ...]
 *
 * Runs OP RUNS times in a row (after 20 untimed runs) and prints the median,
 * p90, p99 and mean wall time in ms, and runs per second. Every run must
 * answer "ok". QMAILADMIN_CONF is passed on as the app does. */
#include "config.h"

#include "arena.h"
#include "helper_client.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_ARGS 16
#define WARMUP 20

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct helper_arg args[MAX_ARGS];
	struct proto_answer ans;
	struct qa_error e;
	struct helper h;
	struct arena *a = arena_new(0);
	double *ms, sum = 0, t0;
	long runs, i;
	int n = 0;

	if (argc < 4 || (runs = atol(argv[1])) < 1 || argc - 4 > MAX_ARGS) {
		fprintf(stderr, "usage: spawn RUNS HELPER OP [KEY=VALUE ...]\n");
		return 2;
	}
	for (i = 4; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq)
			return 2;
		*eq = '\0';
		args[n].key = argv[i];
		args[n++].val = eq + 1;
	}
	signal(SIGPIPE, SIG_IGN);
	helper_init(&h, argv[2], getenv("QMAILADMIN_CONF"));
	ms = calloc((size_t)runs, sizeof(*ms));
	for (i = -WARMUP; i < runs; i++) {
		arena_reset(a);
		t0 = now_ms();
		if (helper_call(&h, a, argv[3], args, (size_t)n, &ans, &e) < 0) {
			fprintf(stderr, "spawn: %s: %s %s\n", argv[3], qa_err_name(e.code), e.detail);
			return 1;
		}
		if (i >= 0)
			sum += ms[i] = now_ms() - t0;
	}
	qsort(ms, (size_t)runs, sizeof(*ms), cmp);
	printf("median %.3f ms  p90 %.3f ms  p99 %.3f ms  mean %.3f ms  %.0f runs/s\n",
	       ms[runs / 2], ms[runs * 9 / 10], ms[runs * 99 / 100], sum / (double)runs,
	       1e3 * (double)runs / sum);
	free(ms);
	arena_free(a);
	return 0;
}
