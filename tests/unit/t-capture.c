/* t-capture.c: head and tail kept, the middle counted. */
#include <string.h>

#include "tap.h"
#include "../../runner/capture.h"
#include "../../lib/banned.h"

int main(void)
{
	struct capture c;
	struct buf b = BUF_INIT;
	int i;

	capture_init(&c, 8, 0);
	capture_add(&c, "abc", 3);
	capture_text(&c, &b);
	is_str(b.buf, "abc", "short output is kept whole");
	for (i = 0; i < 10; i++)
		capture_add(&c, "0123456789", 10);
	buf_reset(&b);
	capture_text(&c, &b);
	is_str(b.buf, "abc0\n[... 95 bytes elided ...]\n6789", "head and tail with the elided count");
	is_int(c.total, 103, "every byte is counted");
	capture_release(&c);

	capture_init(&c, 8, 1);
	capture_add(&c, "0123456789", 10);
	is_int(c.all.len, 10, "keep_all keeps everything for the comparison");
	capture_release(&c);
	buf_release(&b);
	return done_testing();
}
