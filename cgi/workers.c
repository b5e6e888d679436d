/* workers: a small pre-forking supervisor (see workers.h). */
#include "config.h"

#include "workers.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static pid_t start_one(int (*serve)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		_exit(serve(arg));
	}
	if (pid < 0)
		fprintf(stderr, "qmailadmin: fork: %s\n", strerror(errno));
	return pid;
}

static void stop_all(const pid_t *pids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	while (wait(NULL) > 0 || errno == EINTR)
		;
}

/* More than n deaths within a second means the workers cannot run at all
 * (a bad socket, say): give up rather than fork in a tight loop. */
static int too_many_deaths(time_t *window, int *deaths, int n)
{
	time_t now = time(NULL);

	if (now != *window) {
		*window = now;
		*deaths = 0;
	}
	return ++*deaths > n;
}

int workers_run(int n, int (*serve)(void *), void *arg)
{
	pid_t pids[WORKERS_MAX];
	struct sigaction sa;
	time_t window = 0;
	int deaths = 0, i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;    /* no SA_RESTART: wait() must return */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (i = 0; i < n; i++)
		pids[i] = start_one(serve, arg);
	while (!stopping) {
		int status;
		pid_t pid = wait(&status);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < n; i++) {
			if (pids[i] != pid)
				continue;
			fprintf(stderr, "qmailadmin: worker %ld ended (status %d); starting another\n",
			        (long)pid, status);
			if (too_many_deaths(&window, &deaths, n)) {
				pids[i] = -1;
				stop_all(pids, n);
				return 1;
			}
			pids[i] = start_one(serve, arg);
		}
	}
	stop_all(pids, n);
	return 0;
}
