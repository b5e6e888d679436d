/* params: the request parsers' shared vocabulary: limits, the result codes and
 * the name/value list every parser produces. Parsers are pure functions over
 * bytes (no environment, no globals) so that unit tests and fuzzers call them
 * exactly as the front end does. */
#ifndef QA_PARAMS_H
#define QA_PARAMS_H

#include <stddef.h>

struct arena;

/* Every limit is enforced; exceeding one is PARSE_TOO_LARGE, never truncation. */
struct req_limits {
	size_t max_body;       /* bytes of an urlencoded body (and of a query string) */
	size_t max_fields;     /* name/value pairs per source (query, body, multipart) */
	size_t max_name;       /* bytes of one field name */
	size_t max_value;      /* bytes of one non-file value */
	size_t max_upload;     /* bytes of a whole multipart body */
	size_t max_files;      /* file parts in one multipart body */
	size_t max_cookies;    /* cookies in the Cookie header */
	size_t max_header;     /* bytes of one header value (Cookie, Content-Type ...) */
};

enum parse_status {
	PARSE_OK = 0,
	PARSE_BAD = 400,        /* malformed input */
	PARSE_TOO_LARGE = 413,  /* a limit was exceeded */
	PARSE_NOMEM = 500       /* the arena refused an allocation */
};

/* A decoded field. name and value are NUL-terminated arena strings; parsers
 * refuse a NUL byte inside either (PARSE_BAD), so C string functions are safe.
 * Lists keep the order of appearance. */
struct param {
	const char *name;
	const char *value;
	size_t len;            /* strlen(value) */
	struct param *next;
};

/* A file part of a multipart body, streamed to a temp file. */
struct upload {
	const char *field;     /* form field name */
	const char *filename;  /* as sent by the browser (untrusted; may be "") */
	const char *ctype;     /* part Content-Type, "application/octet-stream" if none */
	const char *path;      /* temp file holding the bytes; unlinked after the request */
	size_t size;
	struct upload *next;
};

/* First value named name, or NULL. */
const struct param *param_find(const struct param *list, const char *name);
const char *param_get(const struct param *list, const char *name);
size_t param_count(const struct param *list);

#endif
