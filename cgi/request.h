/* request: turns one HTTP request (CGI variables + body) into typed, bounded
 * values. Everything here is untrusted input; the parsers enforce the limits
 * and refuse malformed bytes before any page code runs. */
#ifndef QA_REQUEST_H
#define QA_REQUEST_H

#include "params.h"

struct arena;
struct io;

enum method { M_GET, M_HEAD, M_POST, M_OTHER };

struct request {
	struct arena *a;
	enum method method;
	const char *script_name;     /* "/cgi-bin/qmailadmin"; never ends in '/' */
	const char *path_info;       /* "" or "/login" ... */
	const char *remote_addr;
	const char *accept_language;
	int https;
	struct param *query;
	struct param *form;          /* urlencoded or multipart non-file fields */
	struct param *cookies;
	struct upload *uploads;
};

/* Reads the CGI variables and the body. Returns PARSE_OK or the HTTP status
 * to answer with (400, 413, 500). On error r is still usable for an error
 * page (script_name, cookies and accept_language may be set). */
int request_read(struct request *r, struct io *io, struct arena *a,
                 const struct req_limits *lim, const char *tmpdir);

/* Removes uploaded temp files; call when the response has been sent. */
void request_cleanup(struct request *r);

const char *req_query(const struct request *r, const char *name);
const char *req_form(const struct request *r, const char *name);
const char *req_cookie(const struct request *r, const char *name);

#endif
