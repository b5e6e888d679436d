/* Unit tests: the HTML mail sanitizer (cgi/sanitize*.c). Exact output for
 * benign mail and for each rule; for the hostile samples in tests/data/html
 * (script, handlers, javascript:/data:/vbscript: in all their spellings,
 * SVG, MathML, CSS, meta refresh, base, forms, frames, broken tags,
 * comments, CDATA, mXSS, binary junk), under every option, that
 * html_check's independent reading finds nothing but allowed elements,
 * attributes and schemes; and the bounds: 100,000-deep nesting, huge
 * input, a tag with 100,000 attributes, NUL bytes, invalid UTF-8. */
#include "config.h"

#include "check_main.h"
#include "arena.h"
#include "html_check.h"
#include "sanitize.h"

#include <dirent.h>
#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CID_PREFIX "/mail/part?cid="

static struct arena *arena;
static struct sanitize_result res;

static void setup(void)
{
	arena = arena_new(0);
}

static void teardown(void)
{
	arena_free(arena);
}

static const char *cid_url(void *arg, const char *cid)
{
	return arena_printf(arg, CID_PREFIX "%s", cid);
}

/* Option sets by bit: 1 remote images, 2 styles, 4 cid: images. */
static struct sanitize_opts opts(unsigned bits)
{
	struct sanitize_opts o;

	memset(&o, 0, sizeof(o));
	o.remote_images = (bits & 1) != 0;
	o.keep_style = (bits & 2) != 0;
	if (bits & 4) {
		o.cid_url = cid_url;
		o.cid_arg = arena;
	}
	return o;
}

/* The output's tags only (text left out), lower-cased. */
static char *tags_of(const char *html, size_t n)
{
	char *t = malloc(n + 1);
	size_t i, o = 0;
	int in = 0;

	ck_assert_ptr_nonnull(t);
	for (i = 0; i < n; i++) {
		if (html[i] == '<')
			in = 1;
		if (in)
			t[o++] = (char)(html[i] >= 'A' && html[i] <= 'Z' ? html[i] + 32 : html[i]);
		if (html[i] == '>')
			in = 0;
	}
	t[o] = '\0';
	return t;
}

/* Words that must never appear inside a tag we write. */
static const char *const never_in_tags[] = {
	"<script", "<style", "<iframe", "<frame", "<object", "<embed", "<applet", "<form",
	"<input", "<button", "<textarea", "<select", "<meta", "<link", "<base", "<svg", "<math",
	"<noscript", "<template", "<title", "<xmp", "<plaintext", "<image", "<!--", "<![",
	"<?", "javascript", "vbscript", "data:", "file:", "cid:", "expression", "url(", "@import",
	"behavior", "binding", " on", " id=", " name=", " class=", " srcset", " background=",
	" formaction", " action=", " xmlns", "http-equiv", NULL
};

/* Sanitizes in[0..n) with option bits, checks the result independently and
 * returns it (NUL-terminated, in the arena). */
static const char *san_n(const char *in, size_t n, unsigned bits)
{
	struct sanitize_opts o = opts(bits);
	struct html_check c = { 0, (int)(bits & 1), bits & 4 ? CID_PREFIX : NULL, (int)(bits & 2) };
	char why[512], *tags;
	const char *const *w;

	ck_assert_int_eq(sanitize_html(arena, in, n, &o, &res), 0);
	ck_assert_msg(html_check(res.html.html, res.html.len, &c, why, sizeof(why)) == 0,
	              "html_check: %s\nin: %.*s\nout: %.*s", why, (int)(n > 300 ? 300 : n), in,
	              (int)(res.html.len > 2000 ? 2000 : res.html.len), res.html.html);
	ck_assert_uint_eq(res.html.html[res.html.len], '\0');
	tags = tags_of(res.html.html, res.html.len);
	for (w = never_in_tags; *w; w++)
		ck_assert_msg(!strstr(tags, *w), "\"%s\" in a tag: %s", *w, res.html.html);
	free(tags);
	return res.html.html;
}

static const char *san(const char *in, unsigned bits)
{
	return san_n(in, strlen(in), bits);
}

#define EQ(in, bits, want) ck_assert_str_eq(san(in, bits), want)

/* ------------------------------------------------------------ benign mail */

