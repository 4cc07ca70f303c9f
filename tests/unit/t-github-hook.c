/* t-github-hook.c: the webhook's signature check on GitHub's published test vector, and --github patterns. */
#include <string.h>

#include "tap.h"
#include "../../cli/cli.h"
#include "../../gitd/github.h"
#include "../../lib/banned.h"

/* Unit tests link every object but the command table's own file. */
const struct cmd commands[] = { { NULL, NULL, NULL, NULL } };
const struct cmd *current_cmd(void)
{
	return commands;
}

/* GitHub's documented example ("Validating webhook deliveries"). */
static const char secret[] = "It's a Secret to Everybody";
static const char payload[] = "Hello, World!";
static const char good[] =
	"sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

static int sig_ok(const char *header)
{
	return github_signature_ok(secret, strlen(secret), payload, strlen(payload), header);
}

static void signatures(void)
{
	char buf[sizeof(good)];

	ok(sig_ok(good), "GitHub's test vector verifies");
	ok(!github_signature_ok(secret, strlen(secret), "Hello, World?", 13, good),
	   "the same signature over a body changed by one byte does not");
	ok(!github_signature_ok("It's a secret to everybody", 26, payload, strlen(payload), good),
	   "nor under another secret");
	memcpy(buf, good, sizeof(good));
	buf[sizeof(good) - 2] = '6';
	ok(!sig_ok(buf), "a signature with its last digit changed is refused");
	memcpy(buf, good, sizeof(good));
	buf[sizeof(good) - 2] = '\0';
	ok(!sig_ok(buf), "a truncated signature (63 digits) is refused");
	ok(!sig_ok("sha256="), "an empty digest is refused");
	ok(!sig_ok("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
	   "a digest without sha256= is refused");
	ok(!sig_ok("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
	   "another algorithm's prefix is refused");
	ok(!sig_ok("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1700"),
	   "a digest with digits added is refused");
	ok(!sig_ok("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1g"),
	   "a digest with a digit that is not hex is refused");
	ok(!sig_ok(NULL), "no header is refused");
	/* Hex names the same bytes in either case: the digest is compared, not its spelling. */
	ok(sig_ok("sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17"),
	   "upper-case hex of the right digest verifies");
	ok(!sig_ok("SHA256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
	   "the prefix is lower case, as GitHub sends it");
	ok(!github_signature_ok("", 0, payload, strlen(payload), good), "an empty secret does not verify");
}

static void patterns(void)
{
	ok(!github_pattern_check("my-org/hw1-{github}"), "GitHub Classroom's naming is a pattern");
	ok(!github_pattern_check("my-org/{github}"), "the login alone is a pattern");
	ok(github_pattern_check("my-org/hw1"), "a pattern without {github} is refused");
	ok(github_pattern_check("hw1-{github}"), "a pattern without ORG/ is refused");
	ok(github_pattern_check("{github}/hw1"), "{github} as the organisation is refused");
	ok(github_pattern_check("my-org/{github}-{github}"), "{github} twice is refused");
	ok(github_pattern_check("my-org/hw 1-{github}"), "a space is refused");
	ok(github_pattern_check("a/b/{github}"), "two slashes are refused");
	{
		char longest[200] = "o/";

		memset(longest + 2, 'x', 61);
		memcpy(longest + 63, "{github}", 9);
		ok(!github_pattern_check(longest), "61 letters and a 39-letter login fit in 100");
		memset(longest + 2, 'x', 62);
		memcpy(longest + 64, "{github}", 9);
		ok(github_pattern_check(longest), "one more and a long login would not: refused");
	}
}

int main(void)
{
	signatures();
	patterns();
	return done_testing();
}
