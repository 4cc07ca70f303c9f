/* t-number.c: whole numbers within bounds, and the one line a bad one gets. */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "tap.h"
#include "../../lib/number.h"

static FILE *caught;
static int saved_fd = -1;

/* Send stderr to a file until heard() reads it back. */
static void catch_stderr(void)
{
	fflush(stderr);
	caught = tmpfile();
	saved_fd = dup(2);
	dup2(fileno(caught), 2);
}

/* What was said on stderr since catch_stderr(), into msg. */
static void heard(char *msg, size_t n)
{
	size_t len;

	fflush(stderr);
	dup2(saved_fd, 2);
	close(saved_fd);
	rewind(caught);
	len = fread(msg, 1, n - 1, caught);
	msg[len] = '\0';
	fclose(caught);
}

/* number_arg() for --grace with what it says into msg; 1: it succeeded yet left v alone. */
static int said(const char *s, int64_t lo, int64_t hi, char *msg, size_t n)
{
	int64_t v = 7;
	int rc;

	catch_stderr();
	rc = number_arg("--grace", s, lo, hi, &v);
	heard(msg, n);
	return rc || v != 7 ? rc : 1;
}

int main(void)
{
	static const char *const bad[] = {
		"", "-", " 5", "5 ", "+5", "0x10", "5s", "1e3", "1.0", "--5", "9223372036854775808",
		"-9223372036854775809", "99999999999999999999999", NULL
	};
	char msg[256];
	int64_t v = 0;
	int n = 0, i;

	ok(!number_parse("42", 0, 100, &v) && v == 42, "42 is 42");
	ok(!number_parse("0", 0, 100, &v) && v == 0, "the lower bound is in range");
	ok(!number_parse("100", 0, 100, &v) && v == 100, "the upper bound is in range");
	ok(!number_parse("-3", -5, 5, &v) && v == -3, "a negative number where the range allows");
	ok(!number_parse("007", 0, 100, &v) && v == 7, "leading zeros are decimal, not octal");
	ok(!number_parse("9223372036854775807", 0, INT64_MAX, &v) && v == INT64_MAX,
	   "INT64_MAX itself");
	v = 9;
	ok(number_parse("101", 0, 100, &v) && v == 9, "above the range: refused, *out untouched");
	ok(number_parse("-1", 0, 100, &v) && v == 9, "below the range: refused");
	for (i = 0; bad[i]; i++)
		ok(number_parse(bad[i], INT64_MIN, INT64_MAX, &v) && v == 9, "'%s' is refused", bad[i]);

	ok(said("86401", 0, 86400, msg, sizeof(msg)) == -1, "number_arg reports a bad value");
	is_str(msg, "error: bad value for --grace: '86401' (a whole number from 0 to 86400)\n",
	       "in one line naming the option, the value and the range");
	ok(said("12", 0, 86400, msg, sizeof(msg)) == 0 && !*msg, "a good value says nothing");
	ok(said(NULL, 0, 86400, msg, sizeof(msg)) == 1 && !*msg,
	   "an option not given leaves the default");
	ok(!number_arg_int("--workers", "64", 1, 64, &n) && n == 64, "number_arg_int sets an int");
	catch_stderr();
	ok(number_arg_int("--workers", "65", 1, 64, &n) && n == 64, "and refuses past its range");
	heard(msg, sizeof(msg));
	is_str(msg, "error: bad value for --workers: '65' (a whole number from 1 to 64)\n",
	       "saying so in one line");
	return done_testing();
}
