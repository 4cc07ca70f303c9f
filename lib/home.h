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

#endif
