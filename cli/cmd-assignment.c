/* cmd-assignment.c: `lifebelt assignment add` and `lifebelt extend`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "assign.h"
#include "../db/edits.h"
#include "../db/counted.h"
#include "../db/github.h"
#include "../db/model.h"
#include "../gitd/github.h"
#include "../gitd/provision.h"
#include "../gitd/tests.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/fsutil.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/number.h"
#include "../lib/push.h"
#include "../lib/timeutil.h"
#include "../runner/spec.h"
#include "../lib/banned.h"

struct repo_ctx {
	struct db *db;
	struct assignment *a;
	struct provision_undo *undo;
	int made;
};

static int make_repo(const struct person *p, void *data)
{
	struct repo_ctx *ctx = data;
	struct buf rel = BUF_INIT, abs = BUF_INIT;
	int64_t id;
	int rc;

	provision_repo_relpath(&rel, ctx->a->course, ctx->a->name, p->login);
	home_path(&abs, "repos/%s", rel.buf);
	rc = db_repo_add(ctx->db, ctx->a->id, p->id, rel.buf, &id);
	if (rc)
		rc = error("cannot record repository %s", rel.buf);
	else if (!(rc = provision_repo(abs.buf, ctx->a))) {
		provision_undo_add(ctx->undo, abs.buf);
		ctx->made++;
	}
	buf_release(&rel);
	buf_release(&abs);
	return rc;
}

static int dir_arg(const char *opt, const char *dir, char **abs)
{
	if (!fs_is_dir(dir))
		return error("%s '%s' is not a directory", opt, dir);
	*abs = fs_realpath(dir);
	if (!*abs)
		return error_errno("%s '%s'", opt, dir);
	return 0;
}

int assignment_create(struct db *db, struct assignment *a, const char *github,
		      int starter_is_tests, struct provision_undo *undo, int *made, int *mapped)
{
	struct buf tmp = BUF_INIT, final = BUF_INIT, version = BUF_INIT, parent = BUF_INIT;
	struct buf trepo = BUF_INIT;
	struct repo_ctx ctx;
	int rc, ret = -1;

	/* The teacher's material is copied in, so later edits to DIR change nothing by surprise. */
	home_path(&parent, "tests/%s", a->course);
	home_path(&final, "tests/%s/%s", a->course, a->name);
	buf_addf(&tmp, "%s/.%s.tmp.%ld", parent.buf, a->name, (long)getpid());
	if (fs_mkdir_p(parent.buf, 0750)) {
		error_errno("cannot create %s", parent.buf);
		goto done;
	}
	if (!access(final.buf, F_OK)) {
		error("%s already exists; remove it or pick another assignment name", final.buf);
		goto done;
	}
	if (fs_copy_tree(a->tests_dir, tmp.buf))
		goto done;
	provision_undo_add(undo, tmp.buf);
	if (fs_tree_hash(tmp.buf, &version))
		goto done;
	if (rename(tmp.buf, final.buf)) {
		error_errno("cannot move tests into %s", final.buf);
		goto done;
	}
	provision_undo_add(undo, final.buf);
	free(a->tests_dir);
	a->tests_dir = xstrdup(final.buf);
	a->tests_version = xstrdup(version.buf);
	if (starter_is_tests) {
		free(a->starter_dir);
		a->starter_dir = xstrdup(final.buf);
	}

	rc = db_assignment_add(db, a);
	if (rc == DB_EEXISTS)
		error("assignment %s/%s already exists", a->course, a->name);
	if (rc)
		goto done;
	if (github && (rc = db_github_pattern_set(db, a->id, github))) {
		if (rc == DB_EEXISTS)
			error("another assignment already names its repositories %s; give each its own",
			      github);
		goto done;
	}
	ctx.db = db;
	ctx.a = a;
	ctx.undo = undo;
	ctx.made = 0;
	*mapped = 0;
	if (db_course_people(db, a->course_id, ROLE_STUDENT, make_repo, &ctx) ||
	    (github && (*mapped = db_github_map(db, a->id, 0)) < 0))
		goto done;
	*made = ctx.made;
	/* The teacher's tests as a git repository too: clone, edit, push (gitd/tests.h). */
	tests_repo_path(&trepo, a->course, a->name);
	if (provision_tests_repo(trepo.buf, a))
		goto done;
	provision_undo_add(undo, trepo.buf);
	ret = 0;
