/* cli.h: what the `lifebelt` subcommands share: the table, options, opening the database. */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stdint.h>

struct buf;
struct db;

struct cmd {
	const char *name;       /* "course add": words the user types */
	int (*fn)(int argc, const char **argv);  /* argv[0] is the first argument after the name */
	const char *usage;      /* "COURSE" */
	const char *help;       /* one paragraph for `lifebelt help CMD` */
};

/* The subcommand table, terminated by a zero row; defined in lifebelt.c. */
extern const struct cmd commands[];
/* "1.0" or, built from git, what `git describe` says ("1.0-12-g3f2a9c1"). */
extern const char lifebelt_version[];

/*
 * One option of a command. Strings options take a value ("--name N" or
 * "--name=N"); flags (value == NULL) set *flag.
 */
struct opt {
	const char *name;       /* without the leading "--" */
	const char **value;
	int *flag;
};

/*
 * Split argv into options and positional arguments. Unknown options,
 * missing values and a wrong number of positionals (min..max) are reported
 * in one line naming the culprit and the usage; returns 0 or -1.
 */
int parse_args(const struct cmd *c, int argc, const char **argv, const struct opt *opts,
	       const char **pos, int min, int max);
/* The table row for the running command (for usage lines). */
const struct cmd *current_cmd(void);

/* Open LIFEBELT_HOME's database for writing, or report and return -1. */
int cli_open_db(struct db **db);
/* Open it read-only (for reports). */
int cli_open_db_readonly(struct db **db);
struct person;
struct assignment;
/*
 * Check login, open the database for writing and look the person up; on any
 * failure print one line ("no person with login 'x'") and return -1 with
 * nothing left open. On success release p and close *db when done.
 */
int cli_open_person(const char *login, struct db **db, struct person *p);
/*
 * Check the names, open the database (for writing when writable, else
 * read-only) and look the assignment course/name up; on failure print one
 * line and return -1 with nothing left open. On success release a and
 * close *db when done.
 */
int cli_open_assignment(const char *course, const char *name, int writable, struct db **db,
			struct assignment *a);
/* Parse an ISO 8601 time or report "bad value for --OPT". */
int cli_time(const char *opt, const char *s, int64_t *out);

/* Parse a number from lo to hi or report "bad value for OPT: 'S' (a number from LO to HI)". */
int cli_number(const char *opt, const char *s, double lo, double hi, double *out);

/*
 * Who runs this command, for the logs of changes: "LOGIN via ssh" when
 * the SSH command layer (gitd/remote.c) runs it for LOGIN, else "USER on
 * the server" (sudo's user first).
 */
void cli_actor(struct buf *out);

/* --grace-days N (0 to 365) and --counts RULE, or one line saying what is wrong. */
int cli_grace_days(const char *s, int64_t *days);
int cli_counts(const char *s, int *rule);

/* Subcommands, one file per concern. */
int cmd_init(int argc, const char **argv);
int cmd_course_add(int argc, const char **argv);
int cmd_course_edit(int argc, const char **argv);
int cmd_override(int argc, const char **argv);
int cmd_recount(int argc, const char **argv);
int cmd_student_add(int argc, const char **argv);
int cmd_teacher_add(int argc, const char **argv);
int cmd_key_add(int argc, const char **argv);
int cmd_token(int argc, const char **argv);
int cmd_roster_import(int argc, const char **argv);
int cmd_import_github_classroom(int argc, const char **argv);
int cmd_assignment_add(int argc, const char **argv);
int cmd_extend(int argc, const char **argv);
int cmd_assignment_list(int argc, const char **argv);
int cmd_assignment_show(int argc, const char **argv);
int cmd_assignment_edit(int argc, const char **argv);
int cmd_me(int argc, const char **argv);
int cmd_config(int argc, const char **argv);
int cmd_submissions(int argc, const char **argv);
int cmd_grades(int argc, const char **argv);
int cmd_status(int argc, const char **argv);
int cmd_serve(int argc, const char **argv);
int cmd_shell(int argc, const char **argv);
int cmd_keys(int argc, const char **argv);
int cmd_keys_command(int argc, const char **argv);
int cmd_runner(int argc, const char **argv);
int cmd_regrade(int argc, const char **argv);
int cmd_tests_repo(int argc, const char **argv);
int cmd_github_tests(int argc, const char **argv);
int cmd_try(int argc, const char **argv);
int cmd_node_exec(int argc, const char **argv);
int cmd_github_app(int argc, const char **argv);
int cmd_image_add(int argc, const char **argv);
int cmd_image_list(int argc, const char **argv);
int cmd_image_rm(int argc, const char **argv);

/*
 * 0 if the spec in tests_dir names no image or one the database has; else
 * -1 after one line naming the spec and listing the images there are.
 */
int image_spec_check(struct db *db, const char *tests_dir);
/* 0 if the database has an image called name; else -1 after one line beginning with what. */
int image_known(struct db *db, const char *what, const char *name);

struct runner_opts;
/* Fill runner options from --workers and --lease values (NULL: default); reports bad values. */
int runner_opts_parse(const char *workers, const char *lease, struct runner_opts *o);
int cmd_hook(int argc, const char **argv);
int cmd_receipt_verify(int argc, const char **argv);
int cmd_reconcile(int argc, const char **argv);
int cmd_github_secret(int argc, const char **argv);
int cmd_github_link(int argc, const char **argv);
int cmd_github_status(int argc, const char **argv);
int cmd_github_deliveries(int argc, const char **argv);
int cmd_github_token(int argc, const char **argv);
int cmd_github_key(int argc, const char **argv);
int cmd_github_known_hosts(int argc, const char **argv);
int cmd_github_sync(int argc, const char **argv);
/* Not in the table: the build's man page generator (cmd-man.c). */
int cmd_man(int argc, const char **argv);
int cmd_team_add(int argc, const char **argv);
int cmd_team_list(int argc, const char **argv);
int cmd_team_rm(int argc, const char **argv);
int cmd_backup(int argc, const char **argv);
int cmd_restore(int argc, const char **argv);
int cmd_fsck(int argc, const char **argv);

#endif
