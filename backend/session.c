/* session: helper-issued tickets and session files (see session.h). */
#include "config.h"

#include "session.h"

#include "atomic.h"
#include "rand.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const role_names[] = { "none", "user", "domainadmin", "superadmin" };

const char *role_name(enum role r)
{
	return r <= ROLE_SUPERADMIN ? role_names[r] : "none";
}

enum role role_from_name(const char *s)
{
	int i;

	for (i = ROLE_USER; i <= ROLE_SUPERADMIN; i++)
		if (!strcmp(s, role_names[i]))
			return (enum role)i;
	return ROLE_NONE;
}

static void hex(char *out, const unsigned char *in, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static int read_key(struct session_store *s, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, s->key, sizeof(s->key));
	close(fd);
	if (n != (ssize_t)sizeof(s->key)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* Loads the key, making it (and the state directory) first when create is
 * set. */
static int need_key(struct session_store *s, int create, struct qa_error *e)
{
	char path[4200];

	if (s->have_key)
		return 0;
	snprintf(path, sizeof(path), "%s/key", s->dir);
	if (read_key(s, path) == 0) {
		s->have_key = 1;
		return 0;
	}
	if (errno != ENOENT || !create)
		return qa_fail(e, QA_ERR_EXPIRED, "ticket", "no session key");
	if (mkdir(s->dir, 0700) < 0 && errno != EEXIST)
		return qa_fail_errno(e, "state_dir", "creating %s", s->dir);
	if (rand_bytes(s->key, sizeof(s->key)) < 0)
		return qa_fail(e, QA_ERR_IO, "state_dir", "no randomness for the session key");
	/* Two first logins at once: both write a key, the loser's tickets simply
	 * fail to verify; reread so this process uses the winning key. */
	if (atomic_replace(path, s->key, sizeof(s->key), 0600) < 0 || read_key(s, path) < 0)
		return qa_fail_errno(e, "state_dir", "writing %s", path);
	s->have_key = 1;
	return 0;
}

int session_store_open(struct session_store *s, const char *state_dir,
                       unsigned long idle, unsigned long max, struct qa_error *e)
{
	memset(s, 0, sizeof(*s));
	if (snprintf(s->dir, sizeof(s->dir), "%s", state_dir) >= (int)sizeof(s->dir))
		return qa_fail(e, QA_ERR_INVALID, "state_dir", "path too long");
	s->idle = idle;
	s->max = max;
	return 0;
}

/* Nettle, not libcrypto: OpenSSL 3 loads its config and providers before
 * its first HMAC, which with the library's own load took 4 of the helper's
 * 5.5 ms per request; Nettle's HMAC-SHA256 needs no set-up. */
static void mac_of(const struct session_store *s, const char *sid, char out[65])
{
	struct hmac_sha256_ctx ctx;
	unsigned char md[SHA256_DIGEST_SIZE];
	char msg[64];
	int n = snprintf(msg, sizeof(msg), "qa-session:%s", sid);

	hmac_sha256_set_key(&ctx, sizeof(s->key), s->key);
	hmac_sha256_update(&ctx, (size_t)n, (const uint8_t *)msg);
	hmac_sha256_digest(&ctx, sizeof(md), md);
	hex(out, md, sizeof(md));
}

static int session_path(const struct session_store *s, const char *sid, char *out, size_t n)
{
	return snprintf(out, n, "%s/sessions/%s", s->dir, sid) >= (int)n ? -1 : 0;
}

/* Removes session files idle past the limit. Logins are rare enough to pay
 * for one directory scan each; without it abandoned sessions pile up. */
static void prune(const struct session_store *s, time_t now)
{
	char dir[4200];
	struct dirent *de;
	struct stat st;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/sessions", s->dir);
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0
		    && now - st.st_mtime > (time_t)s->idle)
			unlinkat(dirfd(d), de->d_name, 0);
	}
	if (d)
		closedir(d);
}

