/* mb_body: the text of a message we send, and a forwarded message, made
 * into lines for the wire (see mb_int.h). */
#include "config.h"

#include "mb_int.h"

#include "buf.h"

#include <string.h>

/* One output line of flowed text: stuffed with a space when a reader
 * would take its start for something else (RFC 3676 §4.4). */
static void flow_emit(struct buf *out, const char *prefix, size_t plen, const char *s, size_t n)
{
	buf_add(out, prefix, plen);
	if (!plen && n && (s[0] == ' ' || s[0] == '>' || (n >= 5 && !memcmp(s, "From ", 5))))
		buf_addc(out, ' ');
	buf_add(out, s, n);
	buf_add(out, "\r\n", 2);
}

/* Where to end the next piece of a too-long flowed line: after a space,
 * within avail if one is there, else at the first one after; 0 for none. */
static size_t flow_cut(const char *s, size_t n, size_t avail)
{
	size_t i;

	for (i = avail - 1; i >= 1; i--)
		if (s[i] == ' ')
			return i + 1;
	for (i = avail; i < n; i++)
		if (s[i] == ' ')
			return i + 1;
	return 0;
}

static void flow_line(struct buf *out, const char *s, size_t n)
{
	char prefix[MB_FLOW_WIDTH];
	size_t depth = 0, plen, avail;

	if (n == 3 && !memcmp(s, "-- ", 3)) {   /* the signature separator keeps its space */
		buf_add(out, "-- \r\n", 5);
		return;
	}
	while (n && s[n - 1] == ' ')            /* a trailing space would be a soft break */
		n--;
	while (depth < n && s[depth] == '>' && depth < MB_FLOW_WIDTH / 2)
		depth++;
	memset(prefix, '>', depth);
	plen = depth;
	s += depth, n -= depth;
	if (depth && n && s[0] == ' ')
		s++, n--;
	if (depth && n)
		prefix[plen++] = ' ';
	avail = MB_FLOW_WIDTH - plen;
	while (n > avail) {
		size_t cut = flow_cut(s, n, avail);

		if (!cut || cut >= n)
			break;
		flow_emit(out, prefix, plen, s, cut);
		s += cut, n -= cut;
	}
	flow_emit(out, prefix, plen, s, n);
}

void mb_text_lines(struct buf *out, const char *text, size_t n, int flowed)
{
	size_t start = 0;

	while (start < n) {
		const char *nl = memchr(text + start, '\n', n - start);
		size_t end = nl ? (size_t)(nl - text) : n, len = end - start;

		if (len && text[start + len - 1] == '\r' && nl)
			len--;
		if (flowed) {
			flow_line(out, text + start, len);
		} else {
			buf_add(out, text + start, len);
			buf_add(out, "\r\n", 2);
		}
		start = end + 1;
	}
}

enum mb_cte mb_text_cte(const char *s, size_t n)
{
	size_t i, line = 0;
	int eight = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r' && i + 1 < n && s[i + 1] == '\n') {
			i++;
			line = 0;
			continue;
		}
		if (++line > MB_LINE_MAX || (c < 0x20 && c != '\t') || c == 0x7f)
			return MB_QP;
		eight |= c >= 0x80;
	}
	return eight ? MB_8BIT : MB_7BIT;
}

enum mb_cte mb_message_lines(struct buf *out, const char *s, size_t n)
{
	size_t i, line = 0, start = out->len;
	int eight = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n' || (c == '\r' && i + 1 < n && s[i + 1] == '\n')) {
			i += c == '\r';
			buf_add(out, "\r\n", 2);
			line = 0;
			continue;
		}
		if (!c || c == '\r' || ++line > MB_LINE_MAX) {
			out->len = start;           /* undo: the caller sends base64 */
			if (out->p)
				out->p[start] = 0;
			return MB_BASE64;
		}
		eight |= c >= 0x80;
		buf_addc(out, (char)c);
	}
	if (line)
		buf_add(out, "\r\n", 2);
	return eight ? MB_8BIT : MB_7BIT;
}

const char *mb_cte_name(enum mb_cte cte)
{
	static const char *const names[] = { "7bit", "8bit", "quoted-printable", "base64" };

	return names[cte];
}
