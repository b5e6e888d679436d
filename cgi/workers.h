/* workers: several FastCGI processes on one listening socket. A request
 * holds its process while the helper runs, so one process serves one page
 * at a time; N processes accept on the same socket (the kernel hands each
 * connection to one of them). The parent only supervises: a worker that
 * dies is replaced, and SIGTERM or SIGINT stops them all. */
#ifndef QA_WORKERS_H
#define QA_WORKERS_H

#define WORKERS_MAX 64

/* Runs serve(arg) in n child processes and returns when told to stop (0)
 * or when workers keep dying at once (1: a broken set-up, not a crash). */
int workers_run(int n, int (*serve)(void *arg), void *arg);

#endif
