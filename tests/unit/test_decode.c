/* Unit tests: base64, quoted-printable and Q decoding (cgi/decode.c), on
 * the RFC 4648 vectors and RFC 2045's examples; every incremental decode is
 * checked against the one-call decode at every split point. */
#include "config.h"

#include "check_main.h"
#include "decode.h"

#include <stdlib.h>
#include <string.h>

static unsigned char out[4096];

static int b64_is(const char *in, const char *want, int want_damaged)
{
	int damaged = -1;
	size_t n = b64_decode(in, strlen(in), out, &damaged);

	return n == strlen(want) && !memcmp(out, want, n) && damaged == want_damaged;
}

static int qp_is(const char *in, const char *want, int want_damaged)
{
	int damaged = -1;
	size_t n = qp_decode(in, strlen(in), out, &damaged);

	ck_assert_uint_le(n, strlen(in));
	return n == strlen(want) && !memcmp(out, want, n) && damaged == want_damaged;
}

START_TEST(base64_rfc4648_vectors)
{
	ck_assert(b64_is("", "", 0));
	ck_assert(b64_is("Zg==", "f", 0));
	ck_assert(b64_is("Zm8=", "fo", 0));
	ck_assert(b64_is("Zm9v", "foo", 0));
	ck_assert(b64_is("Zm9vYg==", "foob", 0));
	ck_assert(b64_is("Zm9vYmE=", "fooba", 0));
	ck_assert(b64_is("Zm9vYmFy", "foobar", 0));
	ck_assert(b64_is("+/+/", "\xfb\xff\xbf", 0));
}
END_TEST

START_TEST(base64_mime_leniency)
{
	/* Line breaks and blanks are skipped silently; other bytes are skipped
	 * but reported; data after the padding is ignored; a lone sextet is
	 * damage; missing padding is not. */
	ck_assert(b64_is("Zm9v\r\nYmFy\r\n", "foobar", 0));
	ck_assert(b64_is(" Zm 9v\tYmFy ", "foobar", 0));
	ck_assert(b64_is("Zm9v!YmFy", "foobar", 1));
	ck_assert(b64_is("Zg==Zm9v", "f", 1));
	ck_assert(b64_is("Zm9vY", "foo", 1));
	ck_assert(b64_is("Zm8", "fo", 0));
	ck_assert(b64_is("Zm9vYmFy=", "foobar", 0));
}
END_TEST

START_TEST(base64_streaming_equals_one_call)
{
	static const char in[] = "SGVq\r\np+UgZGlnLCBo5HIg5HIg\r\nZW4gYmlsYWdhIQ==\r\n";
	unsigned char whole[64], part[64];
	size_t n = b64_decode(in, sizeof(in) - 1, whole, NULL), cut;

	for (cut = 0; cut < sizeof(in); cut++) {
		struct b64_state s;
		size_t k;

		b64_init(&s);
		k = b64_update(&s, in, cut, part);
		ck_assert_uint_le(k, B64_OUT_MAX(cut));
		k += b64_update(&s, in + cut, sizeof(in) - 1 - cut, part + k);
		b64_final(&s);
		ck_assert_uint_eq(k, n);
		ck_assert(!memcmp(part, whole, n));
		ck_assert(!s.damaged);
	}
}
END_TEST

START_TEST(qp_rfc2045)
{
	/* RFC 2045 §6.7 rule 5 and the example of §6.7. */
	ck_assert(qp_is("Now's the time =\r\nfor all folk to come=\r\n to the aid of their country.",
	                "Now's the time for all folk to come to the aid of their country.", 0));
	ck_assert(qp_is("=3D =c3=A5", "= \xc3\xa5", 0));
	/* Trailing blanks go (rule 3), also before a soft break. */
	ck_assert(qp_is("abc   \r\nx \t\r\n", "abc\r\nx\r\n", 0));
	ck_assert(qp_is("abc= \t\r\nx", "abcx", 0));
	ck_assert(qp_is("a b\nc  \nd", "a b\nc\nd", 0));
	ck_assert(qp_is("end=", "end", 0));
	ck_assert(qp_is("end  ", "end", 0));
	/* Damage is kept as it came. */
	ck_assert(qp_is("=ZZ", "=ZZ", 1));
	ck_assert(qp_is("=4x", "=4x", 1));
	ck_assert(qp_is("a=\rb", "a=\rb", 1));
	ck_assert(qp_is("a\rb", "a\rb", 0));
	ck_assert(qp_is("=4", "=4", 1));
	ck_assert(qp_is("= x", "= x", 1));
}
END_TEST

START_TEST(qp_long_blank_runs)
{
	char in[300], want[300];

	memset(in, ' ', 200);
	memcpy(in + 200, "x\r\n", 4);
	ck_assert(qp_is(in, in, 0));
	memset(in, ' ', 200);
	memcpy(in + 200, "\r\ny", 4);
	memcpy(want, "\r\ny", 4);
	/* Past QP_HOLD blanks are written before it is known that the line
	 * ends: the first ones stay. */
	ck_assert(qp_decode(in, strlen(in), out, NULL) >= 3);
	ck_assert(!memcmp(out + qp_decode(in, strlen(in), out, NULL) - 3, want, 3));
}
END_TEST

START_TEST(qp_streaming_equals_one_call)
{
	static const char in[] = "H=C3=A4r =\r\n=E4r  \r\nen rad=3D =\n\nslut=ZZ=\r";
	unsigned char whole[128], part[256];
	size_t n = qp_decode(in, sizeof(in) - 1, whole, NULL), cut, cut2;

	for (cut = 0; cut < sizeof(in); cut++) {
		for (cut2 = cut; cut2 < sizeof(in); cut2++) {
			struct qp_state s;
			size_t k;

			qp_init(&s);
			k = qp_update(&s, in, cut, part);
			k += qp_update(&s, in + cut, cut2 - cut, part + k);
			k += qp_update(&s, in + cut2, sizeof(in) - 1 - cut2, part + k);
			k += qp_final(&s, part + k);
			ck_assert_uint_eq(k, n);
			ck_assert(!memcmp(part, whole, n));
		}
	}
}
END_TEST

START_TEST(q_words)
{
	int damaged;
	size_t n;

	n = q_decode("Keld_J=F8rn_Simonsen", 20, out, &damaged);
	ck_assert_uint_eq(n, 18);
	ck_assert(!memcmp(out, "Keld J\xf8rn Simonsen", n));
	ck_assert_int_eq(damaged, 0);
	n = q_decode("a=4", 3, out, &damaged);
	ck_assert(!memcmp(out, "a=4", n));
	ck_assert_int_eq(damaged, 1);
	n = q_decode("=3d=3D_", 7, out, &damaged);
	ck_assert(!memcmp(out, "== ", n));
	ck_assert_int_eq(damaged, 0);
}
END_TEST

static Suite *decode_suite(void)
{
	Suite *s = suite_create("decode");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, base64_rfc4648_vectors);
	tcase_add_test(tc, base64_mime_leniency);
	tcase_add_test(tc, base64_streaming_equals_one_call);
	tcase_add_test(tc, qp_rfc2045);
	tcase_add_test(tc, qp_long_blank_runs);
	tcase_add_test(tc, qp_streaming_equals_one_call);
	tcase_add_test(tc, q_words);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(decode_suite)
