/* t-remote.c: how `ssh git@host lifebelt ...` is split into words, with no shell. */
#include "tap.h"
#include "../../gitd/remote.h"
#include "../../lib/buf.h"
#include "../../lib/banned.h"

/* cmd splits into the words of want, joined by '|'. */
static void splits(const char *cmd, const char *want)
{
	struct remote_words w;
	struct buf got = BUF_INIT;
	int i, rc = remote_split(cmd, &w);

	for (i = 0; !rc && i < w.nr; i++)
		buf_addf(&got, "%s%s", i ? "|" : "", w.word[i]);
	ok(!rc && !strcmp(got.buf, want), "splits %s", cmd);
	if (rc || strcmp(got.buf, want))
		printf("#   got: %s (rc %d)\n", got.buf, rc);
	buf_release(&got);
}

static void refuses(const char *name, const char *cmd)
{
	struct remote_words w;

	ok(remote_split(cmd, &w) == -1, "refuses %s", name);
}

int main(void)
{
	struct buf big = BUF_INIT;
	int i;

	splits("lifebelt grades cs101 hw1 --csv", "lifebelt|grades|cs101|hw1|--csv");
	splits("  lifebelt   me  ", "lifebelt|me");
	splits("lifebelt x --reason 'the bus; was late'", "lifebelt|x|--reason|the bus; was late");
	splits("lifebelt x \"it's fine\"", "lifebelt|x|it's fine");
	splits("lifebelt x --until=2026-12-01T23:59:00+01:00", "lifebelt|x|--until=2026-12-01T23:59:00+01:00");
	splits("lifebelt x a'b c'd", "lifebelt|x|ab cd");
	splits("lifebelt x ''", "lifebelt|x|");
	splits("lifebelt x caf\xc3\xa9", "lifebelt|x|caf\xc3\xa9");
	splits("", "");

	refuses("a semicolon", "lifebelt grades cs101 hw1; id");
	refuses("$(...)", "lifebelt grades $(id)");
	refuses("$ in quotes", "lifebelt grades \"$(id)\"");
	refuses("backticks", "lifebelt grades `id`");
	refuses("backticks in quotes", "lifebelt grades '`id`'");
	refuses("a backslash", "lifebelt grades cs101\\ hw1");
	refuses("a pipe", "lifebelt grades cs101 hw1 | sh");
	refuses("a redirection", "lifebelt grades cs101 hw1 >x");
	refuses("an ampersand", "lifebelt grades cs101 hw1 &");
	refuses("a glob", "lifebelt grades *");
	refuses("a tilde", "lifebelt grades ~");
	refuses("a newline", "lifebelt grades cs101 hw1\nid");
	refuses("a newline in quotes", "lifebelt grades 'cs101\nid'");
	refuses("a tab", "lifebelt\tgrades");
	refuses("an unclosed quote", "lifebelt grades 'cs101");
	refuses("DEL", "lifebelt grades \x7f");
	for (i = 0; i <= REMOTE_MAX_WORDS; i++)
		buf_adds(&big, "a ");
	refuses("too many words", big.buf);
	buf_reset(&big);
	for (i = 0; i <= REMOTE_MAX_LEN; i++)
		buf_addch(&big, 'a');
	refuses("too long", big.buf);
	buf_release(&big);

	ok(remote_is_lifebelt("lifebelt me"), "lifebelt me is ours");
	ok(remote_is_lifebelt("lifebelt"), "lifebelt alone is ours");
	ok(remote_is_lifebelt("lifebelt;id"), "lifebelt;id is ours, to refuse");
	ok(!remote_is_lifebelt("lifebelt-shell"), "lifebelt-shell is not");
	ok(!remote_is_lifebelt("git-upload-pack 'lifebelt'"), "git is not");
	return done_testing();
}