int session_wm_ok(const char *wm)
{
	size_t i, n = strlen(wm);

	/* 12-byte nonce + 16-byte tag + at least one byte sealed */
	if (n % 2 || n < 2 * 29 || n > SESSION_WM_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((wm[i] >= '0' && wm[i] <= '9') || (wm[i] >= 'a' && wm[i] <= 'f')))
			return 0;
	return 1;
}

#define SESSION_BODY_MAX (SESSION_NAME_MAX + 64 + SESSION_WM_MAX + 8)

/* "role name login\n" and, with a sealed password, "wm HEX\n". */
static int session_body(char *body, enum role role, const char *name, time_t login,
                        const char *wm)
{
	return snprintf(body, SESSION_BODY_MAX, "%s %s %lld\n%s%s%s", role_name(role), name,
	                (long long)login, wm && *wm ? "wm " : "", wm && *wm ? wm : "",
	                wm && *wm ? "\n" : "");
}

int session_create(struct session_store *s, enum role role, const char *name, const char *wm,
                   char ticket[SESSION_TICKET_LEN + 1], struct qa_error *e)
{
	unsigned char raw[16];
	char sid[33], mac[65], path[4300], body[SESSION_BODY_MAX];
	int n;

	if (strlen(name) > SESSION_NAME_MAX || strpbrk(name, " \n"))
		return qa_fail(e, QA_ERR_INVALID, "user", "bad session name");
	if (wm && *wm && !session_wm_ok(wm))
		return qa_fail(e, QA_ERR_INVALID, "wm_secret", "bad webmail secret");
	if (rand_bytes(raw, sizeof(raw)) < 0)
		return qa_fail(e, QA_ERR_IO, "", "no randomness for a session id");
	hex(sid, raw, sizeof(raw));
	if (need_key(s, 1, e) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/sessions", s->dir);
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return qa_fail_errno(e, "state_dir", "creating %s", path);
	prune(s, time(NULL));
	n = session_body(body, role, name, time(NULL), wm);
	if (session_path(s, sid, path, sizeof(path)) < 0
	    || atomic_replace(path, body, (size_t)n, 0600) < 0)
		return qa_fail_errno(e, "state_dir", "writing session");
	mac_of(s, sid, mac);
	snprintf(ticket, SESSION_TICKET_LEN + 1, "%s.%s", sid, mac);
	return 0;
}

/* Splits and authenticates "SID.MAC" without touching the filesystem. */
static int ticket_sid(struct session_store *s, const char *ticket, char sid[33])
{
	char mac[65];
	size_t i;

	if (!ticket || strlen(ticket) != SESSION_TICKET_LEN || ticket[32] != '.')
		return -1;
	for (i = 0; i < SESSION_TICKET_LEN; i++)
		if (i != 32 && !((ticket[i] >= '0' && ticket[i] <= '9') || (ticket[i] >= 'a' && ticket[i] <= 'f')))
			return -1;
	memcpy(sid, ticket, 32);
	sid[32] = '\0';
	if (need_key(s, 0, NULL) < 0)
		return -1;
	mac_of(s, sid, mac);
	return memeql_sec(mac, ticket + 33, 64) ? 0 : -1;    /* constant time */
}

static int parse_session(const char *body, struct session *out)
{
	char role[32], name[SESSION_NAME_MAX + 1];
	const char *wm = strstr(body, "\nwm ");
	long long login;
	size_t n;

	if (sscanf(body, "%31s %255s %lld", role, name, &login) != 3)
		return -1;
	out->role = role_from_name(role);
	if (out->role == ROLE_NONE)
		return -1;
	memcpy(out->name, name, strlen(name) + 1);
	out->login = (time_t)login;
	out->wm[0] = '\0';
	if (wm) {
		wm += 4;
		n = strcspn(wm, "\n");
		if (n > SESSION_WM_MAX)
			return -1;
		memcpy(out->wm, wm, n);
		out->wm[n] = '\0';
		if (!session_wm_ok(out->wm))
			return -1;
	}
	return 0;
}

int session_check(struct session_store *s, const char *ticket, time_t now,
                  struct session *out, struct qa_error *e)
{
	char path[4300], body[SESSION_BODY_MAX];
	struct stat st;
	ssize_t n;
	int fd;

	memset(out, 0, sizeof(*out));
	if (ticket_sid(s, ticket, out->sid) < 0 || session_path(s, out->sid, path, sizeof(path)) < 0)
		return qa_fail(e, QA_ERR_EXPIRED, "ticket", "invalid ticket");
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return qa_fail(e, QA_ERR_EXPIRED, "ticket", "no such session");
	n = fstat(fd, &st) == 0 ? read(fd, body, sizeof(body) - 1) : -1;
	close(fd);
	if (n <= 0)
		return qa_fail_errno(e, "ticket", "reading session");
	body[n] = '\0';
	if (parse_session(body, out) < 0) {
		unlink(path);
		return qa_fail(e, QA_ERR_EXPIRED, "ticket", "corrupt session");
	}
	if (now - st.st_mtime > (time_t)s->idle || now - out->login > (time_t)s->max) {
		unlink(path);
		return qa_fail(e, QA_ERR_EXPIRED, "ticket", "session expired");
	}
	utimensat(AT_FDCWD, path, NULL, 0);    /* refresh the idle clock */
	return 0;
}

int session_revoke(struct session_store *s, const char *ticket, struct qa_error *e)
{
	char sid[33], path[4300];

	if (ticket_sid(s, ticket, sid) < 0)
		return 0;
	if (session_path(s, sid, path, sizeof(path)) < 0)
		return qa_fail(e, QA_ERR_IO, "ticket", "path too long");
	if (unlink(path) < 0 && errno != ENOENT)
		return qa_fail_errno(e, "ticket", "removing session");
	return 0;
}

int session_set_wm(struct session_store *s, const char *sid, const char *wm, struct qa_error *e)
{
	char path[4300], body[SESSION_BODY_MAX];
	struct session sess;
	ssize_t n;
	int fd;

	if (!session_wm_ok(wm))
		return qa_fail(e, QA_ERR_INVALID, "wm_secret", "bad webmail secret");
	if (strlen(sid) != 32 || session_path(s, sid, path, sizeof(path)) < 0)
		return qa_fail(e, QA_ERR_EXPIRED, "ticket", "no such session");
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	n = fd < 0 ? -1 : read(fd, body, sizeof(body) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return qa_fail(e, QA_ERR_EXPIRED, "ticket", "no such session");
	body[n] = '\0';
	if (parse_session(body, &sess) < 0)
		return qa_fail(e, QA_ERR_EXPIRED, "ticket", "corrupt session");
	n = session_body(body, sess.role, sess.name, sess.login, wm);
	if (atomic_replace(path, body, (size_t)n, 0600) < 0)
		return qa_fail_errno(e, "state_dir", "writing session");
	return 0;
}

int session_revoke_name(struct session_store *s, const char *name, const char *keep_sid)
{
	char dir[4200], body[SESSION_BODY_MAX];
	struct session sess;
	struct dirent *de;
	DIR *d;
	int count = 0;

	snprintf(dir, sizeof(dir), "%s/sessions", s->dir);
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		ssize_t n;
		int fd;

		if (strlen(de->d_name) != 32 || (keep_sid && !strcmp(de->d_name, keep_sid)))
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		n = fd < 0 ? -1 : read(fd, body, sizeof(body) - 1);
		if (fd >= 0)
			close(fd);
		if (n <= 0)
			continue;
		body[n] = '\0';
		if (parse_session(body, &sess) == 0 && !strcmp(sess.name, name)
		    && unlinkat(dirfd(d), de->d_name, 0) == 0)
			count++;
	}
	if (d)
		closedir(d);
	return count;
}
