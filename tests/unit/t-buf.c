/* t-buf.c: the growable buffer keeps its invariants. */
#include <stdlib.h>

#include "tap.h"
#include "../../lib/buf.h"

int main(void)
{
	struct buf b = BUF_INIT;
	char *s;
	size_t len;
	int i;

	ok(b.buf && b.buf[0] == '\0' && b.len == 0, "a fresh buffer is an empty string");
	buf_adds(&b, "hello");
	buf_addch(&b, ' ');
	buf_addf(&b, "%s %d", "world", 42);
	is_str(b.buf, "hello world 42", "adds, addch and addf append");
	is_int(b.len, 14, "length is tracked");
	for (i = 0; i < 1000; i++)
		buf_addf(&b, "%04d", i);
	is_int(b.len, 14 + 4000, "grows across many appends");
	ok(b.buf[b.len] == '\0', "stays NUL terminated");
	buf_reset(&b);
	buf_add(&b, "a\0b", 3);
	is_int(b.len, 3, "holds NUL bytes");
	buf_reset(&b);
	buf_adds(&b, "  \t trim me \r\n");
	buf_trim(&b);
	is_str(b.buf, "trim me", "trim removes whitespace at both ends");
	s = buf_detach(&b, &len);
	is_str(s, "trim me", "detach hands over the string");
	ok(b.len == 0 && b.buf[0] == '\0', "detach leaves the buffer empty");
	free(s);
	s = buf_detach(&b, &len);
	ok(s && s[0] == '\0' && len == 0, "detaching an empty buffer gives an empty allocated string");
	free(s);
	buf_release(&b);
	return done_testing();
}