done:
	buf_release(&tmp);
	buf_release(&trepo);
	buf_release(&final);
	buf_release(&version);
	buf_release(&parent);
	return ret;
}

int cmd_assignment_add(int argc, const char **argv)
{
	const char *pos[2], *tests = NULL, *starter = NULL, *due = NULL, *close = NULL;
	const char *penalty = NULL, *late_days = NULL, *branch = "main", *push_mb = NULL;
	const char *github = NULL, *reveal = NULL, *counts = NULL;
	struct opt opts[] = {
		{ "counts", &counts, NULL },
		{ "tests", &tests, NULL }, { "starter", &starter, NULL }, { "due", &due, NULL },
		{ "close", &close, NULL }, { "late-penalty", &penalty, NULL },
		{ "late-days", &late_days, NULL }, { "branch", &branch, NULL },
		{ "max-push-mb", &push_mb, NULL }, { "github", &github, NULL },
		{ "reveal-after", &reveal, NULL }, { NULL, NULL, NULL }
	};
	struct assignment a;
	struct provision_undo undo = PROVISION_UNDO_INIT;
	struct db *db = NULL;
	int64_t input_mb = PUSH_INPUT_MB;
	int rc, made = 0, mapped = 0, ret = -1, rule = COUNTS_LATEST;

	memset(&a, 0, sizeof(a));
	if (parse_args(current_cmd(), argc, argv, opts, pos, 2, 2) ||
	    name_check("course", pos[0]) || name_check("assignment", pos[1]))
		return -1;
	if (!tests)
		return error("missing --tests DIR (the directory with lifebelt.json)");
	if (!due)
		return error("missing --due TIME (ISO 8601 with an offset, e.g. 2026-12-01T23:59:00+01:00)");
	if (cli_time("--due", due, &a.due) || (close && cli_time("--close", close, &a.close)))
		return -1;
	if (close && a.close < a.due)
		return error("--close %s is before --due %s", close, due);
	if (reveal && cli_time("--reveal-after", reveal, &a.reveal_after))
		return -1;
	if (penalty) {
		if (cli_number("--late-penalty", penalty, 0, 100, &a.late_penalty))
			return -1;
	}
	if (number_arg("--late-days", late_days, 0, 365, &a.late_days) ||
	    number_arg("--max-push-mb", push_mb, 1, PUSH_INPUT_MB_MAX, &input_mb) ||
	    name_check("branch", branch) || (github && github_pattern_check(github)) ||
	    (counts && cli_counts(counts, &rule)))
		return -1;
	if (!close && a.late_days)
		a.close = a.due + a.late_days * TIME_DAY;
	if (dir_arg("--tests", tests, &a.tests_dir) ||
	    (starter && dir_arg("--starter", starter, &a.starter_dir)))
		goto done;
	if (spec_check_dir(a.tests_dir))
		goto done;
	a.course = xstrdup(pos[0]);
	a.name = xstrdup(pos[1]);
	a.branch = xstrdup(branch);
	a.max_input_size = input_mb << 20;
	a.max_file_size = PUSH_FILE_SIZE;
	a.max_files = PUSH_FILES;

	if (cli_open_db(&db))
		goto done;
	rc = db_course_id(db, a.course, &a.course_id);
	if (rc == DB_ENOTFOUND)
		error("no course '%s' (create it with 'lifebelt course add %s')", a.course, a.course);
	if (rc || image_spec_check(db, a.tests_dir))
		goto done;
	{
		struct assignment existing;

		rc = db_assignment_get(db, a.course, a.name, &existing);
		if (!rc) {
			assignment_release(&existing);
			error("assignment %s/%s already exists", a.course, a.name);
			goto done;
		}
		if (rc != DB_ENOTFOUND)
			goto done;
	}
	if (db_begin(db))
		goto done;
	if (assignment_create(db, &a, github, 0, &undo, &made, &mapped) ||
	    (rule != COUNTS_LATEST && db_assignment_set_counts(db, a.id, rule)) || db_commit(db)) {
		db_rollback(db);
		provision_undo_run(&undo);
		goto done;
	}
	{
		struct buf msg = BUF_INIT;

		buf_addf(&msg, "assignment %s/%s created: due ", a.course, a.name);
		time_format(&msg, a.due);
		if (a.close) {
			buf_adds(&msg, ", closes ");
			time_format(&msg, a.close);
		} else {
			buf_adds(&msg, ", never closes");
		}
		buf_addf(&msg, "; %d student repositor%s; a push may carry %lld MiB\n", made,
			 made == 1 ? "y" : "ies", (long long)(a.max_input_size >> 20));
		if (github) {
			buf_addf(&msg, "%d of %d mirror GitHub's %s", mapped, made, github);
			if (mapped < made)
				buf_addf(&msg, "; 'lifebelt github status %s %s' says why the others "
					 "do not", a.course, a.name);
			buf_addch(&msg, '\n');
		}
		fputs(msg.buf, stdout);
		buf_release(&msg);
	}
	provision_undo_release(&undo);
	ret = 0;
done:
	assignment_release(&a);
	db_close(db);
	return ret;
}

