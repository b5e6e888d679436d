/* validate: allow-list validators (see validate.h). Each checks the whole
 * value before writing anything to out, so a refused value leaves out as it
 * was. */
#include "config.h"

#include "validate.h"

#include <string.h>

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_lalpha(int c) { return c >= 'a' && c <= 'z'; }

static int too_long(const char *in, size_t max)
{
	return strnlen(in, max + 1) > max;
}

static void copy_lower(char *dst, const char *src)
{
	while (*src)
		*dst++ = (char)lower((unsigned char)*src++);
	*dst = '\0';
}

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end;

	if (n == 0)
		return 1;      /* also for s == NULL: no pointer arithmetic on NULL */
	end = p + n;

	while (p < end) {
		unsigned c = *p;
		size_t len, i;
		unsigned long cp;

		if (c < 0x80) { p++; continue; }
		if (c >= 0xc2 && c <= 0xdf) { len = 2; cp = c & 0x1f; }
		else if (c >= 0xe0 && c <= 0xef) { len = 3; cp = c & 0x0f; }
		else if (c >= 0xf0 && c <= 0xf4) { len = 4; cp = c & 0x07; }
		else return 0;
		if ((size_t)(end - p) < len)
			return 0;
		for (i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
		    || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
			return 0;
		p += len;
	}
	return 1;
}

