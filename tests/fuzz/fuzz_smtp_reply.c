/* libFuzzer: the SMTP wire format (cgi/smtp_wire.c) as the client meets
 * it. The input is a server's byte stream, fed to the reply reader in
 * chunks (their size from the first byte); every whole reply is checked
 * (code, line count, text within bounds, printable) and handed to the
 * excerpt, the status and the EHLO parsers. The same bytes, as a message,
 * go through the DATA encoder in chunks: its output must have only CRLF
 * line ends, no line that is a lone "." before the end, end in ".\r\n",
 * undo (unstuffed) to the CRLF form of the input, and be as long as
 * smtp_enc_size says; the LF form must hold no CR. */
#include "config.h"

#include "smtp_wire.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_reply(const struct smtp_reply *r)
{
	static const size_t sizes[] = { 1, 2, 5, 6, 20, 160 };
	unsigned long long max;
	char ex[160], st[12];
	size_t i;

	if (r->code < 200 || r->code > 599 || r->nlines < 1 || r->nlines > SMTP_REPLY_LINES_MAX)
		__builtin_trap();
	if (r->len >= sizeof(r->text) || r->text[r->len] != '\0' || strlen(r->text) != r->len)
		__builtin_trap();
	for (i = 0; i < r->len; i++)
		if (r->text[i] != '\n' && (r->text[i] < 0x20 || r->text[i] > 0x7e))
			__builtin_trap();
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		smtp_reply_excerpt(r, ex, sizes[i]);
		if (strlen(ex) >= sizes[i] || strchr(ex, '\n'))
			__builtin_trap();
	}
	smtp_reply_status(r, st);
	if (st[0] && (st[0] != '0' + r->code / 100 || st[1] != '.' || strncmp(r->text, st, strlen(st))))
		__builtin_trap();
	smtp_ehlo_caps(r, &max);
}

static void read_replies(const char *p, size_t n, size_t chunk)
{
	struct smtp_reader *rd = malloc(sizeof(*rd));
	size_t off = 0;

	smtp_reader_init(rd);
	while (off < n) {
		size_t k = n - off < chunk ? n - off : chunk, used = 0;
		int rc = smtp_reader_feed(rd, p + off, k, &used);

		if (rc < 0)
			break;
		if (used > k || (rc == SMTP_READ_MORE && used != k) || (rc == SMTP_READ_DONE && used == 0))
			__builtin_trap();
		off += used;
		if (rc == SMTP_READ_DONE)
			check_reply(&rd->reply);
	}
	free(rd);
}

/* The whole encoding of p in mode, fed chunk bytes at a time. */
static char *encode(enum smtp_enc_mode mode, const char *p, size_t n, size_t chunk, size_t *outlen)
{
	char *out = malloc(2 * n + 8);
	struct smtp_enc e;
	size_t pos = 0, o = 0;

	smtp_enc_init(&e, mode);
	while (pos < n) {
		size_t k = n - pos < chunk ? n - pos : chunk, used = 0;
		size_t room = chunk + SMTP_ENC_OUT_MIN;

		o += smtp_enc_step(&e, p + pos, k, &used, out + o, room < 2 * n + 8 - o ? room : 2 * n + 8 - o);
		if (used == 0 || used > k)
			__builtin_trap();
		pos += used;
	}
	o += smtp_enc_finish(&e, out + o);
	*outlen = o;
	return out;
}

static void check_data(const char *p, size_t n, size_t chunk)
{
	size_t dlen, clen, llen, i, u = 0;
	char *data = encode(SMTP_ENC_DATA, p, n, chunk, &dlen);
	char *crlf = encode(SMTP_ENC_CRLF, p, n, 4096, &clen);
	char *lf = encode(SMTP_ENC_LF, p, n, chunk, &llen);
	char *undone = malloc(dlen + 1);
	int bol = 1;

	if (dlen < 3 || memcmp(data + dlen - 3, ".\r\n", 3) || (dlen > 3 && memcmp(data + dlen - 5, "\r\n", 2)))
		__builtin_trap();
	if (smtp_enc_size(SMTP_ENC_DATA, p, n) != dlen || smtp_enc_size(SMTP_ENC_CRLF, p, n) != clen)
		__builtin_trap();
	/* Every CR starts a CRLF, every LF ends one; undo the stuffing. */
	for (i = 0; i < dlen - 3; i++) {
		if (data[i] == '\r' && (i + 1 >= dlen || data[i + 1] != '\n'))
			__builtin_trap();
		if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
			__builtin_trap();
		if (bol && data[i] == '.') {
			if (i + 1 >= dlen - 3 || data[i + 1] != '.')
				__builtin_trap();           /* a lone or unstuffed dot */
			i++;
		}
		undone[u++] = data[i];
		bol = data[i] == '\n';
	}
	if (u != clen || memcmp(undone, crlf, u))
		__builtin_trap();
	if (memchr(lf, '\r', llen) || (llen && lf[llen - 1] != '\n'))
		__builtin_trap();
	free(data);
	free(crlf);
	free(lf);
	free(undone);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t chunk;

	if (size < 1)
		return 0;
	chunk = (size_t)data[0] + 1;
	read_replies((const char *)data + 1, size - 1, chunk);
	check_data((const char *)data + 1, size - 1, chunk);
	return 0;
}
