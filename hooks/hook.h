/* hook.h: git's server-side hooks, entered when the binary runs as hooks/NAME. */
#ifndef HOOKS_HOOK_H
#define HOOKS_HOOK_H

#include <stdint.h>

#include "../db/model.h"
#include "../lib/buf.h"

/* Busy timeout of a hook's connection: long enough for a rush, short enough to spool. */
#define HOOK_BUSY_TIMEOUT_MS 5000
/* A hook closing the last connection checkpoints the WAL from this many pages on. */
#define HOOK_WAL_PAGES 100

/* What every hook knows once it has found its repository. */
struct hook_ctx {
	int64_t now;            /* a push's receive time: when it reached Lifebelt (see hook.c) */
	struct db *db;          /* NULL when the database cannot be used (post-receive spools) */
	int db_error;           /* then why: DB_EFULL for a full disk, else DB_EBUSY */
	struct repo_info repo;  /* the repository being pushed to, with its owner (db only) */
	struct assignment a;    /* its assignment (db only) */
	const char *relpath;    /* COURSE/NAME/LOGIN.git */
	char course[65], name[65], login[65];  /* from relpath, known even without the db */
	const char *via;        /* ssh, http or local (LIFEBELT_VIA) */
	const char *pusher;     /* LIFEBELT_LOGIN from the transport, or NULL */
	struct buf updates;     /* git's "OLD NEW REF" lines from stdin */
};

/* Is name (the basename of argv[0]) one of Lifebelt's hooks? */
int hook_is_hook(const char *name);
/* Run hook name with git's arguments; returns the process exit code. */
int hook_main(const char *name, int argc, const char **argv);
/*
 * What hook_main() does once it knows the hook: read git's ref updates,
 * find the repository and the database, then run(). Lets a program link
 * one hook without the libraries of the others.
 */
int hook_enter(int (*run)(struct hook_ctx *h));
/* One line to the student's terminal (git shows it as "remote: ..."); 0, or -1 once they are gone. */
int hook_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Refuse what the course's rules forbid; the exit code (1 refuses the whole push). */
int hook_pre_receive(struct hook_ctx *h);
/* Record pushes to the graded branch (or spool them); the exit code. */
int hook_post_receive(struct hook_ctx *h);

/* The value of push option i (GIT_PUSH_OPTION_i), or NULL past the last. */
const char *hook_push_option(int i);

/*
 * The hooks of an assignment's tests repository (tests-hook.c, in the
 * lifebelt binary only: see gitd/tests.h). post: 0 for pre-receive, which
 * refuses tests that are not a valid spec; 1 for post-receive, which
 * installs them and, with `git push -o regrade`, requeues every student's
 * latest submission. Returns the exit code.
 */
int hook_tests(int post);
/* Is the working directory a tests repository (git runs hooks in the repository)? 1 or 0. */
int hook_in_tests_repo(void);

/* The longest wait=SECONDS a push may ask for; a bad value of it. */
#define HOOK_WAIT_MAX 3600
#define HOOK_OPTION_BAD (-2)
/*
 * The push's `git push -o wait` (0) or `-o wait=SECONDS` (the seconds),
 * the last one given; -1 when there is neither or it is not valid.
 */
int64_t hook_wait_option(void);
/* Did the push say `git push -o submit` (choose the pushed submission)? 1 or 0. */
int hook_submit_option(void);
/* One line for each push option that is unknown or bad (ignored: the push goes on). */
void hook_check_push_options(void);
/*
 * The graded branch ("refs/heads/main") into out: from the database or,
 * without it, from the repository's HEAD (which provisioning points at it).
 */
void hook_graded_ref(const struct hook_ctx *h, struct buf *out);
/*
 * `git push -o wait`: follow job_id until it has a verdict, printing the
 * progress and each test's verdict, for at most the assignment's job time
 * limit plus a margin, or seconds if that is less (0: no less). Never
 * changes the job. 0, or -1 when the database failed.
 */
int hook_wait(struct hook_ctx *h, int64_t job_id, int64_t seconds);

#endif