static int no_controls(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* Checks one dot-separated label list; lower-cased input. */
static int domain_ok(const char *d, size_t maxlen)
{
	size_t n = strlen(d), label = 0, labels = 0, i;

	if (n < 3 || n > maxlen)
		return 0;
	for (i = 0; i <= n; i++) {
		int c = lower((unsigned char)d[i]);

		if (c == '.' || c == '\0') {
			if (label == 0 || label > 63 || d[i - 1] == '-')
				return 0;
			labels++;
			if (c == '\0')
				break;
			label = 0;
			continue;
		}
		if (!is_digit(c) && !is_lalpha(c) && c != '-')
			return 0;
		if (label == 0 && c == '-')
			return 0;
		label++;
	}
	/* A TLD of 2..63 letters or digits; a dotted quad is not a mail domain. */
	return labels >= 2 && label >= 2 && !is_digit(d[n - 1]);
}

int v_domain(const char *in, struct v_domain *out, const char *field, struct qa_error *e)
{
	if (!in || too_long(in, V_DOMAIN_MAX) || !domain_ok(in, V_DOMAIN_MAX))
		return qa_fail(e, QA_ERR_INVALID, field, "not a valid domain name");
	copy_lower(out->s, in);
	return 0;
}

static int local_char(int c)
{
	return is_digit(c) || is_lalpha(c) || c == '.' || c == '_' || c == '-'
	       || c == '+' || c == '=';
}

int v_local(const char *in, struct v_local *out, const char *field, struct qa_error *e)
{
	char tmp[V_LOCAL_MAX + 1];
	size_t n, i;

	if (!in || too_long(in, V_LOCAL_MAX))
		return qa_fail(e, QA_ERR_INVALID, field, "name is empty or longer than 64 characters");
	n = strlen(in);
	if (n < 2)
		return qa_fail(e, QA_ERR_INVALID, field, "name must be at least 2 characters");
	for (i = 0; i < n; i++)
		if (!local_char(lower((unsigned char)in[i])))
			return qa_fail(e, QA_ERR_INVALID, field,
			               "name may only hold a-z, 0-9 and . _ - + =");
	if (in[0] == '.' || in[n - 1] == '.' || strstr(in, ".."))
		return qa_fail(e, QA_ERR_INVALID, field, "name cannot start or end with a dot or hold two dots");
	copy_lower(tmp, in);
	if (!strcmp(tmp, "vpasswd") || !strcmp(tmp, "vpasswd.cdb"))
		return qa_fail(e, QA_ERR_INVALID, field, "this name is reserved");
	memcpy(out->s, tmp, n + 1);
	return 0;
}

int v_user(const char *in, struct v_user *out, const char *field, struct qa_error *e)
{
	const char *at = in ? strrchr(in, '@') : NULL;
	char local[V_LOCAL_MAX + 1];
	struct v_user u;

	if (!at || (size_t)(at - in) > V_LOCAL_MAX)
		return qa_fail(e, QA_ERR_INVALID, field, "expected an address like name@example.com");
	memcpy(local, in, (size_t)(at - in));
	local[at - in] = '\0';
	if (v_local(local, &u.local, field, e) < 0 || v_domain(at + 1, &u.domain, field, e) < 0)
		return -1;
	*out = u;
	return 0;
}

int v_password(const char *in, struct v_password *out, const char *field, struct qa_error *e)
{
	if (!in || !*in || too_long(in, V_PASSWORD_MAX))
		return qa_fail(e, QA_ERR_INVALID, field, "password must be 1 to 128 characters");
	if (!no_controls(in) || !utf8_valid(in, strlen(in)))
		return qa_fail(e, QA_ERR_INVALID, field, "password holds control characters or invalid UTF-8");
	memcpy(out->s, in, strlen(in) + 1);
	return 0;
}

int v_gecos(const char *in, struct v_gecos *out, const char *field, struct qa_error *e)
{
	if (!in)
		in = "";
	if (too_long(in, V_GECOS_MAX))
		return qa_fail(e, QA_ERR_INVALID, field, "full name is longer than 64 bytes");
	if (!no_controls(in) || strchr(in, ':') || !utf8_valid(in, strlen(in)))
		return qa_fail(e, QA_ERR_INVALID, field, "full name holds ':', control characters or invalid UTF-8");
	memcpy(out->s, in, strlen(in) + 1);
	return 0;
}

/* RFC 5322 atext. */
static int atext(int c)
{
	return is_digit(c) || is_lalpha(lower(c)) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

int v_target(const char *in, struct v_target *out, const char *field, struct qa_error *e)
{
	const char *at = in ? strrchr(in, '@') : NULL;
	size_t i, n;

	if (!at || too_long(in, V_ADDRESS_MAX) || at == in || (size_t)(at - in) > V_LOCAL_MAX)
		return qa_fail(e, QA_ERR_INVALID, field, "expected an address like name@example.com");
	n = (size_t)(at - in);
	if (strchr("|/&#.", in[0]) || in[n - 1] == '.')
		return qa_fail(e, QA_ERR_INVALID, field, "not a valid address");
	for (i = 0; i < n; i++)
		if (!(atext((unsigned char)in[i]) || (in[i] == '.' && in[i + 1] != '.')))
			return qa_fail(e, QA_ERR_INVALID, field, "not a valid address");
	if (!domain_ok(at + 1, 253))
		return qa_fail(e, QA_ERR_INVALID, field, "not a valid domain in the address");
	memcpy(out->s, in, n + 1);
	copy_lower(out->s + n + 1, at + 1);
	return 0;
}

int v_admin(const char *in, struct v_admin *out, const char *field, struct qa_error *e)
{
	size_t i, n;

	if (!in || !*in || too_long(in, V_ADMIN_MAX))
		return qa_fail(e, QA_ERR_INVALID, field, "admin name must be 1 to 32 characters");
	n = strlen(in);
	for (i = 0; i < n; i++) {
		int c = lower((unsigned char)in[i]);

		if (!is_digit(c) && !is_lalpha(c) && c != '.' && c != '_' && c != '-')
			return qa_fail(e, QA_ERR_INVALID, field, "admin name may only hold a-z, 0-9 and . _ -");
	}
	copy_lower(out->s, in);
	return 0;
}

int v_uint(const char *in, unsigned long long max, unsigned long long *out,
           const char *field, struct qa_error *e)
{
	unsigned long long n = 0;
	const char *p = in;

	if (!in || !*in || (in[0] == '0' && in[1]))
		return qa_fail(e, QA_ERR_INVALID, field, "expected a number");
	for (; *p; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (!is_digit((unsigned char)*p) || n > max / 10
		    || (n == max / 10 && d > max % 10))
			return qa_fail(e, QA_ERR_INVALID, field, "expected a number up to %llu", max);
		n = n * 10 + d;
	}
	*out = n;
	return 0;
}
