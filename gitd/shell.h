/* shell.h: `lifebelt shell LOGIN`, the forced command of every SSH key. */
#ifndef GITD_SHELL_H
#define GITD_SHELL_H

struct db;
struct buf;

/*
 * Parse an SSH_ORIGINAL_COMMAND. Exactly "git-upload-pack 'PATH'" or
 * "git-receive-pack 'PATH'" is accepted, PATH printable ASCII without
 * quotes, backslashes, spaces or a leading '-'. Sets *want_write (1 for
 * receive-pack) and appends PATH to path. Returns 0, or -1 with *why set to
 * a static one-line reason (nothing printed).
 */
int shell_parse(const char *cmd, int *want_write, struct buf *path, const char **why);

/*
 * Serve one SSH session of login: with no command (cmd NULL) print who they
 * are and what they may reach; a command starting with "lifebelt" is
 * remote_run()'s (remote.h); otherwise parse, authorise and exec git's
 * upload-pack or receive-pack on the repository with LIFEBELT_VIA=ssh and
 * LIFEBELT_LOGIN set. Returns (a process exit code) only when it does not exec.
 */
int shell_run(struct db *db, const char *login, const char *cmd);

/*
 * The whole forced command once its arguments are parsed, shared by
 * `lifebelt shell` and the lean program lifebelt-shell: check login, use
 * home as the data directory when not NULL, open the database read-only
 * and shell_run() $SSH_ORIGINAL_COMMAND (empty or unset: no command).
 * Returns a process exit code when it does not exec. Callers
 * first make errors read "lifebelt:" (log_set_error_word), for their own
 * argument errors too.
 */
int shell_main(const char *home, const char *login);

#endif
