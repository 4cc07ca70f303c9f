/* t-enter.c: which commands a step may run without the shell, and their words; GOMEMLIMIT. */
#include <string.h>

#include "tap.h"
#include "../../runner/enter.h"
#include "../../lib/banned.h"

static char store[256];
static char *argv[8];

static int words(const char *cmd)
{
	return enter_plain_words(cmd, store, sizeof(store), argv, 8);
}

int main(void)
{
	is_int(words("cc -O2 -o hello hello.c"), 5, "a compiler line is plain");
	is_str(argv[0], "cc", "first word");
	is_str(argv[4], "hello.c", "last word");
	ok(argv[5] == NULL, "argv ends with NULL");
	is_int(words("  ./hello\t--n=3  "), 2, "blanks around and between words are dropped");
	is_str(argv[1], "--n=3", "an = after the first word is literal");
	is_int(words("python3 -m pytest -q tests/test_x.py"), 5, "dots, dashes and slashes are literal");
	is_int(words("java -cp .:lib/a.jar Main"), 4, "colons are literal");
	is_int(words("make CFLAGS=-O2 all"), 3, "an assignment argument to make is literal");

	is_int(words(""), 0, "nothing to run goes to the shell");
	is_int(words("   "), 0, "only blanks go to the shell");
	is_int(words("CC=gcc make"), 0, "a leading assignment goes to the shell");
	is_int(words("cd src"), 0, "a builtin that changes the shell goes to the shell");
	is_int(words("true"), 0, "builtins run as the shell runs them");
	is_int(words("echo hi"), 0, "echo is the shell's own");
	is_int(words("if"), 0, "reserved words go to the shell");
	is_int(words("echo $HOME"), 0, "expansion goes to the shell");
	is_int(words("ls *.c"), 0, "globs go to the shell");
	is_int(words("ls ~"), 0, "tilde goes to the shell");
	is_int(words("./a < in.txt"), 0, "redirection goes to the shell");
	is_int(words("make && ./a"), 0, "lists go to the shell");
	is_int(words("./a | head"), 0, "pipes go to the shell");
	is_int(words("echo 'a b'"), 0, "quotes go to the shell");
	is_int(words("./a \\n"), 0, "backslashes go to the shell");
	is_int(words("./a # note"), 0, "comments go to the shell");
	is_int(words("./a\n./b"), 0, "a second line goes to the shell");
	is_int(words("./a; ./b"), 0, "a semicolon goes to the shell");
	is_int(words("(./a)"), 0, "subshells go to the shell");
	is_int(words("a b c d e f g h i"), 0, "more words than argv holds go to the shell");
	{
		char big[300];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		is_int(words(big), 0, "more text than the store holds goes to the shell");
	}
	{
		char env[ENTER_GOMEMLIMIT_MAX];

		enter_gomemlimit(env, (rlim_t)512 << 20);
		is_str(env, "GOMEMLIMIT=460MiB", "GOMEMLIMIT is nine tenths of the memory limit, in MiB");
		enter_gomemlimit(env, (rlim_t)256 << 20);
		is_str(env, "GOMEMLIMIT=230MiB", "rounded down");
		enter_gomemlimit(env, (rlim_t)1 << 50);
		is_str(env, "GOMEMLIMIT=966367641MiB", "a large limit is written whole");
		enter_gomemlimit(env, 1);
		is_str(env, "GOMEMLIMIT=0MiB", "less than a MiB is 0");
	}
	return done_testing();
}
