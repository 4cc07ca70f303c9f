/*
 * cmd-man.c: `lifebelt man`, run by the build: a manual page from its roff
 * source (docs/man/PAGE.in on stdin) and the tables that already hold the
 * text, so a new command, setting or limit cannot be left out of the pages.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../db/model.h"
#include "../lib/buf.h"
#include "../lib/limits.h"
#include "../lib/log.h"
#include "../lib/banned.h"

/*
 * Text from a table as roff, without a newline at its end: `code` becomes
 * bold, where a '-' is a minus (so an option copied from the page works);
 * a backslash is escaped; a line that would start with a control character
 * starts with \& instead. how: ROFF_CODE, the text is code from its start;
 * ROFF_MINUS, every '-' is a minus (a usage line's options).
 */
#define ROFF_CODE 1
#define ROFF_MINUS 2
static void roff_text(struct buf *out, const char *s, int how)
{
	int bol = 1, code = how & ROFF_CODE;

	if (code)
		buf_adds(out, "\\fB");
	for (; *s; s++) {
		if (bol && (*s == '.' || *s == '\''))
			buf_adds(out, "\\&");
		bol = *s == '\n';
		if (*s == '`') {
			code = !code;
			buf_adds(out, code ? "\\fB" : "\\fR");
		} else if (*s == '\\') {
			buf_adds(out, "\\e");
		} else if (*s == '-' && (code || (how & ROFF_MINUS))) {
			buf_adds(out, "\\-");
		} else {
			buf_addch(out, *s);
		}
	}
	if (code)
		buf_adds(out, "\\fR");
}

static void man_commands(struct buf *out)
{
	const struct cmd *c;

	for (c = commands; c->name; c++) {
		buf_adds(out, ".TP\n\\fBlifebelt\\fR ");
		roff_text(out, c->name, ROFF_CODE);
		if (*c->usage) {
			buf_addch(out, ' ');
			roff_text(out, c->usage, ROFF_MINUS);
		}
		buf_addch(out, '\n');
		roff_text(out, c->help, 0);
		buf_addch(out, '\n');
	}
}

/*
 * One setting or limit: its name, its meaning (a sentence, so it gets its
 * full stop), its default and the values it takes (range, may be empty).
 */
static void man_entry(struct buf *out, const char *name, const char *help, const char *def,
		      const char *range)
{
	buf_adds(out, ".TP\n");
	roff_text(out, name, ROFF_CODE);
	buf_addch(out, '\n');
	roff_text(out, help, 0);
	buf_adds(out, ".\n.br\nDefault: ");
	roff_text(out, def, ROFF_CODE);
	buf_addf(out, "%s.\n", range);
}

static void man_settings(struct buf *out)
{
	const struct config_key *k;
	char range[64];

	for (k = config_keys; k->name; k++) {
		if (k->max == CONFIG_NUMBER)
			snprintf(range, sizeof(range), "; a whole number from 1 up");
		else if (k->max)
			snprintf(range, sizeof(range), "; a whole number from 1 to %lld", k->max);
		else
			range[0] = '\0';
		man_entry(out, k->name, k->help, k->def, range);
	}
}

/* The range is the one the spec reader checks (runner/spec.c). */
static void man_limits(struct buf *out)
{
	const struct limit_key *k;
	char range[64];

	for (k = limit_keys; k->name; k++) {
		snprintf(range, sizeof(range), "; a number above 0 and at most %.0f", k->max);
		man_entry(out, k->name, k->help, k->def, range);
	}
}

/* Copy line to out with every @VERSION@ replaced by the version. */
static void man_line(struct buf *out, const char *line, size_t len)
{
	static const char mark[] = "@VERSION@";
	const char *end = line + len, *p;

	while ((p = memmem(line, end - line, mark, sizeof(mark) - 1))) {
		buf_add(out, line, p - line);
		buf_adds(out, lifebelt_version);
		line = p + sizeof(mark) - 1;
	}
	buf_add(out, line, end - line);
	buf_addch(out, '\n');
}

int cmd_man(int argc, const char **argv)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	size_t pos, n;
	int ret = -1;

	(void)argv;
	if (argc)
		return error("usage: lifebelt man < PAGE.in > PAGE (a page's roff source on stdin)");
	if (buf_read_fd(&in, 0))
		return error_errno("man: cannot read the page's source");
	for (pos = 0; pos < in.len; pos += n + 1) {
		const char *line = in.buf + pos, *nl = memchr(line, '\n', in.len - pos);

		n = nl ? (size_t)(nl - line) : in.len - pos;
		if (n == 10 && !memcmp(line, "@COMMANDS@", n))
			man_commands(&out);
		else if (n == 10 && !memcmp(line, "@SETTINGS@", n))
			man_settings(&out);
		else if (n == 8 && !memcmp(line, "@LIMITS@", n))
			man_limits(&out);
		else if (n && line[0] == '@' && line[n - 1] == '@')
			goto bad;
		else
			man_line(&out, line, n);
	}
	if (write(1, out.buf, out.len) != (ssize_t)out.len) {
		error_errno("man: cannot write the page");
		goto done;
	}
	ret = 0;
	goto done;
bad:
	error("man: unknown table %.*s; the tables are @COMMANDS@, @SETTINGS@ and @LIMITS@",
	      (int)n, in.buf + pos);
done:
	buf_release(&in);
	buf_release(&out);
	return ret;
}
