/* libFuzzer: the helper protocol readers (request and answer), which the
 * setuid helper and the front end run on bytes from the other side. The
 * first input byte picks the reader. Invariant: a request that decodes
 * re-encodes to the same bytes. */
#include "config.h"

#include "arena.h"
#include "buf.h"
#include "proto.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_request(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);
	struct proto_req r;
	struct qa_error e;
	struct buf b = BUF_INIT, out = BUF_INIT;
	size_t i;

	memcpy(copy, data, size);
	if (proto_req_decode(copy, size, &r, &e) == 0) {
		proto_req_start(&b, r.op);
		for (i = 0; i < r.n; i++)
			proto_req_add(&b, r.kv[i].key, r.kv[i].val);
		if (proto_req_finish(&b, &out) < 0 || out.len != size || memcmp(out.p, data, size))
			__builtin_trap();
	}
	buf_free(&b);
	buf_free(&out);
	free(copy);
}

static void check_answer(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);
	struct arena *a = arena_new(1 << 24);
	struct proto_answer ans;
	size_t i, j;

	memcpy(copy, data, size);
	if (proto_answer_decode(a, copy, size, &ans) == 0) {
		for (i = 0; i < ans.nrec; i++)
			for (j = 0; j < ans.rec[i].n; j++)
				if (strlen(ans.rec[i].kv[j].val) != ans.rec[i].kv[j].vlen)
					__builtin_trap();
	}
	arena_free(a);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		check_request(data + 1, size - 1);
	else
		check_answer(data + 1, size - 1);
	return 0;
}
