/* t-verdict.c: the name table of verdicts, statuses and states, and the schema that stores them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "../../db/db.h"
#include "../../lib/buf.h"
#include "../../lib/fsutil.h"
#include "../../lib/verdict.h"

static char dir[] = "/tmp/lifebelt-t-verdict.XXXXXX";

/* Every word parses back to its value, and the words are distinct. */
static void round_trips(void)
{
	int i;

	for (i = 1; i < VERDICT_NR; i++)
		ok(*verdict_name(i) && verdict_parse(verdict_name(i)) == (enum verdict)i,
		   "verdict %d (%s) round-trips", i, verdict_name(i));
	for (i = 1; i < STATUS_NR; i++)
		ok(*job_status_name(i) && job_status_parse(job_status_name(i)) == (enum job_status)i,
		   "status %d (%s) round-trips", i, job_status_name(i));
	for (i = 1; i < JOB_NR; i++)
		ok(*job_state_name(i) && job_state_parse(job_state_name(i)) == (enum job_state)i,
		   "state %d (%s) round-trips", i, job_state_name(i));
	is_str(verdict_name(VERDICT_PASS), "pass", "the stored words stay as they are");
	is_str(job_status_name(STATUS_BUILD_FAILED), "build_failed", "a status word");
	is_str(job_state_name(JOB_INFRA_ERROR), "infra_error", "a state word");
}

/* A word from the database this binary does not know is no value at all, never a crash. */
static void unknown_words(void)
{
	is_int(verdict_parse("<b>passed_with_honours</b>"), VERDICT_UNKNOWN, "an unknown verdict");
	is_int(verdict_parse(""), VERDICT_UNKNOWN, "an empty verdict");
	is_int(verdict_parse(NULL), VERDICT_UNKNOWN, "no verdict");
	is_int(verdict_parse("Pass"), VERDICT_UNKNOWN, "words are matched exactly");
	is_int(job_state_parse("paused"), JOB_UNKNOWN, "an unknown state");
	is_int(job_status_parse("passed "), STATUS_UNKNOWN, "an unknown status");
	is_str(verdict_name(VERDICT_UNKNOWN), "", "no name for the unknown verdict");
	is_str(verdict_name((enum verdict)1000), "", "nor for a value out of range");
	is_str(job_state_name((enum job_state)-1), "", "nor for a negative one");
}

/* The schema's CHECK constraints accept exactly the table's words. */
static void schema_agrees(void)
{
	struct buf path = BUF_INIT;
	struct db *db;
	int i;

	if (!mkdtemp(dir))
		exit(2);
	buf_addf(&path, "%s/lifebelt.db", dir);
	if (db_open(&db, path.buf, DB_CREATE) ||
	    db_exec(db, "PRAGMA foreign_keys = OFF", "") < 0)
		exit(2);
	for (i = 1; i < VERDICT_NR; i++)
		is_int(db_exec(db, "INSERT INTO results (job_id, seq, name, verdict) VALUES (1, ?, 't', ?)",
			       "it", (int64_t)i, verdict_name(i)), 1,
		       "the schema stores verdict %s", verdict_name(i));
	is_int(db_exec(db, "INSERT INTO results (job_id, seq, name, verdict) VALUES (1, 0, 't', ?)",
		       "t", "passed_with_honours"), DB_EEXISTS, "and refuses any other");
	for (i = 1; i < JOB_NR; i++)
		is_int(db_exec(db, "INSERT INTO jobs (submission_id, assignment_id, person_id, queued, "
			       "state) VALUES (1, 1, 1, 0, ?)", "t", job_state_name(i)), 1,
		       "the schema stores state %s", job_state_name(i));
	is_int(db_exec(db, "INSERT INTO jobs (submission_id, assignment_id, person_id, queued, "
		       "state) VALUES (1, 1, 1, 0, 'paused')", ""), DB_EEXISTS, "and refuses any other");
	db_close(db);
	fs_remove_tree(dir);
	buf_release(&path);
}

int main(void)
{
	round_trips();
	unknown_words();
	schema_agrees();
	return done_testing();
}
