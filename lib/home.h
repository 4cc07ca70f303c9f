/* home.h: the data directory (LIFEBELT_HOME) and the paths inside it. */
#ifndef LIB_HOME_H
#define LIB_HOME_H

struct buf;

/* Where the data directory is when LIFEBELT_HOME is not set. */
#define HOME_DEFAULT "/var/lib/lifebelt"

/*
 * The data directory: $LIFEBELT_HOME, else HOME_DEFAULT, made absolute.
 * The string is owned by this module.
 */
const char *home_dir(void);
/* Use dir as the data directory from now on (hooks find it from their repository). */
void home_set(const char *dir);
/* Append home_dir() + "/" + the formatted relative path. */
void home_path(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Append the server's secret key (home/server.key, raw bytes) to key; 0 or -1.
 * Read from disk once per process (and again after home_set()).
 */
int home_server_key(struct buf *key);

/*
 * 1 if the data directory's file system is out of space as a push sees it
 * (less than PUSH_MIN_FREE left, or no free inode): pushes are refused and
 * no job is claimed until there is room again.
 */
int home_out_of_space(void);
/* What the server says of grading meanwhile (status, push -o wait, the web page). */
#define HOME_GRADING_WAITS "the server is out of disk space; grading waits until there is room"

#endif
