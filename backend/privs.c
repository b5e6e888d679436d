/* privs: identity changes (see privs.h). */
#include "config.h"

#include "privs.h"

#include "conf.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

int privs_setuid(void)
{
	return getuid() != geteuid() || getgid() != getegid();
}

int privs_lookup(const char *user, const char *group, struct ident *out, struct qa_error *e)
{
	struct passwd pw, *pwp = NULL;
	struct group gr, *grp = NULL;
	char buf[4096];

	if (getpwnam_r(user, &pw, buf, sizeof(buf), &pwp) != 0 || !pwp)
		return qa_fail(e, QA_ERR_INVALID, "vpopmail_user", "no such user %s", user);
	out->uid = pw.pw_uid;
	if (getgrnam_r(group, &gr, buf, sizeof(buf), &grp) != 0 || !grp)
		return qa_fail(e, QA_ERR_INVALID, "vpopmail_group", "no such group %s", group);
	out->gid = gr.gr_gid;
	return 0;
}

int privs_drop(const struct ident *to, struct qa_error *e)
{
	uid_t r, ef, s;

	if (getuid() == to->uid && geteuid() == to->uid && getgid() == to->gid
	    && getegid() == to->gid)
		return 0;
	if (geteuid() == 0 && setgroups(0, NULL) < 0)
		return qa_fail_errno(e, "", "setgroups");
	if (setresgid(to->gid, to->gid, to->gid) < 0)
		return qa_fail_errno(e, "", "setresgid(%u)", (unsigned)to->gid);
	if (setresuid(to->uid, to->uid, to->uid) < 0)
		return qa_fail_errno(e, "", "setresuid(%u)", (unsigned)to->uid);
	if (getresuid(&r, &ef, &s) < 0 || r != to->uid || ef != to->uid || s != to->uid)
		return qa_fail(e, QA_ERR_DENIED, "", "privilege drop did not stick");
	if (to->uid != 0 && setuid(0) == 0)
		return qa_fail(e, QA_ERR_DENIED, "", "root could be regained after the drop");
	return 0;
}

int privs_keep_root(struct qa_error *e)
{
	if (geteuid() != 0)
		return 0;
	if (setgroups(0, NULL) < 0 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		return qa_fail_errno(e, "", "becoming root");
	return 0;
}

int privs_for(int priv_root, const struct conf *c, struct qa_error *e)
{
	struct ident vpop;

	if (priv_root)
		return privs_keep_root(e);
	if (privs_lookup(c->vpopmail_user, c->vpopmail_group, &vpop, e) < 0)
		return -1;
	return privs_drop(&vpop, e);
}