START_TEST(formatting_is_kept)
{
	EQ("<p>Hello <b>world</b>, <i>i</i> <em>em</em> <strong>s</strong> <u>u</u></p>", 0,
	   "<p>Hello <b>world</b>, <i>i</i> <em>em</em> <strong>s</strong> <u>u</u></p>");
	EQ("<h1>One</h1><h2 align=\"center\">Two</h2><h6>Six</h6>", 0,
	   "<h1>One</h1><h2 align=\"center\">Two</h2><h6>Six</h6>");
	EQ("<div>a<br>b<br/>c<hr noshade size=\"2\"></div>", 0,
	   "<div>a<br>b<br>c<hr noshade size=\"2\"></div>");
	EQ("<blockquote>q <q>inner</q></blockquote><pre>  x\n  y</pre><code>c</code>", 0,
	   "<blockquote>q <q>inner</q></blockquote><pre>\n  x\n  y</pre><code>c</code>");
	EQ("<ul type=\"disc\"><li>a</li><li>b</ul><ol start=\"3\" reversed><li value=\"5\">c</ol>", 0,
	   "<ul type=\"disc\"><li>a</li><li>b</li></ul><ol start=\"3\" reversed><li value=\"5\">c</li></ol>");
	EQ("<dl><dt>t</dt><dd>d</dd></dl>", 0, "<dl><dt>t</dt><dd>d</dd></dl>");
	EQ("<font color=\"#FF0000\" face=\"Arial, 'Helvetica'\" size=\"+1\">f</font>", 0,
	   "<font color=\"#FF0000\" face=\"Arial, &#39;Helvetica&#39;\" size=\"+1\">f</font>");
	EQ("<center><span title=\"t\" dir=\"rtl\" lang=\"sv-SE\">s</span></center>", 0,
	   "<center><span title=\"t\" dir=\"rtl\" lang=\"sv-SE\">s</span></center>");
	EQ("<p>x<sub>2</sub> y<sup>3</sup> <del>d</del><ins>i</ins> <s>s</s><strike>k</strike>"
	   "<small>m</small><big>B</big><tt>t</tt><kbd>k</kbd><var>v</var><abbr>a</abbr></p>", 0,
	   "<p>x<sub>2</sub> y<sup>3</sup> <del>d</del><ins>i</ins> <s>s</s><strike>k</strike>"
	   "<small>m</small><big>B</big><tt>t</tt><kbd>k</kbd><var>v</var><abbr>a</abbr></p>");
}
END_TEST

