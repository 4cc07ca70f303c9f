/*
 * remote.h: `ssh git@HOST lifebelt ...`, Lifebelt's own commands over the
 * forced command (as gitolite serves its own): a teacher's course
 * commands for the courses they teach, and `lifebelt me` for anyone.
 */
#ifndef GITD_REMOTE_H
#define GITD_REMOTE_H

struct db;

#define REMOTE_MAX_LEN 4096     /* bytes of the command */
#define REMOTE_MAX_WORDS 32

struct remote_words {
	const char *word[REMOTE_MAX_WORDS];
	int nr;
	char store[2 * REMOTE_MAX_LEN + 2];
};

/*
 * Split cmd into words as a shell would split a simple command, without
 * one: words are separated by spaces; '...' or "..." quote text with
 * spaces in it. Outside quotes only letters, digits, bytes above 0x7f and
 * . _ : + , = @ / % - are taken; quoted text may hold any printable byte
 * but $, ` and \ (no expansion is ever done, but nothing that looks like
 * one is taken either). 0, or -1 for anything else: a control character
 * (a newline), an unclosed quote, more than REMOTE_MAX_WORDS words or
 * REMOTE_MAX_LEN bytes.
 */
int remote_split(const char *cmd, struct remote_words *w);

/*
 * Is cmd (an SSH_ORIGINAL_COMMAND) addressed to Lifebelt: "lifebelt" alone
 * or followed by anything but a name's letter ("lifebelt;id" is, to be
 * refused by remote_run())?
 */
int remote_is_lifebelt(const char *cmd);

/*
 * Serve cmd for login: "lifebelt help" (or "lifebelt" alone) lists what
 * login may run, "lifebelt help COMMAND" explains one of those; an allowed command is run by exec'ing the lifebelt
 * program (this one, or the one beside lifebelt-shell) with the words as
 * its arguments, no shell, with LIFEBELT_LOGIN=login and LIFEBELT_VIA=ssh,
 * so its output and exit status are the client's. Anything else gets one
 * and the same line. Returns a process exit code when it does not exec.
 */
int remote_run(struct db *db, const char *login, const char *cmd);

#endif
