/* t-shell.c: the strict parsing of SSH_ORIGINAL_COMMAND by the forced command. */
#include "tap.h"
#include "../../gitd/shell.h"
#include "../../lib/buf.h"
#include "../../lib/banned.h"

static void accepts(const char *cmd, int want_write, const char *want_path)
{
	struct buf path = BUF_INIT;
	const char *why = NULL;
	int w = -1, rc = shell_parse(cmd, &w, &path, &why);

	ok(!rc && w == want_write && !strcmp(path.buf, want_path), "accepts %s", cmd);
	buf_release(&path);
}

static void refuses(const char *name, const char *cmd, const char *want_why)
{
	struct buf path = BUF_INIT;
	const char *why = NULL;
	int w = -1, rc = shell_parse(cmd, &w, &path, &why);

	ok(rc == -1 && why && strstr(why, want_why) && !path.len && w == -1, "refuses %s", name);
	if (why && !strstr(why, want_why))
		printf("#   why: %s\n", why);
	buf_release(&path);
}

int main(void)
{
	accepts("git-upload-pack 'cs101/hw1'", 0, "cs101/hw1");
	accepts("git-receive-pack 'cs101/hw1'", 1, "cs101/hw1");
	accepts("git-receive-pack '/cs101/hw1/alice.git'", 1, "/cs101/hw1/alice.git");
	/* The path is judged by auth_canonical(), not here. */
	accepts("git-upload-pack '../../etc'", 0, "../../etc");
	accepts("git-upload-pack 'x;id'", 0, "x;id");

	refuses("a shell", "bash", "no shell");
	refuses("an empty command", "", "no shell");
	refuses("a verb alone", "git-upload-pack", "one quoted path");
	refuses("archive", "git-upload-archive 'cs101/hw1'", "git archive --remote");
	refuses("git-lfs-authenticate", "git-lfs-authenticate cs101/hw1 upload",
		"does not store Git LFS files");
	refuses("git-lfs-transfer", "git-lfs-transfer cs101/hw1 upload", "does not store Git LFS");
	refuses("a longer LFS verb", "git-lfs-transferx cs101/hw1 upload", "no shell");
	refuses("git with a space", "git upload-pack 'cs101/hw1'", "no shell");
	refuses("a prefix of a verb", "git-upload-pac 'x'", "no shell");
	refuses("a longer verb", "git-upload-packx 'x'", "no shell");
	refuses("unquoted path", "git-upload-pack cs101/hw1", "one quoted path");
	refuses("half-quoted path", "git-upload-pack 'cs101/hw1", "one quoted path");
	refuses("empty path", "git-upload-pack ''", "empty");
	refuses("a lone quote", "git-upload-pack '", "one quoted path");
	refuses("two spaces", "git-upload-pack  'x'", "one quoted path");
	refuses("a leading -", "git-upload-pack '--help'", "start with '-'");
	refuses("; after", "git-upload-pack 'x'; id", "one quoted path");
	refuses("a newline", "git-upload-pack 'x'\nid", "control characters");
	refuses("a tab", "git-upload-pack\t'x'", "control characters");
	refuses("a quote escape", "git-upload-pack 'x'\\''y'", "quotes");
	refuses("a backslash", "git-upload-pack 'x\\y'", "quotes");
	refuses("a space in the path", "git-upload-pack 'x y'", "spaces");
	refuses("two paths", "git-upload-pack 'x' 'y'", "quotes");
	refuses("non-ASCII", "git-upload-pack 'caf\xc3\xa9'", "characters");
	refuses("DEL", "git-upload-pack 'x\x7f'", "control characters");
	return done_testing();
}
