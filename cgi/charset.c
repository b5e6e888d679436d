/* charset: conversion to UTF-8 with iconv (see charset.h). */
#include "config.h"

#include "charset.h"

#include "buf.h"
#include "utf8.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

/* Labels whose mail use differs from their letter (WHATWG Encoding
 * Standard, "labels"): mislabelled windows-1252 is the usual case. */
static const struct {
	const char *label, *charset;
} aliases[] = {
	{ "us-ascii", "WINDOWS-1252" },
	{ "ascii", "WINDOWS-1252" },
	{ "ansi_x3.4-1968", "WINDOWS-1252" },
	{ "iso-8859-1", "WINDOWS-1252" },
	{ "iso8859-1", "WINDOWS-1252" },
	{ "iso_8859-1", "WINDOWS-1252" },
	{ "latin1", "WINDOWS-1252" },
	{ "l1", "WINDOWS-1252" },
	{ "iso-8859-9", "WINDOWS-1254" },
	{ "latin5", "WINDOWS-1254" },
	{ "iso-8859-11", "WINDOWS-874" },
	{ "tis-620", "WINDOWS-874" },
	{ "gb2312", "GB18030" },
	{ "gbk", "GB18030" },
	{ "x-gbk", "GB18030" },
	{ "ks_c_5601-1987", "CP949" },
	{ "euc-kr", "CP949" },
	{ "iso-8859-8-i", "ISO-8859-8" },
	{ "x-sjis", "SHIFT_JIS" },
	{ "windows-31j", "CP932" },
	{ "x-mac-roman", "MACINTOSH" },
	{ "macintosh", "MACINTOSH" },
};

/* RFC 2045 token characters, less '/' and ',' (iconv reads "//" and ","
 * as conversion options). */
static int token_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?=", c);
}

/* The iconv name for a label, NUL-terminated in out; -1 if not a token. */
static int iconv_name(const char *name, size_t cslen, char out[CHARSET_NAME_MAX + 1])
{
	size_t i;

	if (cslen == 0 || cslen > CHARSET_NAME_MAX)
		return -1;
	for (i = 0; i < cslen; i++)
		if (!token_char((unsigned char)name[i]))
			return -1;
	memcpy(out, name, cslen);
	out[cslen] = '\0';
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (!strcasecmp(out, aliases[i].label)) {
			strcpy(out, aliases[i].charset);
			break;
		}
	}
	return 0;
}

static int is_utf8(const char *name)
{
	return !strcasecmp(name, "utf-8") || !strcasecmp(name, "utf8");
}

int charset_known(const char *name, size_t cslen)
{
	char cs[CHARSET_NAME_MAX + 1];
	iconv_t cd;

	if (iconv_name(name, cslen, cs) < 0)
		return 0;
	if (is_utf8(cs))
		return 1;
	cd = iconv_open("UTF-8", cs);
	if (cd == (iconv_t)-1)
		return 0;
	iconv_close(cd);
	return 1;
}

/* Runs all of in through cd, then ends its shift state. Each invalid byte
 * is skipped with a U+FFFD written for it; a sequence cut off at the end
 * becomes one U+FFFD. */
static int convert(struct buf *out, iconv_t cd, const char *in, size_t n)
{
	char chunk[4096];
	char *ip = (char *)in;
	size_t ileft = n;
	int flushing = 0;

	for (;;) {
		char *op = chunk;
		size_t oleft = sizeof(chunk);
		size_t r = flushing ? iconv(cd, NULL, NULL, &op, &oleft)
		                    : iconv(cd, &ip, &ileft, &op, &oleft);
		int err = errno;

		if (buf_add(out, chunk, sizeof(chunk) - oleft) < 0)
			return -2;
		if (r != (size_t)-1) {          /* all input taken (or the state ended) */
			if (flushing)
				return 0;
			flushing = 1;
			continue;
		}
		if (err == E2BIG)
			continue;
		if (flushing)
			return 0;
		if (buf_adds(out, UTF8_REPLACEMENT) < 0)
			return -2;
		if (err == EILSEQ && ileft > 1) {
			ip++;
			ileft--;
			continue;
		}
		flushing = 1;                   /* EINVAL: cut off at the end */
	}
}

int charset_to_utf8(struct buf *out, const char *name, size_t cslen, const char *in, size_t n)
{
	char cs[CHARSET_NAME_MAX + 1];
	struct buf conv = BUF_INIT;
	iconv_t cd;
	int rc;

	if (iconv_name(name, cslen, cs) < 0)
		return -1;
	if (is_utf8(cs))
		return utf8_repair(out, in, n) < 0 ? -2 : 0;
	conv.max = out->max;
	cd = iconv_open("UTF-8", cs);
	if (cd == (iconv_t)-1)
		return -1;
	rc = convert(&conv, cd, in, n);
	iconv_close(cd);
	/* What iconv writes is not always UTF-8: glibc takes odd spellings of
	 * UTF-8 ("%utf-8", "utf-8'") as a converter that lets U+110000 and up
	 * through (found by fuzz_rfc2231). So its output is repaired too. */
	if (rc == 0 && utf8_repair(out, conv.p ? conv.p : "", conv.len) < 0)
		rc = -2;
	buf_free(&conv);
	return rc;
}
