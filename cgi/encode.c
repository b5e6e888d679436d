/* encode: base64 and quoted-printable encoders (see encode.h). */
#include "config.h"

#include "encode.h"

#include "buf.h"

#include <string.h>

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void encode_base64(struct buf *out, const void *in, size_t n, size_t line)
{
	const unsigned char *s = in;
	size_t i, col = 0;

	for (i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)s[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (unsigned long)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		q[0] = alphabet[v >> 18 & 63];
		q[1] = alphabet[v >> 12 & 63];
		q[2] = i + 1 < n ? alphabet[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? alphabet[v & 63] : '=';
		buf_add(out, q, 4);
		col += 4;
		if (line && col >= line && i + 3 < n) {
			buf_add(out, "\r\n", 2);
			col = 0;
		}
	}
	if (line)
		buf_add(out, "\r\n", 2);
}

/* The bytes of one line (without its CRLF) as quoted-printable lines. */
static void qp_line(struct buf *out, const unsigned char *s, size_t n)
{
	size_t i, col = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = s[i];
		int lit = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && i + 1 < n);
		char tok[4];
		size_t len;

		if (col == 0 && (c == '.' || (c == 'F' && n - i >= 5 && !memcmp(s + i, "From ", 5))))
			lit = 0;
		len = lit ? 1 : 3;
		if (col + len > ENCODE_LINE - 1 && !(i + 1 == n && col + len <= ENCODE_LINE)) {
			buf_add(out, "=\r\n", 3);
			col = 0;
			if (c == '.' || (c == 'F' && n - i >= 5 && !memcmp(s + i, "From ", 5)))
				lit = 0, len = 3;
		}
		if (lit)
			tok[0] = (char)c;
		else
			tok[0] = '=', tok[1] = "0123456789ABCDEF"[c >> 4], tok[2] = "0123456789ABCDEF"[c & 15];
		buf_add(out, tok, len);
		col += len;
	}
	buf_add(out, "\r\n", 2);
}

void encode_qp(struct buf *out, const char *in, size_t n)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t start = 0, i;

	for (i = 0; i + 1 < n; i++)
		if (s[i] == '\r' && s[i + 1] == '\n') {
			qp_line(out, s + start, i - start);
			start = i + 2;
			i++;
		}
	if (start < n)
		qp_line(out, s + start, n - start);
}
