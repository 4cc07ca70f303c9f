/* t-names.c: which names may become paths, URLs and shell words. */
#include "tap.h"
#include "../../lib/names.h"

int main(void)
{
	static const char *const good[] = { "cs101", "hw1", "alice", "john.doe", "a_b-c", "0x", NULL };
	static const char *const bad[] = {
		"", "Alice", "-rf", ".hidden", "a..b", "a/b", "stu2.git", "a b", "a;b", "$(id)",
		"trailing.", "x\n", "\xc3\xa9t\xc3\xa9",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL
	};
	int i;

	for (i = 0; good[i]; i++)
		ok(!name_valid(good[i]), "'%s' is a valid name", good[i]);
	for (i = 0; bad[i]; i++)
		ok(name_valid(bad[i]), "'%s' is refused", bad[i]);
	ok(name_login_reserved("tests") && !name_login_reserved("tester"),
	   "the login tests is reserved for the tests repository, and only it");
	ok(!github_name_valid("Octo-Cat"), "GitHub names allow capitals and dashes");
	ok(github_name_valid("-x") && github_name_valid("a--b") && github_name_valid("a_b"),
	   "GitHub names refuse leading, double dashes and underscores");
	return done_testing();
}
