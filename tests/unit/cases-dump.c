/*
 * cases-dump: print what the TAP or JUnit parser reads from a report, one
 * line per case ("pass|fail|skip NAME"), then "broken: REASON" if the report
 * as a whole is untrusted; with -v each case's detail follows, indented.
 * Usage: cases-dump [-v] tap|junit FILE. Exit 2 on bad usage, 1 when the
 * JUnit parser finds no report at all.
 */
#include <stdio.h>
#include <string.h>

#include "../../runner/cases.h"
#include "../../lib/buf.h"
#include "../../lib/banned.h"

static void print_detail(const char *d)
{
	const char *p = d, *nl;

	do {
		nl = strchr(p, '\n');
		printf("  | %.*s\n", (int)(nl ? nl - p : (long)strlen(p)), p);
		p = nl + 1;
	} while (nl);
}

int main(int argc, char **argv)
{
	static const char *const state[] = { "pass", "fail", "skip" };
	struct cases c;
	struct buf text = BUF_INIT;
	int i, verbose = argc > 1 && !strcmp(argv[1], "-v"), ret = 0;

	if (argc != 3 + verbose || (strcmp(argv[1 + verbose], "tap") && strcmp(argv[1 + verbose], "junit"))) {
		fprintf(stderr, "usage: cases-dump [-v] tap|junit FILE\n");
		return 2;
	}
	if (buf_read_file(&text, argv[2 + verbose]) < 0) {
		fprintf(stderr, "cases-dump: cannot read %s\n", argv[2 + verbose]);
		return 2;
	}
	memset(&c, 0, sizeof(c));
	if (!strcmp(argv[1 + verbose], "tap"))
		cases_parse_tap(&c, text.buf, text.len);
	else if (cases_parse_junit(&c, text.buf, text.len))
		ret = 1;
	for (i = 0; i < c.nr; i++) {
		printf("%s %s\n", state[c.v[i].state], c.v[i].name);
		if (verbose && c.v[i].detail)
			print_detail(c.v[i].detail);
	}
	if (c.broken)
		printf("broken: %s\n", c.broken);
	cases_release(&c);
	buf_release(&text);
	return ret;
}
