/* multipart: multipart/form-data (RFC 7578), parsed incrementally so that an
 * upload is streamed to a temp file and never held in memory whole. */
#ifndef QA_MULTIPART_H
#define QA_MULTIPART_H

#include "params.h"

struct multipart;

/* Copies the boundary parameter of a Content-Type header value
 * ('multipart/form-data; boundary="abc"') into out. Returns PARSE_OK, or
 * PARSE_BAD when the type is not multipart/form-data or the boundary is
 * missing, empty, longer than 70 bytes (RFC 2046) or does not fit outlen. */
int multipart_boundary(const char *content_type, char *out, size_t outlen);

/* tmpdir is where file parts go (mkstemp "qa-upload-XXXXXX", mode 0600). */
struct multipart *multipart_new(struct arena *a, const char *boundary,
                                const struct req_limits *lim, const char *tmpdir);

/* Feed the body in chunks of any size (1 byte works). Returns PARSE_OK or the
 * first error; after an error further feeds return the same error. Total body
 * bytes over lim->max_upload, more than max_files file parts or more than
 * max_fields non-file parts, a non-file value over max_value: PARSE_TOO_LARGE.
 * Part headers are bounded too (a part's header block over 8 KiB is PARSE_BAD). */
int multipart_feed(struct multipart *m, const char *data, size_t n);

/* Ends the body. Must be called once whatever happened (it closes any open
 * temp file). Returns PARSE_OK only if the closing boundary was seen and no
 * error occurred; then *fields and *files are appended to (in order). On
 * error every temp file this parser made is unlinked. */
int multipart_finish(struct multipart *m, struct param **fields, struct upload **files);

/* Unlinks the temp files of a list (the request's end calls this). */
void uploads_unlink(struct upload *files);

#endif
