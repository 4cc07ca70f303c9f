/* t-csv.c: RFC 4180 reading and formula-safe writing. */
#include <string.h>

#include "tap.h"
#include "../../lib/buf.h"
#include "../../lib/csv.h"

static int parse(const char *text, struct csv_row *row, struct csv *c, const char **why)
{
	csv_init(c, text, strlen(text));
	return csv_next(c, row, why);
}

int main(void)
{
	struct csv c;
	struct csv_row row = CSV_ROW_INIT;
	struct buf b = BUF_INIT;
	const char *why = NULL;
	int rc;

	rc = parse("a,b,c\r\n", &row, &c, &why);
	ok(rc == 1 && row.nr == 3, "a plain row has three fields");
	is_str(row.field[2], "c", "CRLF is not part of the last field");
	rc = parse("\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n", &row, &c, &why);
	ok(rc == 1 && row.nr == 3, "quoted fields with commas, quotes and newlines");
	is_str(row.field[0], "x, y", "comma inside quotes");
	is_str(row.field[1], "say \"hi\"", "doubled quote is one quote");
	is_str(row.field[2], "two\nlines", "newline inside quotes");
	is_int(c.line, 3, "line counting follows embedded newlines");
	rc = parse("a,,\n", &row, &c, &why);
	ok(rc == 1 && row.nr == 3 && !*row.field[1] && !*row.field[2], "empty fields are kept");
	rc = parse("\"open,b\n", &row, &c, &why);
	ok(rc == -1 && why && strstr(why, "unterminated"), "an unterminated quote is an error");
	rc = parse("ab\"c,d\n", &row, &c, &why);
	ok(rc == -1, "a quote inside an unquoted field is an error");
	rc = parse("\"a\"b,c\n", &row, &c, &why);
	ok(rc == -1, "text after a closing quote is an error");
	rc = parse("\xEF\xBB\xBFlogin\n\n\nbob\n", &row, &c, &why);
	is_str(row.field[0], "login", "a byte order mark is skipped");
	rc = csv_next(&c, &row, &why);
	ok(rc == 1 && row.line == 4, "blank lines are skipped and the line number is right");
	ok(csv_next(&c, &row, &why) == 0, "end of input");

	csv_add_field(&b, "plain");
	csv_add_field(&b, "with,comma");
	csv_add_field(&b, "=HYPERLINK(\"x\")");
	csv_add_field(&b, "");
	is_str(b.buf, "plain,\"with,comma\",\"'=HYPERLINK(\"\"x\"\")\",", "writer quotes and defuses formulas");
	buf_release(&b);
	csv_row_release(&row);
	return done_testing();
}
