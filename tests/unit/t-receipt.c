/* t-receipt.c: receipts are made, parsed and checked against the server key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "../../cli/cli.h"
#include "../../hooks/receipt.h"
#include "../../lib/buf.h"
#include "../../lib/fsutil.h"
#include "../../lib/home.h"
#include "../../lib/banned.h"

/* Unit tests link every object but the command table's own file. */
const struct cmd commands[] = { { NULL, NULL, NULL, NULL } };
const struct cmd *current_cmd(void)
{
	return commands;
}

static void fill(struct receipt *r)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->course, sizeof(r->course), "cs101");
	snprintf(r->name, sizeof(r->name), "hw1");
	snprintf(r->login, sizeof(r->login), "alice");
	snprintf(r->commit, sizeof(r->commit), "0123456789abcdef0123456789abcdef01234567");
	r->received = 1795863023;
}

int main(void)
{
	char dir[] = "/tmp/t-receipt.XXXXXX";
	struct buf key = BUF_INIT, line = BUF_INIT, other = BUF_INIT;
	struct receipt r, p;
	const char *why;

	if (!mkdtemp(dir))
		return 1;
	home_set(dir);
	home_path(&key, "server.key");
	fs_write_atomic(key.buf, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n",
			65, 0600);

	fill(&r);
	ok(!receipt_make(&line, &r), "a receipt is made");
	is_str(line.buf, "lb1 cs101/hw1 alice 0123456789abcdef0123456789abcdef01234567 "
	       "2026-11-28T10:50:23Z 536909d4fca2bd723e42a1c75dcc7a42", "its line (HMAC as openssl computes it)");
	ok(!receipt_parse(line.buf, &p, &why), "it parses");
	is_str(p.login, "alice", "login");
	is_int(p.received, r.received, "receive time");
	is_int(receipt_check(&p), 1, "and verifies");

	buf_addf(&other, "remote: receipt: %s   \n", line.buf);
	ok(!receipt_parse(other.buf, &p, &why) && receipt_check(&p) == 1,
	   "as git prints it, too");

	fill(&r);
	r.received++;
	buf_reset(&other);
	receipt_make(&other, &r);
	ok(strcmp(other.buf, line.buf), "another receive time, another MAC");

	ok(!receipt_parse(line.buf, &p, &why), "parse again");
	p.mac[0] = p.mac[0] == '0' ? '1' : '0';
	is_int(receipt_check(&p), 0, "a changed MAC fails");
	ok(!receipt_parse(line.buf, &p, &why), "parse again");
	p.commit[39] = '8';
	is_int(receipt_check(&p), 0, "a changed commit fails");

	ok(receipt_parse("lb1 cs101/hw1 alice 0123 2026-11-28T10:50:23Z ab", &p, &why), "short commit");
	ok(receipt_parse("lb2 cs101/hw1 alice", &p, &why), "wrong tag");
	ok(receipt_parse("lb1 cs101hw1 alice 0123456789abcdef0123456789abcdef01234567 "
			 "2026-11-28T10:50:23Z 4f0e6a6fdb0f6f4c70c0b5a44fbd1bdd", &p, &why), "no slash");
	ok(receipt_parse("lb1 cs101/hw1 Alice 0123456789abcdef0123456789abcdef01234567 "
			 "2026-11-28T10:50:23Z 4f0e6a6fdb0f6f4c70c0b5a44fbd1bdd", &p, &why), "bad login");
	ok(receipt_parse("lb1 cs101/hw1 alice 0123456789abcdef0123456789abcdef01234567 "
			 "2026-11-28T10:50:23Z 4f0e6a6fdb0f6f4c70c0b5a44fbd1bdd extra", &p, &why),
	   "trailing words");

	unlink(key.buf);
	rmdir(dir);
	buf_release(&key);
	buf_release(&line);
	buf_release(&other);
	return done_testing();
}
