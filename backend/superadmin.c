/* superadmin: the admin credentials file (see superadmin.h). */
#include "config.h"

#include "superadmin.h"

#include "atomic.h"
#include "buf.h"
#include "file.h"
#include "lock.h"
#include "passwd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_MAX 65536

/* The hash stored for name in text, copied to hash; 0 if found. */
static int find(const char *text, const char *name, char *hash, size_t n)
{
	size_t nl = strlen(name);
	const char *line = text;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (len > nl && line[nl] == ':' && !strncmp(line, name, nl)) {
			if (len - nl - 1 >= n)
				return -1;
			memcpy(hash, line + nl + 1, len - nl - 1);
			hash[len - nl - 1] = '\0';
			return 0;
		}
		line = end ? end + 1 : NULL;
	}
	return -1;
}

int superadmin_verify(const char *state_dir, const struct v_admin *name, const char *password)
{
	char path[4200], hash[PASSWD_HASH_MAX];
	struct buf b = BUF_INIT;
	int ok = 0;

	snprintf(path, sizeof(path), "%s/superadmin", state_dir);
	if (file_read(path, FILE_MAX, &b) == 0 && find(buf_cstr(&b), name->s, hash, sizeof(hash)) == 0)
		ok = passwd_verify(password, hash);
	buf_free(&b);
	return ok;
}

/* text without name's line, plus "name:hash\n". */
static void replace_line(const char *text, const char *name, const char *hash, struct buf *out)
{
	size_t nl = strlen(name);
	const char *line = text;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (!(len > nl && line[nl] == ':' && !strncmp(line, name, nl))) {
			buf_add(out, line, len);
			buf_addc(out, '\n');
		}
		line = end ? end + 1 : NULL;
	}
	buf_printf(out, "%s:%s\n", name, hash);
}

int superadmin_set(const char *state_dir, const struct v_admin *name, const char *hash,
                   struct qa_error *e)
{
	char path[4200], lockpath[4300];
	struct buf old = BUF_INIT, out = BUF_INIT;
	int lock, rc;

	if (!passwd_is_hash(hash))
		return qa_fail(e, QA_ERR_INVALID, "password", "not a password hash");
	if (mkdir(state_dir, 0700) < 0 && errno != EEXIST)
		return qa_fail_errno(e, "state_dir", "creating %s", state_dir);
	snprintf(path, sizeof(path), "%s/superadmin", state_dir);
	snprintf(lockpath, sizeof(lockpath), "%s.lock", path);
	lock = lock_take(lockpath, 20000);
	if (lock < 0)
		return qa_fail_errno(e, "superadmin", "locking %s", lockpath);
	if (file_read(path, FILE_MAX, &old) < 0 && errno != ENOENT) {
		lock_drop(lock);
		buf_free(&old);
		return qa_fail_errno(e, "superadmin", "reading %s", path);
	}
	replace_line(buf_cstr(&old), name->s, hash, &out);
	rc = buf_failed(&out) ? -1 : atomic_replace(path, out.p, out.len, 0600);
	lock_drop(lock);
	buf_free(&old);
	buf_free(&out);
	return rc < 0 ? qa_fail_errno(e, "superadmin", "writing %s", path) : 0;
}