int cmd_extend(int argc, const char **argv)
{
	const char *pos[3], *until = NULL;
	struct opt opts[] = { { "until", &until, NULL }, { NULL, NULL, NULL } };
	struct assignment a;
	struct person p;
	struct buf msg = BUF_INIT;
	struct db *db;
	const char *role;
	int64_t t;
	int rc = -1;

	memset(&a, 0, sizeof(a));
	memset(&p, 0, sizeof(p));
	if (parse_args(current_cmd(), argc, argv, opts, pos, 3, 3) ||
	    name_check("course", pos[0]) || name_check("assignment", pos[1]) ||
	    name_check("login", pos[2]))
		return -1;
	if (!until)
		return error("missing --until TIME");
	if (cli_time("--until", until, &t) || cli_open_db(&db))
		return -1;
	rc = db_assignment_get(db, pos[0], pos[1], &a);
	if (rc == DB_ENOTFOUND)
		error("no assignment %s/%s", pos[0], pos[1]);
	if (rc)
		goto done;
	rc = db_person_get(db, pos[2], &p);
	if (!rc && (rc = db_role(db, a.course_id, p.id, &role)) == 0 && strcmp(role, ROLE_STUDENT))
		rc = DB_ENOTFOUND;
	if (rc == DB_ENOTFOUND)
		error("%s is not a student of %s", pos[2], pos[0]);
	if (rc)
		goto done;
	/* The lateness of what the student handed in already follows the new time at once. */
	if ((rc = db_begin(db)))
		goto done;
	if ((rc = db_extension_set(db, a.id, p.id, t)) || (rc = db_late_recompute(db, a.id)) < 0 ||
	    (rc = db_commit(db))) {
		db_rollback(db);
		goto done;
	}
	buf_addf(&msg, "%s has until ", p.login);
	time_format(&msg, t);
	buf_addf(&msg, " for %s/%s", a.course, a.name);
	if (t < a.due)
		buf_adds(&msg, " (earlier than the due time, which still applies)");
	puts(msg.buf);
done:
	assignment_release(&a);
	person_release(&p);
	buf_release(&msg);
	db_close(db);
	return rc ? -1 : 0;
}
