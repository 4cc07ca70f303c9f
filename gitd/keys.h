/* keys.h: the authorized_keys file that sends every registered key to `lifebelt shell`. */
#ifndef GITD_KEYS_H
#define GITD_KEYS_H

struct db;
struct buf;

/*
 * Append the authorized_keys line for one key of login:
 *   command="/abs/lifebelt-shell --home /abs/home LOGIN",restrict TYPE BLOB
 * The program is lifebelt-shell next to this binary (/proc/self/exe, with
 * "-shell" appended) when it is executable, else "/abs/lifebelt shell";
 * the home is home_dir(), because sshd clears the environment. Returns 0, or -1 (reported) when
 * either path has characters that are unsafe inside a forced command.
 */
int keys_line(struct buf *out, const char *login, const char *type, const char *blob);

/* The file named by the ssh.authorized_keys setting (relative to the data directory). */
void keys_file(struct db *db, struct buf *out);

/*
 * Rewrite the authorized_keys file from the database, atomically (readers
 * see the old or the new file, never a half). *nr (may be NULL) is set to
 * the number of keys written. Returns 0 or -1 (reported).
 */
int keys_write(struct db *db, int *nr);

/*
 * After a command stored keys: rewrite the file, and on failure say that
 * the keys are stored and how to retry. Returns keys_write()'s result.
 */
int keys_sync(struct db *db);

#endif
