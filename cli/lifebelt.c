/* lifebelt.c: the `lifebelt` command: subcommand table, help, dispatch. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../db/db.h"
#include "../hooks/hook.h"
#include "../lib/buf.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/push.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

#ifndef LIFEBELT_VERSION
#define LIFEBELT_VERSION "unknown"   /* the Makefile sets it */
#endif
const char lifebelt_version[] = LIFEBELT_VERSION;

static int cmd_version(int argc, const char **argv)
{
	if (parse_args(current_cmd(), argc, argv, NULL, NULL, 0, 0))
		return -1;
	printf("lifebelt version %s\n", lifebelt_version);
	return 0;
}

#define STR_(x) #x
#define STR(x) STR_(x)

const struct cmd commands[] = {
	{ "init", cmd_init, "",
	  "Create the data directory ($LIFEBELT_HOME, default " HOME_DEFAULT ") with its\n"
	  "database, server key and folders. Running it again changes nothing." },
	{ "course add", cmd_course_add, "COURSE [--grace-days N]",
	  "Create a course. --grace-days N gives each student N late days to spend\n"
	  "(default 0): see `course edit`." },
	{ "course edit", cmd_course_edit, "COURSE --grace-days N",
	  "Give each student of COURSE N grace days (0 to 365): each day a counted\n"
	  "submission is late, rounded up, spends one, in the order the assignments\n"
	  "are due, before the late penalty applies. Grades are recomputed at once." },
	{ "student add", cmd_student_add, "COURSE LOGIN [--name N] [--email E] [--key FILE] [--github USER]",
	  "Enrol LOGIN in COURSE as a student, creating the person if new, and make\n"
	  "their repositories for the course's assignments." },
	{ "teacher add", cmd_teacher_add, "COURSE LOGIN [--name N] [--email E] [--key FILE]",
	  "Enrol LOGIN in COURSE as a teacher: they may read every student repository\n"
	  "of the course and see its gradebook." },
	{ "key add", cmd_key_add, "LOGIN FILE",
	  "Register the OpenSSH public key in FILE (one line, as in id_ed25519.pub)\n"
	  "for LOGIN. A key belongs to one person only." },
	{ "token", cmd_token, "LOGIN",
	  "Print a fresh secret for LOGIN's HTTPS pushes and web pages. Only its hash\n"
	  "is stored; the previous secret and personal link stop working." },
	{ "roster import", cmd_roster_import, "COURSE FILE.csv [--teams-for NAME]",
	  "Enrol every student listed in FILE.csv (RFC 4180, header row, columns\n"
	  "login,name,email,ssh_key,github,team; only login is required). A bad row is\n"
	  "reported with its line number and nothing at all is imported. The team\n"
	  "column, with --teams-for NAME, makes the students sharing a value a team of\n"
	  "assignment NAME (as `lifebelt team add`)." },
	{ "team add", cmd_team_add, "COURSE NAME TEAM LOGIN...",
	  "Make the students LOGIN... a team for assignment NAME: one repository,\n"
	  "COURSE/NAME/TEAM, that every member pushes to and fetches, instead of\n"
	  "their own; each member's grade is the team's. Refused for a student in\n"
	  "another team of NAME or one who has already pushed their own work." },
	{ "team list", cmd_team_list, "COURSE NAME",
	  "The teams of an assignment: members and submissions." },
	{ "team rm", cmd_team_rm, "COURSE NAME TEAM",
	  "Undo a team that has handed nothing in: its members get their own\n"
	  "repositories back." },
	{ "import github-classroom", cmd_import_github_classroom, "DIR [--teacher LOGIN] [--dry-run]",
	  "Bring home the folder GitHub Classroom's export utility wrote: each\n"
	  "classroom becomes a course (LOGIN, if given, its teacher), each\n"
	  "assignment an assignment with its deadline and its starter repository as\n"
	  "tests and first commit, each student who accepted it a student (their\n"
	  "GitHub login, in lowercase) whose repository is mirrored with its whole\n"
	  "history, each group of a group assignment a team (named after the group;\n"
	  "the plan says how) with the group's repository, and grades.csv GitHub's\n"
	  "grades, each member's for a group, kept as GitHub's and never regraded.\n"
	  "The whole export is checked before anything is created; --dry-run\n"
	  "prints the plan only; running it again changes nothing." },
	{ "assignment add", cmd_assignment_add,
	  "COURSE NAME --tests DIR [--starter DIR] --due TIME [--close TIME] "
	  "[--late-penalty PCT_PER_DAY] [--late-days N] [--branch main] "
	  "[--max-push-mb " STR(PUSH_INPUT_MB) "] [--github ORG/PATTERN] [--reveal-after TIME] "
	  "[--counts RULE]",
	  "Create an assignment and one bare repository per student at\n"
	  "repos/COURSE/NAME/LOGIN.git, with the starter files as the first commit.\n"
	  "TIME is ISO 8601 with an offset: 2026-12-01T23:59:00+01:00 or ...Z.\n"
	  "Late work is accepted until --close (default: --late-days after --due,\n"
	  "or forever when neither is given) and loses PCT_PER_DAY percent of its\n"
	  "score per started day late. --tests DIR is copied into the data directory.\n"
	  "One push may carry at most --max-push-mb MiB (1 to " STR(PUSH_INPUT_MB_MAX) ").\n"
	  "--github ORG/PATTERN mirrors each student's GitHub repository in by webhook:\n"
	  "{github} in PATTERN becomes the student's GitHub login (the roster's github\n"
	  "column), as in GitHub Classroom's my-org/hw1-{github}; students enrolled or\n"
	  "given a login later are mapped then. `lifebelt github status` lists them.\n"
	  "--reveal-after TIME shows students their hidden tests' output and details\n"
	  "from TIME on (before, only name, verdict and points, as without it).\n"
	  "--counts RULE says which graded submission counts: latest (the default),\n"
	  "best (highest score), best-after-penalty (highest after the late penalty)\n"
	  "or chosen (the one the student marked with `git push -o submit` or a\n"
	  "submit tag; the latest until they choose)." },
	{ "assignment list", cmd_assignment_list, "COURSE",
	  "The assignments of COURSE: due and close times, late penalty and days,\n"
	  "points, tests version, graded branch and number of submissions." },
	{ "assignment show", cmd_assignment_show, "COURSE NAME",
	  "Everything about one assignment, and each change made to it with who made\n"
	  "it and when." },
	{ "assignment edit", cmd_assignment_edit,
	  "COURSE NAME [--due TIME] [--close TIME|never] [--late-penalty PCT_PER_DAY] "
	  "[--late-days N] [--points X|tests] [--branch B] [--tests-version COMMIT]",
	  "Change an assignment; every value is checked first and then all are changed\n"
	  "in one transaction (a close before the due time is refused), each logged with\n"
	  "who and when. Every submission's lateness is worked out again at once.\n"
	  "--late-days N makes the close time N days after the due time; a close time\n"
	  "that came from --late-days moves with --due. --points X scales every score in\n"
	  "the gradebook to X points ('tests': the tests' own total). --tests-version\n"
	  "installs that commit of the tests repository (its branch's history) as the\n"
	  "tests; graded work keeps its scores until `lifebelt regrade`." },
	{ "extend", cmd_extend, "COURSE NAME LOGIN --until TIME",
	  "Give LOGIN until TIME for the assignment: their due and close times both\n"
	  "move to TIME if later." },
	{ "config", cmd_config, "get|set|list [KEY [VALUE]]",
	  "Read or change a server setting; `lifebelt config list` shows them all\n"
	  "with their values and what they mean." },
	{ "submissions", cmd_submissions, "COURSE NAME [LOGIN]",
	  "List the submissions of an assignment, newest first." },
	{ "grades", cmd_grades, "COURSE [NAME] [--csv | --format csv|canvas|moodle]",
	  "The gradebook of an assignment: one row per student, the score of their\n"
	  "submission that counts (see --counts) after grace days, the late policy and\n"
	  "any override (a team's member has the team's). Without NAME, the course's:\n"
	  "every assignment a column, and the total. --csv (--format csv) for a grade\n"
	  "system; --format canvas and --format moodle write the files Canvas's and\n"
	  "Moodle's grade imports read." },
	{ "me", cmd_me, "LOGIN",
	  "What `ssh git@HOST lifebelt me` shows LOGIN: their courses, and in each course\n"
	  "they take every assignment with its times, the score that counts, and each\n"
	  "submission with its lateness, verdict, score and receipt." },
	{ "override", cmd_override,
	  "COURSE NAME LOGIN [--score X] [--waive-penalty] --reason TEXT | --undo",
	  "Change LOGIN's grade by hand: --score X sets it (0 to the assignment's\n"
	  "maximum), --waive-penalty drops the late penalty (and spends no grace day).\n"
	  "Each change is kept with who made it, when and --reason; --undo goes back\n"
	  "to the state before the last one standing. Without options, lists them." },
	{ "recount", cmd_recount, "COURSE NAME",
	  "Recompute every student's counted grade for the assignment from the\n"
	  "graded submissions (they are kept up to date as jobs finish; this is for\n"
	  "after the database was changed by other means)." },
	{ "status", cmd_status, "", "Queue depth and running jobs." },
	{ "backup", cmd_backup, "DIR",
	  "Copy the data directory to DIR (new or empty) while the server runs and\n"
	  "pushes go on: the database through SQLite's online backup, then every\n"
	  "repository (its refs, then the objects they reach), then the tests, keys,\n"
	  "secrets, images and logs, with their modes; DIR/manifest.json, written last,\n"
	  "says when, by which version and how much. Every push acknowledged before\n"
	  "the backup began is in it with its submission." },
	{ "restore", cmd_restore, "DIR [--force]",
	  "Make the data directory ($LIFEBELT_HOME) again from the backup in DIR, with\n"
	  "no server or runner running: into a new or empty directory, or with --force\n"
	  "after setting the present one aside as HOME.before-restore-TIME (nothing is\n"
	  "deleted). Hooks and authorized_keys are made for the new place, jobs that\n"
	  "were being graded are queued again, and pushes newer than the backup's\n"
	  "database are recorded from the repositories' reflogs." },
	{ "fsck", cmd_fsck, "[--repair]",
	  "Check that the database is sound (SQLite's integrity and foreign key checks),\n"
	  "that every repository holds every object its refs reach, that every\n"
	  "submission's commit is in its repository, that every push in a branch's\n"
	  "reflog has its submission, that no job is in a state the queue never makes,\n"
	  "and, with no server running, that nothing waits in the spool and no work\n"
	  "directory is left over. One line per problem, saying what --repair would do\n"
	  "(record the push, queue the job again, remove the directory); exits non-zero\n"
	  "while problems remain. --repair needs the server and runner stopped." },
	{ "serve", cmd_serve, "[--listen ADDR:PORT] [--workers N] [--no-cache]",
	  "Run the server: the web view on ADDR:PORT (default 127.0.0.1:8080) and\n"
	  "N grading workers (default 1; 0 runs none, for a separate `lifebelt runner`).\n"
	  "--no-cache renders every page afresh instead of keeping students'\n"
	  "finished pages until the database changes. Connection caps and the\n"
	  "deadline for a request's header are settings (web.*, see `lifebelt config list`)." },
	{ "runner", cmd_runner, "[--workers N] [--drain] [--lease SECONDS]",
	  "Grade queued submissions in the sandbox with N worker processes (default 1)\n"
	  "until stopped with SIGTERM or Ctrl-C; a job being graded then goes back to\n"
	  "the queue. --drain exits once the queue is empty. A job whose runner stops\n"
	  "answering for SECONDS (default 30) is requeued; after 3 attempts it ends as\n"
	  "infra_error, never as a score. With several workers, each keeps to its own\n"
	  "share of the CPUs, and so do its jobs." },
	{ "regrade", cmd_regrade, "COURSE NAME [LOGIN] [--no-wait]",
	  "Queue the latest submission of every student of the assignment (or only\n"
	  "LOGIN's) to be graded again, e.g. after the tests changed, and show the\n"
	  "progress until the runner has graded them all." },
	{ "tests repo", cmd_tests_repo, "COURSE NAME",
	  "Make the tests repository COURSE/NAME/tests of an assignment created before\n"
	  "Lifebelt kept tests in git, with the installed tests as its first commit\n"
	  "(`assignment add` makes it). Teachers of the course clone it and push to it\n"
	  "over SSH and HTTPS; a push to its main branch is checked as lifebelt.json and\n"
	  "installed as the tests; `git push -o regrade` also regrades every student." },
	{ "try", cmd_try, "TESTS_DIR SUBMISSION_DIR",
	  "Run the tests in TESTS_DIR (lifebelt.json or autograding.json) on the files\n"
	  "in SUBMISSION_DIR in the same sandbox as real submissions, and print every\n"
	  "verdict: check an assignment with a reference solution before publishing." },
	{ "node-exec", cmd_node_exec, "",
	  "On a node of a Slurm cluster, run one job that the runner sends on standard\n"
	  "input (the Slurm executor starts it through srun; never run it by hand):\n"
	  "the steps run in a bubblewrap sandbox on the node, and what they did goes\n"
	  "back on standard output. See docs/admin.md, The Slurm executor." },
	{ "shell", cmd_shell, "[--home DIR] LOGIN",
	  "The SSH forced command of LOGIN's keys (see `lifebelt keys`): serves the\n"
	  "git fetch or push in $SSH_ORIGINAL_COMMAND if LOGIN may reach the\n"
	  "repository; with no command, lists the repositories LOGIN can reach." },
	{ "keys", cmd_keys, "",
	  "Rewrite the authorized_keys file (setting ssh.authorized_keys) from the\n"
	  "registered keys. Adding keys does this already." },
	{ "keys-command", cmd_keys_command, "[--home DIR] USER KEYTYPE KEY",
	  "For sshd's AuthorizedKeysCommand (arguments %u %t %k): print the\n"
	  "authorized_keys line of KEY when USER is the ssh.user account." },
	{ "hook", cmd_hook, "pre-receive|post-receive",
	  "Run one of Lifebelt's git hooks by name, in a student repository, with git's\n"
	  "ref updates on standard input (git runs them itself through core.hooksPath)." },
	{ "receipt verify", cmd_receipt_verify, "LINE",
	  "Check a push receipt (the 'receipt: lb1 ...' line of the push output) against\n"
	  "the server key: it verifies only if this server issued it unchanged." },
	{ "reconcile", cmd_reconcile, "[--grace SECONDS]",
	  "Record pushes that have no submission yet: the spooled ones (written when the\n"
	  "database was unavailable) and any branch tip a push left unrecorded (a killed\n"
	  "hook), with the receive time from the branch's reflog. Pushes younger than\n"
	  "--grace seconds (default 30) are left to their own hook. `lifebelt serve`\n"
	  "does this at start-up and every minute." },
	{ "github secret", cmd_github_secret, "FILE|-",
	  "Keep the shared secret of GitHub's webhook (read from FILE, or from standard\n"
	  "input with -; never from the command line) in the data directory, readable\n"
	  "by the server's account only. GitHub signs every delivery with it; without\n"
	  "it, `lifebelt serve` refuses deliveries to /hooks/github with 503." },
	{ "github link", cmd_github_link, "COURSE NAME LOGIN OWNER/REPO",
	  "Mirror the GitHub repository OWNER/REPO into LOGIN's repository of the\n"
	  "assignment: pushes GitHub reports for OWNER/REPO become LOGIN's submissions.\n"
	  "Replaces what an --github pattern mapped for LOGIN; a GitHub repository\n"
	  "mirrors into one student repository only." },
	{ "github tests", cmd_github_tests, "COURSE NAME OWNER/REPO",
	  "Mirror the GitHub repository OWNER/REPO as the assignment's tests: each push\n"
	  "GitHub reports to its main branch is fetched, checked as lifebelt.json and\n"
	  "installed, as a push to COURSE/NAME/tests is; a refused one shows in\n"
	  "`lifebelt github deliveries` with the field named." },
	{ "github status", cmd_github_status, "COURSE NAME",
	  "Each student of the assignment with their GitHub login, the GitHub\n"
	  "repository mapped to theirs (or why none is, and what to do), the last\n"
	  "delivery GitHub sent for it and the last commit mirrored from it." },
	{ "github deliveries", cmd_github_deliveries, "[--limit N]",
	  "The newest N (default 20) deliveries of GitHub's webhook, newest first: arrival,\n"
	  "delivery id, event, the repository it maps to, status (queued, retry, done,\n"
	  "failed, ignored) and why." },
	{ "github token", cmd_github_token, "FILE|-",
	  "Keep the GitHub token (a fine-grained personal access token with read access\n"
	  "to the students' repositories) that the mirror fetches with over HTTPS, from\n"
	  "FILE or, with '-', from stdin; never from the command line. It is stored 0600\n"
	  "in the data directory and given to GitHub only, as the password of\n"
	  "x-access-token; it is never logged, shown or put in the database." },
	{ "github key", cmd_github_key, "COURSE NAME LOGIN FILE|-",
	  "Keep the private half of the SSH deploy key of LOGIN's GitHub repository for\n"
	  "the assignment (its public half added to that repository on GitHub as a\n"
	  "read-only deploy key). That repository is then fetched over SSH from the\n"
	  "setting github.ssh_url, the server's key checked against the known hosts." },
	{ "github known-hosts", cmd_github_known_hosts, "FILE|-",
	  "Keep the SSH host keys the mirror trusts, as `ssh-keyscan github.com` prints\n"
	  "them (one \"HOST TYPE KEY\" a line; \"[HOST]:PORT\" for another port than 22).\n"
	  "A fetch over SSH from a server whose key is not listed is refused." },
	{ "github sync", cmd_github_sync, "COURSE NAME",
	  "Fetch every student repository of the assignment that is mapped to GitHub now,\n"
	  "and record each branch tip as a submission via GitHub: the first import, or\n"
	  "pushes whose webhook was missed or failed. The receive time is that of the\n"
	  "newest delivery not fetched yet, else now. A line per repository; safe to\n"
	  "run at any time and again: what is recorded already stays as it is." },
	{ "github app", cmd_github_app, "APP_ID KEYFILE|-",
	  "Let Lifebelt act as the GitHub App APP_ID (the number on the App's settings\n"
	  "page), with its private key: the .pem file GitHub made for it, or '-' to read\n"
	  "it from stdin. The key is kept 0600 in the data directory, never shown. The\n"
	  "App needs the permissions Commit statuses (read and write) and Contents (read),\n"
	  "and must be installed on the students' repositories." },
	{ "image add", cmd_image_add, "NAME SOURCE",
	  "Unpack an image for assignments to be graded in (lifebelt.json's \"image\"):\n"
	  "SOURCE is docker-archive:FILE.tar (what docker save writes), oci:DIR[:TAG]\n"
	  "(an OCI layout) or docker://REF (a registry), read with skopeo and umoci.\n"
	  "The tree goes to images/ in the data directory, once per manifest digest.\n"
	  "It must have /bin/sh." },
	{ "image list", cmd_image_list, "",
	  "Each image: name, digest, size, when it was added, the assignments using it." },
	{ "image rm", cmd_image_rm, "NAME",
	  "Forget the image NAME, and remove its tree if no other name stands for it.\n"
	  "Refused while an assignment's lifebelt.json or sandbox.image names it." },
	{ "version", cmd_version, "", "Print Lifebelt's version (also `lifebelt --version`)." },
	{ NULL, NULL, NULL, NULL }
};

