/* t-compare.c: output comparison and the short diff. */
#include <string.h>

#include "tap.h"
#include "../../runner/compare.h"
#include "../../runner/spec.h"
#include "../../lib/buf.h"
#include "../../lib/banned.h"

static int cmp(int how, const char *expected, const char *actual)
{
	return compare_output(how, expected, actual, strlen(actual));
}

int main(void)
{
	struct buf b = BUF_INIT;

	compare_normalise(&b, "  a\r\nb\rc \r\n\n", 12);
	is_str(b.buf, "a\nb\rc", "CRLF becomes LF, a lone CR stays, ends trimmed");
	buf_reset(&b);
	compare_normalise(&b, " \n\t ", 4);
	is_str(b.buf, "", "all whitespace normalises to nothing");

	is_int(cmp(CMP_EXACT, "a\nb", "a\r\nb\r\n"), 1, "exact ignores CRLF and trailing newline");
	is_int(cmp(CMP_EXACT, "a\nb", "a\n b"), 0, "exact keeps inner spaces");
	is_int(cmp(CMP_EXACT, "A", "a"), 0, "exact is case-sensitive");
	is_int(cmp(CMP_INCLUDED, "b c", "a b c d"), 1, "included finds a substring");
	is_int(cmp(CMP_INCLUDED, "x", "a b"), 0, "included fails without it");
	is_int(cmp(CMP_INCLUDED, "", "anything"), 1, "empty expected is included in anything");
	is_int(cmp(CMP_REGEX, "^a.c$", "abc\n"), 1, "regex anchors at the ends of the trimmed text");
	is_int(cmp(CMP_REGEX, "^b$", "a\nb\nc"), 0, "^ and $ do not match at line breaks");
	is_int(cmp(CMP_REGEX, "a.b", "a\nb"), 0, "dot does not match a newline");
	is_int(cmp(CMP_REGEX, "\\d+ items", "got 12 items"), 1, "ECMAScript-style classes work");
	is_int(cmp(CMP_REGEX, "(", "x"), -1, "a bad pattern is -1");
	is_int(compare_regex_check("a|b"), 0, "a good pattern checks");
	is_int(compare_regex_check("[a"), -1, "a bad pattern is refused");

	buf_reset(&b);
	compare_diff(&b, "one\ntwo\nthree", "one\n2\nthree", 11);
	is_str(b.buf, "line 2:\n- expected: two\n+ got:      2", "the diff names the first differing line");
	buf_reset(&b);
	compare_diff(&b, "one\ntwo", "one", 3);
	is_str(b.buf, "line 2:\n- expected: two\n+ got:      (no line)", "a missing line is shown");
	buf_release(&b);
	/* classroom.yml's graders: trimmed, CRLF kept as it is. */
	is_int(compare_output(CMP_EXACT, "a\nb", "a\r\nb\r\n", 6), 1, "autograding.json: CRLF is LF");
	is_int(compare_output_cr(CMP_EXACT, "a\nb", "a\r\nb\r\n", 6), 0, "classroom.yml: CRLF is not LF");
	is_int(compare_output_cr(CMP_EXACT, "a\r\nb", " a\r\nb\r\n", 7), 1, "but both ends are trimmed");
	is_int(compare_output_cr(CMP_INCLUDED, "b", "a\r\nb", 4), 1, "contains");
	is_int(compare_output_cr(CMP_REGEX, "a.b", "a\rb", 3), 0, "regex: . matches no CR, as in JavaScript");
	is_int(compare_output_cr(CMP_REGEX, "a\\r?$", "x\na\r\n", 5), 1, "regex: the trimmed text");
	return done_testing();
}