START_TEST(text_is_escaped)
{
	EQ("<p>a &lt; b &amp; &quot;c&quot; 'd' &gt; e</p>", 0,
	   "<p>a &lt; b &amp; &quot;c&quot; &#39;d&#39; &gt; e</p>");
	EQ("<p>r&auml;ksm&ouml;rg&aring;s&nbsp;&euro;</p>", 0,
	   "<p>r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s\xc2\xa0\xe2\x82\xac</p>");
	EQ("<p>&#60;script&#62;alert(1)&#60;/script&#62;</p>", 0,
	   "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
	EQ("<p>&unknown; &amp</p>", 0, "<p>&amp;unknown; &amp;amp</p>");
	EQ("plain text, no tags", 0, "<p>plain text, no tags</p>");
	EQ("", 0, "");
}
END_TEST

START_TEST(document_parts_are_unwrapped)
{
	EQ("<!DOCTYPE html><html><head><title>T</title><meta charset=\"utf-8\">"
	   "<style>p{}</style></head><body bgcolor=\"#fff\"><p>body</p></body></html>", 0,
	   "<p>body</p>");
	ck_assert_uint_eq(res.removed, 0);
	/* A charset named inside the mail is not obeyed: the caller converted. */
	EQ("<meta charset=\"iso-8859-1\"><p>\xc3\xa5</p>", 0, "<p>\xc3\xa5</p>");
	EQ("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\"><p>\xc3\xa5</p>", 0,
	   "<p>\xc3\xa5</p>");
}
END_TEST

START_TEST(links)
{
	EQ("<a href=\"https://example.com/a?b=1&amp;c=2\">x</a>", 0,
	   "<a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"noopener noreferrer\" target=\"_blank\">x</a>");
	EQ("<a href=\"HTTP://EXAMPLE.COM/\" title=\"t\" target=\"_self\" rel=\"opener\">x</a>", 0,
	   "<a href=\"HTTP://EXAMPLE.COM/\" title=\"t\" rel=\"noopener noreferrer\" target=\"_blank\">x</a>");
	EQ("<a href=\"mailto:lars@emak.se?subject=Hej\">m</a>", 0,
	   "<a href=\"mailto:lars@emak.se?subject=Hej\" rel=\"noopener noreferrer\" target=\"_blank\">m</a>");
	/* What the browser would read is what is written: spaces and newlines cut. */
	EQ("<a href=\"  https://exa\nmple.com/ \">x</a>", 0,
	   "<a href=\"https://example.com/\" rel=\"noopener noreferrer\" target=\"_blank\">x</a>");
	/* Relative references and fragments would point into the webmail. */
	EQ("<a href=\"/cgi-bin/qmailadmin/mail/delete?all=1\">r</a><a href=\"#top\">f</a>"
	   "<a href=\"//evil.example/\">p</a><a name=\"x\">n</a>", 0,
	   "<a rel=\"noopener noreferrer\" target=\"_blank\">r</a><a rel=\"noopener noreferrer\" target=\"_blank\">f</a>"
	   "<a rel=\"noopener noreferrer\" target=\"_blank\">p</a><a rel=\"noopener noreferrer\" target=\"_blank\">n</a>");
	ck_assert_uint_eq(res.removed, 0);
}
END_TEST

START_TEST(tables)
{
	EQ("<table border=\"1\" cellpadding=\"2\" width=\"100%\" class=\"x\"><tr valign=\"top\">"
	   "<td colspan=\"2\" width=\"50px\" bgcolor=\"red\" id=\"y\" nowrap>a</td><th scope=\"col\">b</th></tr></table>", 0,
	   "<table border=\"1\" cellpadding=\"2\" width=\"100%\"><tr valign=\"top\">"
	   "<td colspan=\"2\" width=\"50px\" bgcolor=\"red\" nowrap>a</td><th scope=\"col\">b</th></tr></table>");
	EQ("<table><caption>c</caption><thead><tr><th>h</th></tr></thead><tbody><tr><td>b</td></tr></tbody>"
	   "<tfoot><tr><td>f</td></tr></tfoot></table>", 0,
	   "<table><caption>c</caption><thead><tr><th>h</th></tr></thead><tbody><tr><td>b</td></tr></tbody>"
	   "<tfoot><tr><td>f</td></tr></tfoot></table>");
	/* Unclosed cells and rows are closed. */
	EQ("<table><tr><td>a<td>b<tr><td>c</table>", 0,
	   "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>");
	/* Table parts out of place keep their text only. */
	EQ("<td>cell</td><tr><td>row</td></tr><li>item</li><dd>dd</dd><col>", 0, "cellrowitemdd");
}
END_TEST

START_TEST(attribute_values_are_checked)
{
	EQ("<td width=\"100\" height=\"50%\" colspan=\"-1\" rowspan=\"2x\">x", 0, "x");
	EQ("<table><tr><td width=\"100\" height=\"50%\" colspan=\"-1\" rowspan=\"2x\" bgcolor=\"red;x\""
	   " align=\"center\" valign=\"top bottom\">x</td></tr></table>", 0,
	   "<table><tr><td width=\"100\" height=\"50%\" align=\"center\">x</td></tr></table>");
	EQ("<font color=\"#abc\" size=\"7\" face=\"x&lt;y\">f</font>", 0,
	   "<font color=\"#abc\" size=\"7\">f</font>");
	EQ("<p title=\" spaced \" dir=\"ltr&quot;\">t</p>", 0, "<p title=\" spaced \">t</p>");
}
END_TEST

START_TEST(styles)
{
	EQ("<p style=\"color: red\">x</p>", 0, "<p>x</p>");
	EQ("<p style=\"color: red\">x</p>", 2, "<p style=\"color: red\">x</p>");
	EQ("<p style=\"COLOR:Red;font-weight:bold ; text-align : center;\">x</p>", 2,
	   "<p style=\"color: Red; font-weight: bold; text-align: center\">x</p>");
	EQ("<p style=\"color: rgb(255, 0, 0) !important; background-color: #fff\">x</p>", 2,
	   "<p style=\"color: rgb(255, 0, 0); background-color: #fff\">x</p>");
	EQ("<p style=\"font-family: 'Arial', sans-serif; font-size: x-large\">x</p>", 2,
	   "<p style=\"font-family: &#39;Arial&#39;, sans-serif; font-size: x-large\">x</p>");
	EQ("<p style=\"margin: 0 auto; padding: 10px 5%; border: 1px solid #ccc\">x</p>", 2,
	   "<p style=\"margin: 0 auto; padding: 10px 5%; border: 1px solid #ccc\">x</p>");
	/* Each of these declarations is dropped, the rest kept. */
	EQ("<p style=\"color: red; background-image: url(http://evil.example/a.png)\">x</p>", 2,
	   "<p style=\"color: red\">x</p>");
	EQ("<p style=\"color: blue; width: expression(alert(1))\">x</p>", 2,
	   "<p style=\"color: blue\">x</p>");
	EQ("<p style=\"color: blue; behavior: url(x.htc); -moz-binding: url(x.xml#x)\">x</p>", 2,
	   "<p style=\"color: blue\">x</p>");
	EQ("<p style=\"@import 'x.css'; color: blue\">x</p>", 2, "<p style=\"color: blue\">x</p>");
	EQ("<p style=\"color: re\\64; font-weight: bold\">x</p>", 2,
	   "<p style=\"font-weight: bold\">x</p>");
	EQ("<p style=\"color:/**/red; font-weight: bold\">x</p>", 2,
	   "<p style=\"font-weight: bold\">x</p>");
	EQ("<p style=\"background: javascript:alert(1); color: blue\">x</p>", 2,
	   "<p style=\"color: blue\">x</p>");
	EQ("<p style=\"position: absolute; top: 0; z-index: 9; color: blue\">x</p>", 2,
	   "<p style=\"color: blue\">x</p>");
	EQ("<p style=\"margin-top: -500px; color: blue\">x</p>", 2, "<p style=\"color: blue\">x</p>");
	EQ("<p style=\"color: rgb(url(x)); color: calc(1px); font-family: 'a\">x</p>", 2, "<p>x</p>");
	EQ("<p style=\"color: red\x01; font-weight: bold\">x</p>", 2,
	   "<p style=\"font-weight: bold\">x</p>");
	EQ("<p style=\"color: r&#xe9;d\">x</p>", 2, "<p>x</p>");
	EQ("<p style=\"\">x</p><p style=\";;;\">y</p>", 2, "<p>x</p><p>y</p>");
}
END_TEST

START_TEST(images)
{
	const char *in = "<p><img src=\"http://tracker.example/p.gif\" alt=\"Banner\" width=\"1\">"
	                 "<img src=\"https://cdn.example/a.png\"></p>";

	EQ(in, 0, "<p>Banner</p>");
	ck_assert_uint_eq(res.remote_blocked, 2);
	ck_assert_uint_eq(res.removed, 0);
	EQ(in, 1, "<p><img src=\"http://tracker.example/p.gif\" alt=\"Banner\" width=\"1\">"
	          "<img src=\"https://cdn.example/a.png\"></p>");
	ck_assert_uint_eq(res.remote_blocked, 0);
	/* cid: through the caller's map, percent-decoded; without one, dropped. */
	EQ("<img src=\"cid:logo@emak.se\" alt=\"Logo\" border=\"0\" onerror=\"x\">", 4,
	   "<img src=\"" CID_PREFIX "logo@emak.se\" alt=\"Logo\" border=\"0\">");
	ck_assert_uint_eq(res.removed, 1);
	EQ("<img src=\"CID:a%40b%2Fc\">", 4, "<img src=\"" CID_PREFIX "a@b/c\">");
	EQ("<img src=\"cid:logo@emak.se\" alt=\"Logo\">", 0, "Logo");
	EQ("<img src=\"cid:\" alt=\"e\"><img src=\"cid:a%00b\" alt=\"n\"><img src=\"cid:a%0ab\" alt=\"l\">", 4, "enl");
	/* Refused schemes are counted as removed content. */
	EQ("<img src=\"javascript:alert(1)\" alt=\"j\"><img src=\"data:image/png;base64,AAAA\" alt=\"d\">"
	   "<img src=\"vbscript:x\"><img src=\"file:///etc/passwd\">", 5, "jd");
	ck_assert_uint_eq(res.removed, 4);
	ck_assert_uint_eq(res.remote_blocked, 0);
	EQ("<img src=\"x\" alt=\"relative\"><img alt=\"none\"><img srcset=\"http://e.example/a 1x\">", 5,
	   "relativenone");
	ck_assert_uint_eq(res.removed, 0);
}
END_TEST

static const char *no_cid(void *arg, const char *cid)
{
	(void)arg;
	return strcmp(cid, "evil") == 0 ? "javascript:alert(1)" : NULL;
}

START_TEST(cid_map_is_checked_too)
{
	struct sanitize_opts o;
	static const char in[] = "<img src=\"cid:evil\" alt=\"e\"><img src=\"cid:none\" alt=\"n\">";

	memset(&o, 0, sizeof(o));
	o.cid_url = no_cid;
	ck_assert_int_eq(sanitize_html(arena, in, strlen(in), &o, &res), 0);
	ck_assert_str_eq(res.html.html, "en");
}
END_TEST

/* ------------------------------------------------------------ hostile mail */

START_TEST(scripts_are_dropped_with_their_content)
{
	EQ("<p>a<script>alert(1)</script>b</p>", 0, "<p>ab</p>");
	ck_assert_uint_eq(res.removed, 1);
	EQ("<SCRIPT>alert(1)</SCRIPT><ScRiPt src=\"http://e.example/x.js\"></sCrIpT><p>x</p>", 0,
	   "<p>x</p>");
	ck_assert_uint_eq(res.removed, 2);
	EQ("<script>document.write('<p>in script</p>')</script><p>after</p>", 0, "<p>after</p>");
	EQ("<scr<script>ipt>alert(1)</script>", 0, "ipt&gt;alert(1)");
	EQ("<script>/*</script><p>after</p>", 0, "<p>after</p>");
}
END_TEST

START_TEST(event_handlers_are_dropped)
{
	EQ("<p onclick=\"alert(1)\" ONMOUSEOVER=\"a()\" OnFocus='b()' onerror=c>x</p>", 0, "<p>x</p>");
	ck_assert_uint_eq(res.removed, 4);
	EQ("<b/onmouseover=alert(1)>b</b>", 0, "<b>b</b>");   /* libxml2: a bogus attribute */
	EQ("<body onload=\"alert(1)\"><p>x</p></body>", 0, "<p>x</p>");
	ck_assert_uint_eq(res.removed, 1);
	EQ("<img src=x onerror=alert(1)>", 7, "");
	ck_assert_uint_eq(res.removed, 1);
	EQ("<IMG SRC=\"x\" ONERROR=\"alert(1)\" alt=\"a\">", 7, "a");
	EQ("<img src=x:alert(alt) onerror=eval(src) alt=0>", 7, "0");
	ck_assert_uint_eq(res.removed, 2);
}
END_TEST

START_TEST(javascript_urls_in_every_spelling)
{
	static const char *const hrefs[] = {
		"javascript:alert(1)", "JaVaScRiPt:alert(1)", "java&#x09;script:alert(1)",
		"java&#x0A;script:alert(1)", "java&#13;script:alert(1)", "  javascript:alert(1)",
		"&#x20;javascript:alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)",
		"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
		"&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
		"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)",
		"jav&#x61;script:alert(1)", "\x01javascript:alert(1)", "javascript&colon;alert(1)",
		"vbscript:msgbox(1)", "VBScript:x", "data:text/html;base64,PHNjcmlwdD4=",
		"DATA:text/html,<script>alert(1)</script>", "file:///etc/passwd", "cid:part",
		"jar:http://x!/", "view-source:http://x", "about:blank", "ftp://x/", "intent://x",
	};
	char in[512];
	size_t i;

	for (i = 0; i < sizeof(hrefs) / sizeof(hrefs[0]); i++) {
		snprintf(in, sizeof(in), "<a href=\"%s\">x</a>", hrefs[i]);
		ck_assert_msg(strcmp(san(in, 7), "<a rel=\"noopener noreferrer\" target=\"_blank\">x</a>") == 0,
		              "%s: %s", hrefs[i], res.html.html);
		snprintf(in, sizeof(in), "<a href='%s'>x</a><a href=%s>y</a>", hrefs[i], hrefs[i]);
		san(in, 7);
	}
	EQ("<a href=javascript:alert(1)>u</a>", 0, "<a rel=\"noopener noreferrer\" target=\"_blank\">u</a>");
	ck_assert_uint_eq(res.removed, 1);
	/* The first of two hrefs is the one a browser reads. */
	EQ("<a href=\"javascript:alert(1)\" href=\"https://example.com/\">d</a>", 0,
	   "<a rel=\"noopener noreferrer\" target=\"_blank\">d</a>");
}
END_TEST

START_TEST(foreign_content_is_dropped)
{
	EQ("<p>a</p><svg onload=\"alert(1)\"><script>alert(2)</script><a xlink:href=\"javascript:x\">"
	   "<text>t</text></a></svg><p>b</p>", 0, "<p>a</p><p>b</p>");
	ck_assert_uint_ge(res.removed, 2);
	EQ("<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math><p>b</p>", 0, "<p>b</p>");
	EQ("<svg><foreignObject><p onclick=\"x\">fo</p></foreignObject></svg>", 0, "");
}
END_TEST

START_TEST(active_elements_are_dropped)
{
	EQ("<p>a</p><iframe src=\"http://e.example/\">f</iframe><object data=\"x\"><p>o</p></object>"
	   "<embed src=\"x\"><applet code=\"x\">a</applet><p>b</p>", 0, "<p>a</p><p>b</p>");
	ck_assert_uint_eq(res.removed, 4);
	EQ("<form action=\"http://e.example/\"><p>f</p><input name=\"pw\" type=\"password\">"
	   "<button>b</button><textarea>t</textarea><select><option>o</option></select></form><p>b</p>", 0,
	   "<p>b</p>");
	EQ("<input type=\"image\" src=\"http://e.example/i.png\"><p>after input</p>", 0,
	   "<p>after input</p>");
	EQ("<meta http-equiv=\"refresh\" content=\"0; url=http://e.example/\"><p>r</p>", 0, "<p>r</p>");
	ck_assert_uint_eq(res.removed, 1);
	EQ("<base href=\"http://e.example/\"><p><a href=\"x\">l</a></p>", 0,
	   "<p><a rel=\"noopener noreferrer\" target=\"_blank\">l</a></p>");
	ck_assert_uint_eq(res.removed, 1);
	EQ("<link rel=\"stylesheet\" href=\"http://e.example/s.css\"><style>@import 'x';</style><p>s</p>", 0,
	   "<p>s</p>");
	ck_assert_uint_eq(res.removed, 0);
	EQ("<noscript><p>n</p></noscript><template><p>t</p></template><p>x</p>", 0, "<p>x</p>");
	EQ("<p>a<embed src=\"x\">b<wbr>c<keygen>d</p>", 0, "<p>ab<wbr>cd</p>");
	EQ("<video src=\"http://e.example/v.mp4\" poster=\"http://e.example/p.png\"></video>"
	   "<audio src=\"x\"></audio><p>m</p>", 0, "<p>m</p>");
}
END_TEST

START_TEST(comments_and_cdata_are_dropped)
{
	EQ("<p>a<!-- c <script>alert(1)</script> -->b</p>", 0, "<p>ab</p>");
	EQ("<p>a<!--[if IE]><script>alert(1)</script><![endif]-->b</p>", 0, "<p>ab</p>");
	EQ("<p>a<![CDATA[<script>alert(1)</script>]]>b</p>", 0, "<p>a&lt;![CDATA[]]&gt;b</p>");
	EQ("<p>a<?php echo 1 ?>b</p>", 0, "<p>ab</p>");
}
END_TEST

START_TEST(broken_markup)
{
	EQ("<P>Mixed <B>Case <I>tags</b></i></p>", 0, "<p>Mixed <b>Case <i>tags</i></b></p>");
	EQ("<b><i>misnested</b></i>", 0, "<b><i>misnested</i></b>");
	EQ("<div><p>unclosed<div>more", 0, "<div><p>unclosed</p><div>more</div></div>");
	EQ("<p title=\"</p><script>alert(1)</script>\">t</p>", 0,
	   "<p title=\"&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">t</p>");
	EQ("<p align=center title=a\"b>u</p>", 0, "<p align=\"center\" title=\"a&quot;b\">u</p>");
	EQ("<a href=https://example.com/?a=1&b=2 title=x>q</a>", 0,
	   "<a href=\"https://example.com/?a=1&amp;b=2\" title=\"x\" rel=\"noopener noreferrer\" target=\"_blank\">q</a>");
	EQ("<p>a</p><img src=\"x\" onerror=\"alert(1)\"\n<p>b</p>", 0, "<p>a</p>b");
}
END_TEST

START_TEST(no_nesting_that_breaks_out)
{
	EQ("<a href=\"https://e.example/1\">o <a href=\"https://e.example/2\">i</a></a>", 0,
	   "<a href=\"https://e.example/1\" rel=\"noopener noreferrer\" target=\"_blank\">o </a>"
	   "<a href=\"https://e.example/2\" rel=\"noopener noreferrer\" target=\"_blank\">i</a>");
	EQ("<a href=\"https://e.example/1\">o <div><a href=\"https://e.example/2\">i</a></div></a>", 0,
	   "<a href=\"https://e.example/1\" rel=\"noopener noreferrer\" target=\"_blank\">o <div>i</div></a>");
	EQ("<h1>a<h2>b</h2></h1>", 0, "<h1>ab</h1>");
	EQ("<h1>a<span><h2>b</h2></span></h1>", 0, "<h1>a<span>b</span></h1>");
	EQ("<table><table><tr><td>t</td></tr></table></table>", 0,
	   "<table><tr><td>t</td></tr></table>");
	EQ("<table><div>d</div><tr><td>x</td></tr></table>", 0,
	   "<table>d<tr><td>x</td></tr></table>");
	EQ("<table><colgroup>text<col span=\"2\"></colgroup></table>", 0,
	   "<table><colgroup><col span=\"2\"></colgroup></table>");
}
END_TEST

START_TEST(clobbering_attributes_are_dropped)
{
	EQ("<p id=\"csrf\" name=\"n\" class=\"alert\" role=\"alert\" data-x=\"y\" tabindex=\"1\""
	   " contenteditable=\"true\" hidden xmlns=\"http://www.w3.org/1999/xhtml\">x</p>", 0,
	   "<p>x</p>");
	ck_assert_uint_eq(res.removed, 0);
}
END_TEST

/* ------------------------------------------------------------ bytes */

START_TEST(nul_bytes_and_invalid_utf8)
{
	static const char nul[] = "<p>a\0b<scr\0ipt>x</script></p>";

	ck_assert_str_eq(san_n(nul, sizeof(nul) - 1, 0), "<p>ab</p>");
	EQ("<p>\xff\xfe \xc3\x28 \xe2\x82 \xed\xa0\x80</p>", 0,
	   "<p>\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd( \xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd</p>");
	EQ("<p title=\"\xff\">\x01\x1b\x7f</p>", 0, "<p title=\"\xef\xbf\xbd\">\x7f</p>");
	EQ("<a href=\"https://example.com/\xff\">u</a>", 0,
	   "<a href=\"https://example.com/\xef\xbf\xbd\" rel=\"noopener noreferrer\" target=\"_blank\">u</a>");
	/* A UTF-16 byte order mark is not obeyed. */
	ck_assert_str_eq(san_n("\xff\xfe<\0p\0>\0x\0", 10, 0), "<p>\xef\xbf\xbd\xef\xbf\xbd</p><p>x</p>");
}
END_TEST

/* ------------------------------------------------------------ bounds */

static char *repeat(const char *head, const char *unit, size_t times, const char *tail, size_t *len)
{
	size_t hn = strlen(head), un = strlen(unit), tn = strlen(tail), i;
	char *s = malloc(hn + un * times + tn + 1), *p;

	ck_assert_ptr_nonnull(s);
	memcpy(s, head, hn);
	for (p = s + hn, i = 0; i < times; i++, p += un)
		memcpy(p, unit, un);
	memcpy(p, tail, tn + 1);
	*len = hn + un * times + tn;
	return s;
}

static size_t count(const char *s, const char *needle)
{
	size_t k = 0;

	for (; (s = strstr(s, needle)); s++)
		k++;
	return k;
}

START_TEST(deep_nesting_is_cut)
{
	size_t n;
	char *in = repeat("", "<div>", 100000, "deep", &n);

	san_n(in, n, 0);
	ck_assert_int_eq(res.truncated, 1);
	ck_assert_uint_eq(count(res.html.html, "<div>"), SANITIZE_EMIT_MAX);
	ck_assert_uint_eq(count(res.html.html, "</div>"), SANITIZE_EMIT_MAX);
	free(in);
	in = repeat("", "<b><i>", 50000, "x", &n);
	san_n(in, n, 0);
	ck_assert_int_eq(res.truncated, 1);
	free(in);
	/* Stray end tags at the deepest level still allowed. */
	in = repeat("<b><b><b><b><b><b><b><b><b><b><b><b><b><b><b><b>", "</i>", 100000, "", &n);
	san_n(in, n, 0);
	ck_assert_str_eq(res.html.html, "<b><b><b><b><b><b><b><b><b><b><b><b><b><b><b><b>"
	                                "</b></b></b></b></b></b></b></b></b></b></b></b></b></b></b></b>");
	free(in);
}
END_TEST

START_TEST(deep_output_is_flattened)
{
	size_t n;
	char *in = repeat("", "<span>", 300, "text", &n);

	san_n(in, n, 0);
	ck_assert_int_eq(res.truncated, 0);
	ck_assert_uint_eq(count(res.html.html, "<span>"), SANITIZE_EMIT_MAX);
	ck_assert_ptr_nonnull(strstr(res.html.html, "text"));
	free(in);
}
END_TEST

START_TEST(huge_input_is_bounded)
{
	size_t n;
	char *in = repeat("<div>", "<p>x &amp; <b>y</b></p>", 300000, "</div>", &n);

	san_n(in, n, 0);
	ck_assert_int_eq(res.truncated, 1);
	ck_assert_uint_le(res.html.len, SANITIZE_OUT_MAX + 4096);
	ck_assert_uint_gt(res.html.len, SANITIZE_OUT_MAX);
	free(in);
	/* Many attributes in one tag: the first ones count, quickly. */
	in = repeat("<p title=\"t\"", " a=\"1\"", 100000, ">x</p>", &n);
	ck_assert_str_eq(san_n(in, n, 0), "<p title=\"t\">x</p>");
	free(in);
	in = repeat("<p", " onclick=\"x\"", 100000, " title=\"late\">x</p>", &n);
	ck_assert_str_eq(san_n(in, n, 0), "<p>x</p>");
	free(in);
	/* A long text of entities and a long unterminated attribute. */
	in = repeat("<p>", "&amp;", 200000, "", &n);
	ck_assert_uint_eq(strlen(san_n(in, n, 0)), 3 + 5 * 200000 + 4);
	free(in);
	in = repeat("<a href=\"", "x", 1000000, "", &n);
	san_n(in, n, 0);
	free(in);
}
END_TEST

START_TEST(memory_limit_is_an_error)
{
	struct arena *small = arena_new(1024);
	size_t n;
	char *in = repeat("", "<p>text</p>", 1000, "", &n);

	ck_assert_int_eq(sanitize_html(small, in, n, NULL, &res), -1);
	ck_assert_uint_eq(res.html.len, 0);
	ck_assert_str_eq(res.html.html, "");
	arena_free(small);
	free(in);
}
END_TEST

START_TEST(libxml2_is_left_as_found)
{
	htmlDocPtr doc;
	static const char page[] = "<p>one<p>two";

	san("<p>x<script>y</script></p>", 0);
	doc = htmlReadMemory(page, sizeof(page) - 1, NULL, "UTF-8",
	                     HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	ck_assert_ptr_nonnull(doc);
	ck_assert_ptr_nonnull(xmlDocGetRootElement(doc));
	ck_assert_str_eq((const char *)xmlDocGetRootElement(doc)->name, "html");
	xmlFreeDoc(doc);
}
END_TEST

/* ------------------------------------------------------------ the samples */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	ck_assert_msg(f != NULL, "%s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	s = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	s[n] = '\0';
	*len = (size_t)n;
	return s;
}

/* Every sample under every option set: html_check passes (in san_n); the
 * hostile ones report removed content; newsletter.html keeps its text. */
START_TEST(hostile_samples)
{
	const char *src = getenv("QA_SRCDIR");
	char dir[4096], path[8192];
	struct dirent *de;
	DIR *d;
	int files = 0;
	unsigned bits;

	snprintf(dir, sizeof(dir), "%s/tests/data/html", src ? src : ".");
	ck_assert_msg((d = opendir(dir)) != NULL, "%s", dir);
	while ((de = readdir(d))) {
		size_t n, l = strlen(de->d_name);
		char *in;

		if (l < 6 || strcmp(de->d_name + l - 5, ".html"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		in = read_file(path, &n);
		for (bits = 0; bits < 8; bits++) {
			san_n(in, n, bits);
			if (strcmp(de->d_name, "newsletter.html") && strcmp(de->d_name, "unquoted.html") &&
			    strcmp(de->d_name, "nested-tables.html") && strcmp(de->d_name, "comments.html") &&
			    strcmp(de->d_name, "css.html") && strcmp(de->d_name, "cdata.html"))
				ck_assert_msg(res.removed > 0, "%s: nothing removed", de->d_name);
		}
		free(in);
		files++;
	}
	closedir(d);
	ck_assert_int_ge(files, 20);
}
END_TEST

START_TEST(newsletter_keeps_its_content)
{
	const char *src = getenv("QA_SRCDIR");
	char path[4096];
	const char *out;
	size_t n;
	char *in;

	snprintf(path, sizeof(path), "%s/tests/data/html/newsletter.html", src ? src : ".");
	in = read_file(path, &n);
	out = san_n(in, n, 6);
	ck_assert_uint_eq(res.removed, 0);
	ck_assert_uint_eq(res.remote_blocked, 2);
	ck_assert_ptr_nonnull(strstr(out, "<h1 style=\"font-size: 22px\">Hej Lars!</h1>"));
	ck_assert_ptr_nonnull(strstr(out, "<p>V\xc3\xa4lkommen till v\xc3\xa5rt nyhetsbrev \xe2\x80\x93 "
	                                  "h\xc3\xa4r \xc3\xa4r <b>veckans</b> <i>nyheter</i>.</p>"));
	ck_assert_ptr_nonnull(strstr(out, "<img src=\"" CID_PREFIX "logo@emak.se\" alt=\"Emak\" width=\"120\""));
	ck_assert_ptr_nonnull(strstr(out, "<a href=\"https://www.emak.se/nyheter?id=1&amp;utm_source=mail\""
	                                  " rel=\"noopener noreferrer\" target=\"_blank\">webbplats</a>"));
	ck_assert_ptr_nonnull(strstr(out, "<p>Banner</p>"));
	ck_assert_ptr_null(strstr(out, "Nyhetsbrev"));       /* the title */
	ck_assert_ptr_null(strstr(out, "tracker"));
	free(in);
}
END_TEST

static Suite *sanitize_suite(void)
{
	Suite *s = suite_create("sanitize");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, formatting_is_kept);
	tcase_add_test(tc, text_is_escaped);
	tcase_add_test(tc, document_parts_are_unwrapped);
	tcase_add_test(tc, links);
	tcase_add_test(tc, tables);
	tcase_add_test(tc, attribute_values_are_checked);
	tcase_add_test(tc, styles);
	tcase_add_test(tc, images);
	tcase_add_test(tc, cid_map_is_checked_too);
	tcase_add_test(tc, scripts_are_dropped_with_their_content);
	tcase_add_test(tc, event_handlers_are_dropped);
	tcase_add_test(tc, javascript_urls_in_every_spelling);
	tcase_add_test(tc, foreign_content_is_dropped);
	tcase_add_test(tc, active_elements_are_dropped);
	tcase_add_test(tc, comments_and_cdata_are_dropped);
	tcase_add_test(tc, broken_markup);
	tcase_add_test(tc, no_nesting_that_breaks_out);
	tcase_add_test(tc, clobbering_attributes_are_dropped);
	tcase_add_test(tc, nul_bytes_and_invalid_utf8);
	tcase_add_test(tc, deep_nesting_is_cut);
	tcase_add_test(tc, deep_output_is_flattened);
	tcase_add_test(tc, huge_input_is_bounded);
	tcase_add_test(tc, memory_limit_is_an_error);
	tcase_add_test(tc, libxml2_is_left_as_found);
	tcase_add_test(tc, hostile_samples);
	tcase_add_test(tc, newsletter_keeps_its_content);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(sanitize_suite)