static const struct cmd *running;

const struct cmd *current_cmd(void)
{
	return running;
}

static void usage(FILE *out)
{
	int i;

	fprintf(out, "usage: lifebelt COMMAND [ARGS]\n\n"
		"Lifebelt takes students' `git push`es as submissions, grades them in a\n"
		"sandbox and shows the results. Commands:\n\n");
	for (i = 0; commands[i].name; i++)
		fprintf(out, "   lifebelt %s %s\n", commands[i].name, commands[i].usage);
	fprintf(out, "\nThe data directory is $LIFEBELT_HOME (default %s).\n"
		"`lifebelt help COMMAND` or `lifebelt COMMAND --help` tells more about one command;\n"
		"`man lifebelt` tells it all. This is lifebelt version %s.\n", HOME_DEFAULT, lifebelt_version);
}

/* How many leading words of argv name the command c, or 0. */
static int match(const struct cmd *c, int argc, const char **argv)
{
	const char *name = c->name;
	int used = 0;

	while (*name) {
		const char *sp = strchr(name, ' ');
		size_t n = sp ? (size_t)(sp - name) : strlen(name);

		if (used >= argc || strlen(argv[used]) != n || memcmp(argv[used], name, n))
			return 0;
		used++;
		name += n;
		if (*name == ' ')
			name++;
	}
	return used;
}

