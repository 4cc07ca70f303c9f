/* html.h: every byte sent to a browser goes through here (cgit's html.c). */
#ifndef WEB_HTML_H
#define WEB_HTML_H

#include <stddef.h>
#include <string.h>

#include "../lib/buf.h"

/*
 * Append a literal of the program's own (tags, fixed words). Never pass
 * data from the database, git or the request here. Inline, so that a
 * literal's length is known when compiling: pages are mostly literals.
 */
static inline void html_raw(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}
/*
 * A number as printf's %g writes it: whole numbers below a million (most
 * points and scores) without printf, which costs more than the rest of a
 * table row.
 */
void html_num(struct buf *b, double v);
/* html_raw() with a format; the arguments must be numbers or literals too. */
void html_rawf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Append s as a text node: & < > " ' are escaped, control characters other
 * than tab, CR and LF become U+FFFD, invalid UTF-8 bytes too.
 */
void html_txt(struct buf *b, const char *s);
/* The first n bytes of s as a text node. */
void html_ntxt(struct buf *b, const char *s, size_t n);
/*
 * Append program output (test output, build logs, diffs) as a text node:
 * terminal escape sequences (colours, cursor moves, OSC titles) are
 * removed first, then the rest goes through html_txt().
 */
void html_term(struct buf *b, const char *s, size_t n);
/* Append s for use inside a double-quoted attribute value. */
void html_attr(struct buf *b, const char *s);
/* Append s percent-encoded for one URL path segment or query value. */
void html_url_arg(struct buf *b, const char *s);

#endif
