/* t-sshkey.c: public key lines are checked down to the blob's own type. */
#include <string.h>

#include "tap.h"
#include "../../lib/sshkey.h"

int main(void)
{
	/* A real ed25519 key (test data only). */
	const char *good = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZ2M3Z0y3oeQqpL0A0gk4zbp7j6cpG0O5n4Bq1rCj3c alice@laptop\n";
	const char *mismatch = "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIGZ2M3Z0y3oeQqpL0A0gk4zbp7j6cpG0O5n4Bq1rCj3c x";
	struct sshkey k;
	const char *why = NULL;

	ok(!sshkey_parse(&k, good, &why), "a well-formed ed25519 key parses");
	is_str(k.type, "ssh-ed25519", "its type");
	is_str(k.comment, "alice@laptop", "its comment, without the newline");
	ok(!strncmp(k.fingerprint, "SHA256:", 7) && strlen(k.fingerprint) == 50,
	   "a SHA256 fingerprint as ssh-keygen prints it");
	sshkey_release(&k);
	ok(sshkey_parse(&k, mismatch, &why) && strstr(why, "does not match"),
	   "a blob of another type is refused");
	ok(sshkey_parse(&k, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZ2M3Z0y3oeQqpL0A0gk4zbp7j6cp", &why),
	   "a truncated blob is refused");
	ok(sshkey_parse(&k, "ssh-dss AAAAB3NzaC1kc3MAAACBAP", &why), "unknown key types are refused");
	ok(sshkey_parse(&k, "command=\"sh\" ssh-ed25519 AAAA", &why), "options before the key are refused");
	ok(sshkey_parse(&k, "", &why), "an empty line is refused");
	ok(sshkey_parse(&k, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZ2M3Z0y3oeQqpL0A0gk4zbp7j6cpG0O5n4Bq1rCj3c a\"b", &why),
	   "quotes in the comment are refused");
	return done_testing();
}