static const struct cmd *lookup(int argc, const char **argv, int *used)
{
	int i;

	for (i = 0; commands[i].name; i++)
		if ((*used = match(&commands[i], argc, argv)))
			return &commands[i];
	return NULL;
}

static int help(int argc, const char **argv)
{
	const struct cmd *c;
	int used;

	if (!argc) {
		usage(stdout);
		return 0;
	}
	c = lookup(argc, argv, &used);
	if (!c)
		return error("no such command '%s'; see 'lifebelt help'", argv[0]);
	printf("usage: lifebelt %s %s\n\n%s\n", c->name, c->usage, c->help);
	return 0;
}

int main(int argc, const char **argv)
{
	const struct cmd *c;
	const char *base = strrchr(argv[0], '/');
	int used, i;

	/* Installed as a repository's hooks/pre-receive or post-receive (a symlink to us). */
	base = base ? base + 1 : argv[0];
	if (hook_is_hook(base))
		return hook_main(base, argc, argv);
	argc--;
	argv++;
	if (!argc) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[0], "help") || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))
		return help(argc - 1, argv + 1) ? 1 : 0;
	if (!strcmp(argv[0], "--version"))
		argv[0] = "version";
	if (!strcmp(argv[0], "man"))
		return cmd_man(argc - 1, argv + 1) ? 1 : 0;
	c = lookup(argc, argv, &used);
	if (!c) {
		/* "lifebelt course" alone: list the verbs under it. */
		int found = 0;

		for (i = 0; commands[i].name; i++) {
			size_t n = strlen(argv[0]);

			if (!strncmp(commands[i].name, argv[0], n) && commands[i].name[n] == ' ') {
				if (!found++)
					fprintf(stderr, "error: '%s' needs a verb:\n", argv[0]);
				fprintf(stderr, "   lifebelt %s %s\n", commands[i].name, commands[i].usage);
			}
		}
		if (!found)
			error("no such command '%s'; see 'lifebelt help'", argv[0]);
		return 1;
	}
	/* "lifebelt CMD --help" (or -h) anywhere in CMD's arguments: what "lifebelt help CMD" says. */
	for (i = used; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return help(used, argv) ? 1 : 0;
	running = c;
	return c->fn(argc - used, argv + used) ? 1 : 0;
}
