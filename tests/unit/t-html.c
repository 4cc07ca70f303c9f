/* t-html.c: the web's escaping module. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "../../lib/buf.h"
#include "../../web/html.h"
#include "../../lib/banned.h"

static struct buf out = BUF_INIT;

static const char *txt(const char *s)
{
	buf_reset(&out);
	html_txt(&out, s);
	return out.buf;
}

static const char *term(const char *s)
{
	buf_reset(&out);
	html_term(&out, s, strlen(s));
	return out.buf;
}

static const char *url(const char *s)
{
	buf_reset(&out);
	html_url_arg(&out, s);
	return out.buf;
}

int main(void)
{
	is_str(txt("plain text"), "plain text", "plain text is unchanged");
	is_str(txt("<script>alert('x')</script>"),
	       "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", "tags and quotes are escaped");
	is_str(txt("a & \"b\""), "a &amp; &quot;b&quot;", "ampersand and double quote");
	is_str(txt("line\r\n\ttab"), "line\r\n\ttab", "CR, LF and tab are kept");
	is_str(txt("nul\x01here"), "nul\xef\xbf\xbdhere", "control characters are replaced");
	is_str(txt("caf\xc3\xa9 \xe2\x9c\x93"), "caf\xc3\xa9 \xe2\x9c\x93", "valid UTF-8 is kept");
	is_str(txt("bad\xff\xc3("), "bad\xef\xbf\xbd\xef\xbf\xbd(", "invalid UTF-8 is replaced");
	is_str(txt("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "surrogates are invalid");
	is_str(txt("\xc0\xbc"), "\xef\xbf\xbd\xef\xbf\xbd", "an overlong '<' is not let through");
	buf_reset(&out);
	html_attr(&out, "\" onmouseover=\"x");
	is_str(out.buf, "&quot; onmouseover=&quot;x", "attribute quotes are escaped");
	buf_reset(&out);
	html_ntxt(&out, "<ab>", 2);
	is_str(out.buf, "&lt;a", "html_ntxt stops at n bytes");

	is_str(term("\x1b[31mred\x1b[0m ok"), "red ok", "colour codes are removed");
	is_str(term("\x1b[1;32m<b>\x1b[m"), "&lt;b&gt;", "colour codes removed, the rest escaped");
	is_str(term("\x1b]0;title\x07" "after"), "after", "OSC title (BEL) is removed");
	is_str(term("\x1b]8;;http://x\x1b\\link"), "link", "OSC hyperlink (ST) is removed");
	is_str(term("a\x1b" "cb"), "ab", "two-byte escape is removed");
	is_str(term("cut\x1b[31"), "cut", "a truncated sequence at the end is dropped");
	is_str(term("\x1b"), "", "a lone ESC is dropped");

	is_str(url("abc-_.~XYZ09"), "abc-_.~XYZ09", "unreserved characters are kept");
	is_str(url("a b/../?&=#\"<"), "a%20b%2F..%2F%3F%26%3D%23%22%3C", "the rest is percent-encoded");
	is_str(url("\xc3\xa9"), "%C3%A9", "UTF-8 bytes are percent-encoded");

	buf_reset(&out);
	html_raw(&out, "<p>");
	html_rawf(&out, "%d</p>", 42);
	is_str(out.buf, "<p>42</p>", "raw output is as given");

	{
		static const double v[] = { 0, 1, -1, 7, 10, 999999, -999999, 1e6, -1e6, 0.5,
					    2.25, 1e-7, 123456.5, -0.0, 1e300, INFINITY, -INFINITY, NAN };
		char want[64];
		size_t i;
		int same = 1;

		for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
			buf_reset(&out);
			html_num(&out, v[i]);
			snprintf(want, sizeof(want), "%g", v[i]);
			if (strcmp(out.buf, want)) {
				printf("# html_num(%g): '%s'\n", v[i], out.buf);
				same = 0;
			}
		}
		ok(same, "html_num writes what %%g does, whole numbers, fractions, -0, huge, NaN");
	}
	buf_release(&out);
	return done_testing();
}
