/* schema.c: every table of Lifebelt, as ordered migrations (DDL lives only here). */
#include "schema.h"

const char *const schema_migrations[] = {
	/* 1: the whole model */
	"CREATE TABLE settings ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	") WITHOUT ROWID;"

	"CREATE TABLE courses ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  created INTEGER NOT NULL"
	");"

	/* A login is unique on the host; enrolments say in which courses and as what. */
	"CREATE TABLE people ("
	"  id INTEGER PRIMARY KEY,"
	"  login TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL DEFAULT '',"
	"  email TEXT NOT NULL DEFAULT '',"
	"  github TEXT UNIQUE COLLATE NOCASE,"
	"  token_hash TEXT,"                       /* hex SHA-256 of the secret from `lifebelt token` */
	"  token_gen INTEGER NOT NULL DEFAULT 0,"  /* bumped by each token; keys the personal web link */
	"  last_claim INTEGER NOT NULL DEFAULT 0," /* fair dispatch: id of the last job claimed for them */
	"  created INTEGER NOT NULL"
	");"

	"CREATE TABLE enrolments ("
	"  course_id INTEGER NOT NULL REFERENCES courses(id),"
	"  person_id INTEGER NOT NULL REFERENCES people(id),"
	"  role TEXT NOT NULL CHECK (role IN ('student', 'teacher')),"
	"  PRIMARY KEY (course_id, person_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX enrolments_person ON enrolments(person_id);"

	"CREATE TABLE ssh_keys ("
	"  id INTEGER PRIMARY KEY,"
	"  person_id INTEGER NOT NULL REFERENCES people(id),"
	"  type TEXT NOT NULL,"
	"  blob TEXT NOT NULL UNIQUE,"
	"  comment TEXT NOT NULL DEFAULT '',"
	"  fingerprint TEXT NOT NULL,"
	"  added INTEGER NOT NULL"
	");"
	"CREATE INDEX ssh_keys_person ON ssh_keys(person_id);"

	/* Times are seconds since the epoch, UTC. */
	"CREATE TABLE assignments ("
	"  id INTEGER PRIMARY KEY,"
	"  course_id INTEGER NOT NULL REFERENCES courses(id),"
	"  name TEXT NOT NULL,"
	"  tests_dir TEXT NOT NULL,"
	"  tests_version TEXT NOT NULL DEFAULT '',"
	"  starter_dir TEXT,"
	"  due INTEGER NOT NULL,"
	"  close INTEGER,"                                   /* NULL: pushes are always accepted */
	"  late_penalty REAL NOT NULL DEFAULT 0,"            /* percent per started day late */
	"  late_days INTEGER NOT NULL DEFAULT 0,"            /* days after due that late work is taken */
	"  branch TEXT NOT NULL DEFAULT 'main',"
	"  max_input_size INTEGER NOT NULL DEFAULT 52428800,"
	"  max_file_size INTEGER NOT NULL DEFAULT 5242880,"
	"  max_files INTEGER NOT NULL DEFAULT 1000,"
	"  limits TEXT NOT NULL DEFAULT '{}',"
	"  created INTEGER NOT NULL,"
	"  UNIQUE (course_id, name)"
	");"

	"CREATE TABLE extensions ("
	"  assignment_id INTEGER NOT NULL REFERENCES assignments(id),"
	"  person_id INTEGER NOT NULL REFERENCES people(id),"
	"  until INTEGER NOT NULL,"
	"  granted INTEGER NOT NULL,"
	"  PRIMARY KEY (assignment_id, person_id)"
	") WITHOUT ROWID;"

	"CREATE TABLE repos ("
	"  id INTEGER PRIMARY KEY,"
	"  assignment_id INTEGER NOT NULL REFERENCES assignments(id),"
	"  person_id INTEGER NOT NULL REFERENCES people(id),"
	"  path TEXT NOT NULL UNIQUE,"      /* COURSE/NAME/LOGIN.git under LIFEBELT_HOME/repos */
	"  github_repo TEXT,"               /* owner/name mirrored in by webhook */
	"  created INTEGER NOT NULL,"
	"  UNIQUE (assignment_id, person_id)"
	");"
	"CREATE INDEX repos_person ON repos(person_id);"

	"CREATE TABLE submissions ("
	"  id INTEGER PRIMARY KEY,"
	"  repo_id INTEGER NOT NULL REFERENCES repos(id),"
	"  ref TEXT NOT NULL,"
	"  commit_id TEXT NOT NULL,"
	"  received INTEGER NOT NULL,"      /* the server's receive time; commit dates never count */
	"  via TEXT NOT NULL CHECK (via IN ('ssh', 'http', 'webhook', 'local', 'reconciled')),"
	"  late_seconds INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (repo_id, ref, commit_id)"
	");"
	"CREATE INDEX submissions_received ON submissions(received);"
	"CREATE INDEX submissions_repo ON submissions(repo_id, received);"

	"CREATE TABLE jobs ("
	"  id INTEGER PRIMARY KEY,"
	"  submission_id INTEGER NOT NULL REFERENCES submissions(id),"
	"  assignment_id INTEGER NOT NULL REFERENCES assignments(id),"
	"  person_id INTEGER NOT NULL REFERENCES people(id),"
	"  state TEXT NOT NULL DEFAULT 'queued'"
	"    CHECK (state IN ('queued', 'running', 'done', 'infra_error', 'superseded')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  lease_owner TEXT,"
	"  lease_expires INTEGER,"
	"  queued INTEGER NOT NULL,"
	"  started INTEGER,"
	"  finished INTEGER,"
	"  status TEXT,"                    /* the runner's summary: passed, failed, build_failed ... */
	"  score REAL,"
	"  max_score REAL,"
	"  error TEXT,"                     /* last infrastructure fault */
	"  build_log TEXT,"
	"  provenance TEXT"                 /* JSON: tests version, limits, sandbox, host */
	");"
	"CREATE INDEX jobs_state ON jobs(state, id);"
	"CREATE INDEX jobs_submission ON jobs(submission_id);"
	"CREATE INDEX jobs_student ON jobs(assignment_id, person_id, state);"

	"CREATE TABLE results ("
	"  id INTEGER PRIMARY KEY,"
	"  job_id INTEGER NOT NULL REFERENCES jobs(id),"
	"  seq INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'time_limit', 'wall_limit',"
	"    'memory_limit', 'output_limit', 'crashed', 'build_failed', 'error')),"
	"  points REAL NOT NULL DEFAULT 0,"
	"  max_points REAL NOT NULL DEFAULT 0,"
	"  hidden INTEGER NOT NULL DEFAULT 0,"
	"  output TEXT NOT NULL DEFAULT '',"  /* excerpt; empty for hidden tests */
	"  detail TEXT NOT NULL DEFAULT '',"  /* short diff or reason */
	"  UNIQUE (job_id, seq)"
	");"

	"CREATE TABLE deliveries ("
	"  id INTEGER PRIMARY KEY,"
	"  guid TEXT NOT NULL UNIQUE,"
	"  event TEXT NOT NULL,"
	"  received INTEGER NOT NULL,"
	"  repo_id INTEGER REFERENCES repos(id),"
	"  status TEXT NOT NULL,"
	"  detail TEXT NOT NULL DEFAULT ''"
	");",

	/*
	 * 2: a skipped case is a verdict of its own. SQLite cannot change a
	 * CHECK constraint, so the rows move to a new table.
	 */
	"CREATE TABLE results_new ("
	"  id INTEGER PRIMARY KEY,"
	"  job_id INTEGER NOT NULL REFERENCES jobs(id),"
	"  seq INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'skipped', 'time_limit',"
	"    'wall_limit', 'memory_limit', 'output_limit', 'crashed', 'build_failed', 'error')),"
	"  points REAL NOT NULL DEFAULT 0,"
	"  max_points REAL NOT NULL DEFAULT 0,"
	"  hidden INTEGER NOT NULL DEFAULT 0,"
	"  output TEXT NOT NULL DEFAULT '',"  /* excerpt; empty for hidden tests */
	"  detail TEXT NOT NULL DEFAULT '',"  /* short diff, reason or the framework's message */
	"  UNIQUE (job_id, seq)"
	");"
	"INSERT INTO results_new SELECT id, job_id, seq, name, verdict, points, max_points, hidden,"
	"  output, detail FROM results;"
	"DROP TABLE results;"
	"ALTER TABLE results_new RENAME TO results;",

	/*
	 * 3: GitHub mirroring. deliveries is the mirror's queue: the webhook
	 * records a push delivery as 'queued' and answers; the mirror fetches
	 * it, retrying with backoff ('retry', next_attempt), until 'done' or
	 * 'failed'; 'ignored' (ping, unmapped, not a branch) is never fetched.
	 * assignments.github is the pattern that names each student's
	 * repository: "ORG/hw1-{github}".
	 */
	"ALTER TABLE deliveries ADD COLUMN ref TEXT;"
	"ALTER TABLE deliveries ADD COLUMN commit_id TEXT;"
	"ALTER TABLE deliveries ADD COLUMN pushed_at INTEGER;"   /* GitHub's repository.pushed_at, signed */
	"ALTER TABLE deliveries ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE deliveries ADD COLUMN next_attempt INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX deliveries_queue ON deliveries(status, next_attempt);"
	"CREATE INDEX repos_github ON repos(github_repo COLLATE NOCASE);"
	"ALTER TABLE assignments ADD COLUMN github TEXT;",

	/*
	 * 4: the commit statuses reported to GitHub for the jobs of mirrored
	 * submissions, one row per job once the reporter has seen it: the
	 * state last sent (NULL: none yet), and while something is still to
	 * send, when to try next (NULL: nothing more to send, or given up).
	 */
	"CREATE TABLE github_statuses ("
	"  job_id INTEGER PRIMARY KEY REFERENCES jobs(id),"
	"  state TEXT CHECK (state IN ('pending', 'success', 'failure', 'error')),"
	"  sent INTEGER,"                               /* when state was sent */
	"  attempts INTEGER NOT NULL DEFAULT 0,"        /* failed tries at what is due now */
	"  next_attempt INTEGER,"
	"  error TEXT NOT NULL DEFAULT ''"              /* the last failure, never a credential */
	");"
	"CREATE INDEX submissions_webhook ON submissions(id) WHERE via = 'webhook';",

	/*
	 * 5: tests in git. Each version of an assignment's tests installed
	 * from its tests repository, by whom and how (ssh, http, local or
	 * webhook); assignments.tests_github is the GitHub repository mirrored
	 * as its tests, and a delivery for it names the assignment in tests_of
	 * (repo_id stays NULL).
	 */
	"CREATE TABLE tests_versions ("
	"  id INTEGER PRIMARY KEY,"
	"  assignment_id INTEGER NOT NULL REFERENCES assignments(id),"
	"  version TEXT NOT NULL,"            /* the commit of the tests repository */
	"  tests_dir TEXT NOT NULL,"
	"  installed INTEGER NOT NULL,"
	"  via TEXT NOT NULL,"
	"  by TEXT NOT NULL DEFAULT ''"       /* the teacher's login, or the GitHub repository */
	");"
	"CREATE INDEX tests_versions_assignment ON tests_versions(assignment_id, id);"
	"ALTER TABLE assignments ADD COLUMN tests_github TEXT;"
	"CREATE UNIQUE INDEX assignments_tests_github ON assignments(tests_github COLLATE NOCASE);"
	"ALTER TABLE deliveries ADD COLUMN tests_of INTEGER REFERENCES assignments(id);",

	/*
	 * 6: what `lifebelt import github-classroom` brought: one row per
	 * student's accepted assignment, with the roster identifier GitHub
	 * knew them by, the grade GitHub gave (NULL when none), kept as
	 * GitHub's and never regraded, and the commit their mirrored history
	 * ended at (NULL until the repository is mirrored).
	 */
	"CREATE TABLE imported_grades ("
	"  assignment_id INTEGER NOT NULL REFERENCES assignments(id),"
	"  person_id INTEGER NOT NULL REFERENCES people(id),"
	"  source TEXT NOT NULL CHECK (source IN ('github-classroom')),"
	"  roster_identifier TEXT NOT NULL DEFAULT '',"
	"  repository TEXT NOT NULL,"                 /* owner/name on GitHub */
	"  submitted TEXT NOT NULL DEFAULT '',"       /* GitHub's submission_timestamp, as given */
	"  points REAL,"
	"  max_points REAL,"
	"  mirrored TEXT,"
	"  imported INTEGER NOT NULL,"
	"  PRIMARY KEY (assignment_id, person_id, source)"
	") WITHOUT ROWID;",

	/*
	 * 7: assignment images. A name ("java17") stands for an image's
	 * manifest digest; the unpacked tree is images/<hex>/rootfs in the
	 * data directory, one per digest, however many names share it.
	 */
	"CREATE TABLE images ("
	"  name TEXT PRIMARY KEY,"
	"  digest TEXT NOT NULL,"          /* sha256:<64 hex>, of the manifest unpacked */
	"  source TEXT NOT NULL,"          /* what it was added from: docker-archive:..., oci:..., docker://... */
	"  size INTEGER NOT NULL,"         /* bytes of the unpacked tree */
	"  added INTEGER NOT NULL"
	") WITHOUT ROWID;",

	/*
	 * 8: editing assignments. Every change `lifebelt assignment edit`
	 * makes, field by field, with who made it (a login over SSH, the
	 * account on the server) and when; the values as they were shown.
	 * assignments.points is what the assignment is worth in the
	 * gradebook (scores scaled to it), NULL for the tests' own total.
	 */
	"CREATE TABLE assignment_edits ("
	"  id INTEGER PRIMARY KEY,"
	"  assignment_id INTEGER NOT NULL REFERENCES assignments(id),"
	"  at INTEGER NOT NULL,"
	"  who TEXT NOT NULL,"                /* "tina via ssh", "root on the server" */
	"  field TEXT NOT NULL,"              /* due, close, late_penalty, ... */
	"  old TEXT NOT NULL,"
	"  new TEXT NOT NULL"
	");"
	"CREATE INDEX assignment_edits_assignment ON assignment_edits(assignment_id, id);"
	"ALTER TABLE assignments ADD COLUMN points REAL;",

	/*
	 * 9: which submission counts and what it came to. assignments.counts
	 * is the rule (latest, best, best-after-penalty, chosen); a student
	 * chooses with `git push -o submit` or a submit tag, stamping
	 * submissions.chosen. courses.grace_days is each student's budget of
	 * late days spent before any penalty. overrides keeps every change a
	 * teacher made by hand, each row the whole state it set (undone: when
	 * it was undone, NULL while it stands). counted is what each student's
	 * grade stands at, kept up to date as jobs finish and rules change so
	 * that a gradebook reads one row per student; rows for what was graded
	 * before are the latest rule's.
	 */
	"ALTER TABLE assignments ADD COLUMN counts TEXT NOT NULL DEFAULT 'latest'"
	"  CHECK (counts IN ('latest', 'best', 'best-after-penalty', 'chosen'));"
	"ALTER TABLE courses ADD COLUMN grace_days INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE submissions ADD COLUMN chosen INTEGER;"
	"CREATE TABLE overrides ("
	"  id INTEGER PRIMARY KEY,"
	"  assignment_id INTEGER NOT NULL REFERENCES assignments(id),"
	"  person_id INTEGER NOT NULL REFERENCES people(id),"
	"  score REAL,"                          /* the score set by hand, NULL: the graded one */
	"  waive INTEGER NOT NULL DEFAULT 0,"    /* 1: no late penalty, no grace day spent */
	"  reason TEXT NOT NULL,"
	"  by TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  max_score REAL NOT NULL,"           /* the assignment's maximum when it was set */
	"  undone INTEGER,"
	"  undone_by TEXT"
	");"
	"CREATE INDEX overrides_student ON overrides(assignment_id, person_id, id);"
	"CREATE TABLE counted ("
	"  assignment_id INTEGER NOT NULL REFERENCES assignments(id),"
	"  person_id INTEGER NOT NULL REFERENCES people(id),"
	"  submission_id INTEGER,"               /* NULL: only an override */
	"  job_id INTEGER,"
	"  raw REAL,"
	"  max_score REAL,"
	"  late_seconds INTEGER NOT NULL DEFAULT 0,"
	"  late_days INTEGER NOT NULL DEFAULT 0,"
	"  grace_days INTEGER NOT NULL DEFAULT 0,"   /* of late_days, those the grace budget paid */
	"  score REAL,"                          /* what the gradebook shows */
	"  override_id INTEGER REFERENCES overrides(id),"
	"  PRIMARY KEY (assignment_id, person_id)"
	") WITHOUT ROWID;"
	"INSERT INTO counted (assignment_id, person_id, submission_id, job_id, raw, max_score,"
	"  late_seconds, late_days, score)"
	" SELECT assignment_id, person_id, sid, jid, sc, mx, ls, ld,"
	"  sc * max(0.0, 1.0 - pen / 100.0 * ld) FROM ("
	"  SELECT r.assignment_id, r.person_id, s.id AS sid, j.id AS jid, j.score AS sc,"
	"   j.max_score AS mx, s.late_seconds AS ls, a.late_penalty AS pen,"
	"   CASE WHEN s.late_seconds > 0 THEN (s.late_seconds + 86399) / 86400 ELSE 0 END AS ld,"
	"   row_number() OVER (PARTITION BY r.id ORDER BY s.received DESC, s.id DESC) AS n"
	"  FROM submissions s JOIN repos r ON r.id = s.repo_id"
	"  JOIN assignments a ON a.id = r.assignment_id"
	"  JOIN jobs j ON j.id = (SELECT max(id) FROM jobs WHERE submission_id = s.id)"
	"  WHERE j.state = 'done') WHERE n = 1;",
	/*
	 * 10: teams. A team belongs to one assignment; a student is in at most
	 * one team of an assignment (the primary key). The team's repository
	 * is COURSE/NAME/TEAM.git, a repos row with team_id set whose
	 * person_id is its first member (repos keeps one row per assignment
	 * and person); members have no repository of their own for that
	 * assignment. submissions.pusher is the login that pushed (NULL for a
	 * push no transport vouched for: a webhook, the reconciler).
	 */
	"CREATE TABLE teams ("
	"  id INTEGER PRIMARY KEY,"
	"  assignment_id INTEGER NOT NULL REFERENCES assignments(id),"
	"  name TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  UNIQUE (assignment_id, name)"
	");"
	"CREATE TABLE team_members ("
	"  assignment_id INTEGER NOT NULL REFERENCES assignments(id),"
	"  person_id INTEGER NOT NULL REFERENCES people(id),"
	"  team_id INTEGER NOT NULL REFERENCES teams(id),"
	"  PRIMARY KEY (assignment_id, person_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX team_members_team ON team_members(team_id);"
	"ALTER TABLE repos ADD COLUMN team_id INTEGER REFERENCES teams(id);"
	"CREATE UNIQUE INDEX repos_team ON repos(team_id) WHERE team_id IS NOT NULL;"
	"ALTER TABLE submissions ADD COLUMN pusher TEXT;",

	/*
	 * 11: hidden tests revealed. From reveal_after on (NULL: never),
	 * students see their hidden tests' output and details; the runner
	 * keeps them for an assignment that has it.
	 */
	"ALTER TABLE assignments ADD COLUMN reveal_after INTEGER;",

	/*
	 * Backoff: a job requeued after an infrastructure fault is not claimed
	 * again before jobs.not_before (runner.retry_seconds, doubled for each
	 * further attempt), so that a fault that lasts a while (a node, the
	 * Docker daemon, a full disk) does not use up its attempts at once.
	 */
	"ALTER TABLE jobs ADD COLUMN not_before INTEGER NOT NULL DEFAULT 0;",
};

const int schema_nr_migrations = sizeof(schema_migrations) / sizeof(schema_migrations[0]);
