/* fake_server: a scripted server for the protocol clients' unit tests
 * (test_imap, test_smtp). server_start() forks a child that accepts one
 * connection on a free 127.0.0.1 port (server_port) and plays the script:
 * it sends what the script says and checks, byte for byte, what the client
 * sends, exiting with a status that names the first step that went wrong.
 * After the script, the client must send nothing more before it closes. */
#ifndef QA_FAKE_SERVER_H
#define QA_FAKE_SERVER_H

#include <stddef.h>

struct step {
	char op;            /* S: send, C: expect a line (CRLF implied), D: expect bytes, W: wait ms, X: hang up */
	const char *s;
	size_t n;
};

#define S(x) { 'S', x, sizeof(x) - 1 }
#define C(x) { 'C', x, sizeof(x) - 1 }
#define D(x) { 'D', x, sizeof(x) - 1 }
#define W(ms) { 'W', NULL, ms }
#define X { 'X', NULL, 0 }
#define END { 0, NULL, 0 }

extern unsigned server_port;

/* The script must stay valid until server_done() (the child has a copy). */
void server_start(const struct step *script);
/* The server's exit status: 0 when the whole script went as written. */
int server_done(void);
/* Kills a server still running (a test's teardown). */
void server_stop(void);

#endif
