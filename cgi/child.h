/* child: how the front end runs another program (the helper, qmail-inject):
 * posix_spawn, never a shell, the program's stdin, stdout and stderr on
 * descriptors we choose and every other one closed (the FastCGI sockets are
 * not close-on-exec), default SIGPIPE handling and an empty signal mask
 * whatever ours are. glibc spawns with CLONE_VFORK: no page tables are
 * copied, and a program that cannot be executed is reported by posix_spawn
 * itself. */
#ifndef QA_CHILD_H
#define QA_CHILD_H

#include <sys/types.h>

/* A close-on-exec pipe whose ends are not 0, 1 or 2, so that the child's
 * dup2 onto those never meets one of ours. 0, or -1 with errno set. */
int child_pipe(int p[2]);

/* Starts path with argv and envp; the child's stdin is in_fd, its stdout
 * out_fd, its stderr err_fd (-1: ours, the server log). 0 with *pid set,
 * or an errno value. */
int child_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                int in_fd, int out_fd, int err_fd);

#endif
