/* t-compare.c: output comparison and the short diff. */
#include <string.h>

#include "tap.h"
#include "../../runner/compare.h"
#include "../../runner/spec.h"
#include "../../lib/buf.h"
#include "../../lib/banned.h"

static int cmp(int cmp, const char *expected, const char *actual)
{
	struct compare_how how = { cmp, 0, 0 };

	return compare_output(&how, expected, actual, strlen(actual));
}

/* cmp() with ignore_case and a tolerance. */
static int cmp_how(int cmp, int ignore_case, double tolerance, const char *expected, const char *actual)
{
	struct compare_how how = { cmp, ignore_case, tolerance };

	return compare_output(&how, expected, actual, strlen(actual));
}

static void diff(struct buf *b, int cmp, int ignore_case, const char *expected, const char *actual)
{
	struct compare_how how = { cmp, ignore_case, 1e-6 };

	buf_reset(b);
	compare_diff(b, &how, expected, actual, strlen(actual));
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

	diff(&b, CMP_EXACT, 0, "one\ntwo\nthree", "one\n2\nthree");
	is_str(b.buf, "line 2:\n- expected: two\n+ got:      2", "the diff names the first differing line");
	diff(&b, CMP_EXACT, 0, "one\ntwo", "one");
	is_str(b.buf, "line 2:\n- expected: two\n+ got:      (no line)", "a missing line is shown");
	diff(&b, CMP_EXACT, 1, "One\ntwo", "one\nTWO\n3");
	is_str(b.buf, "line 3:\n- expected: (no line)\n+ got:      3", "ignore_case: the diff skips case");

	is_int(cmp_how(CMP_EXACT, 1, 0, "Hello World", "hello WORLD\n"), 1, "ignore_case: exact");
	is_int(cmp_how(CMP_EXACT, 1, 0, "Hello World", "hello  WORLD"), 0, "ignore_case keeps spaces");
	is_int(cmp_how(CMP_INCLUDED, 1, 0, "WORLD", "hello world"), 1, "ignore_case: included");
	is_int(cmp_how(CMP_REGEX, 1, 0, "^hello w", "HELLO World"), 1, "ignore_case: regex");
	is_int(cmp_how(CMP_REGEX, 0, 0, "^hello w", "HELLO World"), 0, "regex is case-sensitive by default");
	is_int(cmp_how(CMP_EXACT, 1, 0, "\xc3\xa9", "\xc3\x89"), 0, "ignore_case folds ASCII only");

	is_int(cmp(CMP_WHITESPACE, "a b\nc", "  a\t\tb c\r\n\n"), 1, "whitespace: runs are equal");
	is_int(cmp(CMP_WHITESPACE, "a b c", "a bc"), 0, "whitespace: a missing space splits no word");
	is_int(cmp(CMP_WHITESPACE, "a b", "a b c"), 0, "whitespace: an extra word fails");
	is_int(cmp(CMP_WHITESPACE, "", " \n "), 1, "whitespace: nothing equals blanks");
	is_int(cmp_how(CMP_WHITESPACE, 1, 0, "A  b", "a B"), 1, "whitespace with ignore_case");
	is_int(cmp(CMP_WHITESPACE, "1.0", "1.00"), 0, "whitespace compares numbers as text");
	diff(&b, CMP_WHITESPACE, 0, "a b\nc d", "a b\nc e");
	is_str(b.buf, "word 4 (line 2 of the output):\n- expected: d\n+ got:      e", "whitespace: the word diff");
	diff(&b, CMP_WHITESPACE, 0, "a b", "a");
	is_str(b.buf, "word 2:\n- expected: b\n+ got:      (no more words)", "a missing word is shown");

	is_int(cmp_how(CMP_NUMBERS, 0, 1e-6, "x = 3.1415926", "x =  3.14159265"), 1, "numbers within the tolerance");
	is_int(cmp_how(CMP_NUMBERS, 0, 1e-3, "1.0", "1.001"), 1, "numbers: at the absolute tolerance");
	is_int(cmp_how(CMP_NUMBERS, 0, 1e-3, "1.0", "1.0011"), 0, "numbers: just past it");
	is_int(cmp_how(CMP_NUMBERS, 0, 1e-6, "1e9", "1000000999"), 1, "numbers: the tolerance is relative too");
	is_int(cmp_how(CMP_NUMBERS, 0, 1e-6, "1e9", "1000001001"), 0, "numbers: relative, just past it");
	is_int(cmp_how(CMP_NUMBERS, 0, 0, "2", "2.0"), 1, "numbers: 2 is 2.0 with no tolerance");
	is_int(cmp_how(CMP_NUMBERS, 0, 1, "x 1", "X 1"), 0, "numbers: other words exactly");
	is_int(cmp_how(CMP_NUMBERS, 1, 1, "x 1", "X 1.5"), 1, "numbers: with ignore_case");
	is_int(cmp_how(CMP_NUMBERS, 0, 1, "16", "0x10"), 0, "numbers: hex is no number");
	is_int(cmp_how(CMP_NUMBERS, 0, 1e300, "1", "nan"), 0, "numbers: nan is no number");
	is_int(cmp_how(CMP_NUMBERS, 0, 1e300, "1", "inf"), 0, "numbers: inf is no number");
	is_int(cmp_how(CMP_NUMBERS, 0, 1e300, "1", "1e999"), 0, "numbers: an overflow is no number");
	is_int(cmp_how(CMP_NUMBERS, 0, 0.5, "-.5", "-0.7"), 1, "numbers: signs and a bare point");
	is_int(cmp_how(CMP_NUMBERS, 0, 0.5, "5", "5."), 1, "numbers: a trailing point");
	is_int(cmp_how(CMP_NUMBERS, 0, 0.5, "5", "5e"), 0, "numbers: an exponent needs digits");
	diff(&b, CMP_NUMBERS, 0, "x 1.5\ny 2", "x 1.5\ny 2.1");
	is_str(b.buf, "word 4 (line 2 of the output):\n- expected: 2\n+ got:      2.1", "numbers: the word diff");
	buf_release(&b);
	/* classroom.yml's graders: trimmed, CRLF kept as it is. */
	is_int(cmp(CMP_EXACT, "a\nb", "a\r\nb\r\n"), 1, "autograding.json: CRLF is LF");
	is_int(compare_output_cr(CMP_EXACT, "a\nb", "a\r\nb\r\n", 6), 0, "classroom.yml: CRLF is not LF");
	is_int(compare_output_cr(CMP_EXACT, "a\r\nb", " a\r\nb\r\n", 7), 1, "but both ends are trimmed");
	is_int(compare_output_cr(CMP_INCLUDED, "b", "a\r\nb", 4), 1, "contains");
	is_int(compare_output_cr(CMP_REGEX, "a.b", "a\rb", 3), 0, "regex: . matches no CR, as in JavaScript");
	is_int(compare_output_cr(CMP_REGEX, "a\\r?$", "x\na\r\n", 5), 1, "regex: the trimmed text");
	return done_testing();
}
