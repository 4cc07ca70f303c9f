/* t-crypto.c: SHA-256, HMAC-SHA-256 and base64 against published test vectors. */
#include <string.h>

#include "tap.h"
#include "../../cli/cli.h"
#include "../../lib/buf.h"
#include "../../lib/crypto.h"
#include "../../lib/banned.h"

/* Unit tests link every object but the command table's own file. */
const struct cmd commands[] = { { NULL, NULL, NULL, NULL } };
const struct cmd *current_cmd(void)
{
	return commands;
}

/* base64 of s decoded, with the bytes it took; NULL when refused. */
static const char *b64(struct buf *b, const char *s)
{
	buf_reset(b);
	buf_adds(b, "x");       /* decoding appends */
	if (crypto_base64_decode(b, s, strlen(s)))
		return b->len == 1 && !strcmp(b->buf, "x") ? NULL : "(changed the buffer)";
	return b->buf + 1;
}

static void base64(void)
{
	struct buf b = BUF_INIT;
	static const char *const bad[] = {
		"Zg=", "Zg", "Z===", "====", "Zg=A", "A=AA", "Zm9v====", "Zm 9", "Zm9\n",
		"Zm9v\nZm9v", " Zm9", "Zm9*", "Zm9v\x80" "AAA", NULL
	};
	int i;

	/* RFC 4648, section 10. */
	is_str(b64(&b, ""), "", "base64: empty");
	is_str(b64(&b, "Zg=="), "f", "base64: f");
	is_str(b64(&b, "Zm8="), "fo", "base64: fo");
	is_str(b64(&b, "Zm9v"), "foo", "base64: foo");
	is_str(b64(&b, "Zm9vYg=="), "foob", "base64: foob");
	is_str(b64(&b, "Zm9vYmE="), "fooba", "base64: fooba");
	is_str(b64(&b, "Zm9vYmFy"), "foobar", "base64: foobar");
	is_str(b64(&b, "+/+/"), "\xfb\xff\xbf", "base64: the last two digits");
	for (i = 0; bad[i]; i++)
		ok(!b64(&b, bad[i]), "base64: bad input %d is refused, the buffer unchanged", i);
	buf_release(&b);
}

int main(void)
{
	struct buf b = BUF_INIT;
	unsigned char key[131];

	crypto_sha256_hex(&b, "abc", 3);
	is_str(b.buf, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "SHA-256 of abc");

	buf_reset(&b);
	memset(key, 0x0b, 20);
	crypto_hmac_hex(&b, key, 20, "Hi There", 8);
	is_str(b.buf, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	       "RFC 4231 test case 1");

	buf_reset(&b);
	crypto_hmac_hex(&b, "Jefe", 4, "what do ya want for nothing?", 28);
	is_str(b.buf, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	       "RFC 4231 test case 2");

	buf_reset(&b);
	memset(key, 0xaa, sizeof(key));
	crypto_hmac_hex(&b, key, sizeof(key), "Test Using Larger Than Block-Size Key - Hash Key First", 54);
	is_str(b.buf, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	       "RFC 4231 test case 6 (a key longer than a block)");

	buf_release(&b);
	base64();
	return done_testing();
}
