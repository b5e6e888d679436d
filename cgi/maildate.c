/* maildate: parsing the Date: header (see maildate.h). */
#include "config.h"

#include "maildate.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

/* A run of 1..max digits into *v. */
static const char *number(const char *p, int max, int *v)
{
	int n = 0;

	*v = 0;
	while (isdigit((unsigned char)*p) && n < max) {
		*v = *v * 10 + (*p++ - '0');
		n++;
	}
	return n ? p : NULL;
}

static const char *month(const char *p, int *m)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	int i;

	for (i = 0; i < 12; i++)
		if (!strncasecmp(p, names + 3 * i, 3) && !isalpha((unsigned char)p[3])) {
			*m = i;
			return p + 3;
		}
	return NULL;
}

/* The zone as seconds east of UTC: +hhmm, or an obsolete name (unknown
 * names, military letters included, are UTC as §4.3 says). */
static long zone(const char *p)
{
	static const struct {
		const char *name;
		int hours;
	} names[] = {
		{ "UT", 0 }, { "GMT", 0 }, { "EST", -5 }, { "EDT", -4 }, { "CST", -6 },
		{ "CDT", -5 }, { "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
	};
	size_t i;
	int hhmm;

	if ((*p == '+' || *p == '-') && number(p + 1, 4, &hhmm) == p + 5 && hhmm % 100 < 60)
		return (*p == '-' ? -1 : 1) * ((hhmm / 100) * 3600L + (hhmm % 100) * 60L);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strncasecmp(p, names[i].name, strlen(names[i].name)))
			return names[i].hours * 3600L;
	return 0;
}

time_t mail_date_parse(const char *s)
{
	struct tm tm;
	const char *p = s ? skip_space(s) : NULL;
	int day, mon, year, hh, mm, ss = 0;
	time_t t;

	if (!p)
		return 0;
	if (isalpha((unsigned char)*p)) {          /* day name */
		p = strchr(p, ',');
		if (!p)
			return 0;
		p = skip_space(p + 1);
	}
	if (!(p = number(p, 2, &day)) || !(p = month(skip_space(p), &mon))
	    || !(p = number(skip_space(p), 4, &year)) || !(p = number(skip_space(p), 2, &hh))
	    || *p++ != ':' || !(p = number(p, 2, &mm)))
		return 0;
	if (*p == ':' && !(p = number(p + 1, 2, &ss)))
		return 0;
	if (year < 50)
		year += 2000;
	else if (year < 1000)
		year += 1900;
	if (day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 || year < 1970 || year > 9999)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = mon;
	tm.tm_mday = day;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return 0;
	t -= zone(skip_space(p));
	return t > 0 ? t : 0;
}
