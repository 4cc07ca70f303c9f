/* github-mirror.c: libgit2 fetches of students' GitHub repositories into their bare repositories, and the submissions they bring. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "github.h"
#include "tests.h"
#include "../db/mirror.h"
#include "../db/model.h"
#include "../db/queue.h"
#include "../db/tests.h"
#include "../hooks/record.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/crypto.h"
#include "../lib/giterr.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/sshkey.h"
#include "../lib/timeutil.h"
#include "../lib/wake.h"
#include "../lib/alloc.h"
#include "../lib/push.h"
#include "../runner/checkout.h"
#include "../lib/banned.h"

/* Where a fetch puts GitHub's branches: outside refs/heads, which is the graded side. */
#define FETCH_SPEC "+refs/heads/*:refs/github/heads/*"
/* GitHub's user name for a token given as the password. */
#define TOKEN_USER "x-access-token"

/* One fetch: the repository, where it comes from and with what. */
struct mirror {
	struct db *db;
	struct mirror_repo r;
	struct assignment a;
	git_repository *repo;
	struct buf url;          /* no secret in it: the token goes by the credentials callback */
	struct buf token;        /* HTTPS: the token, wiped after use */
	struct buf key;          /* SSH: the deploy key's file */
	struct buf known_hosts;  /* SSH: the host keys to trust */
	struct buf host_port;    /* SSH: "[host]:port" as known-hosts files name a port */
	int ssh, port;
	int asked;               /* credentials given once already: a second ask is a refusal */
	const char *refusal;     /* why a callback refused, for the message */
	struct buf *why;
};

/* The mirror's threads in `lifebelt serve`, and whether they are asked to stop. */
static pthread_t mirror_threads[GITHUB_MIRROR_THREADS_MAX];
static pthread_mutex_t stop_mu = PTHREAD_MUTEX_INITIALIZER;
static int stopping, running;    /* running: how many threads there are */

static int should_stop(void)
{
	int s;

	pthread_mutex_lock(&stop_mu);
	s = stopping;
	pthread_mutex_unlock(&stop_mu);
	return s;
}

/* Set why to the formatted reason; returns -1. */
__attribute__((format(printf, 2, 3)))
static int fail(struct mirror *m, const char *fmt, ...)
{
	va_list ap;

	buf_reset(m->why);
	va_start(ap, fmt);
	buf_vaddf(m->why, fmt, ap);
	va_end(ap);
	return -1;
}

void github_deploy_key_name(struct buf *out, int64_t repo_id)
{
	buf_addf(out, "deploy-key-%lld", (long long)repo_id);
}

/* ---- host keys ---- */

/*
 * One line of a known-hosts file, "HOSTS TYPE BASE64 [COMMENT]" as
 * ssh-keyscan prints it: 1 with *hosts (a pointer into line, cut at its
 * end) and k set, 0 for a blank or comment line, -1 with *why.
 */
static int known_hosts_line(char *line, char **hosts, struct sshkey *k, const char **why)
{
	char *p = line;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '#' || *p == '\r')
		return 0;
	if (*p == '@') {
		*why = "markers such as @cert-authority or @revoked are not supported; list plain host keys";
		return -1;
	}
	if (*p == '|') {
		*why = "hashed host names are not supported; run ssh-keyscan without -H";
		return -1;
	}
	*hosts = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (!*p) {
		*why = "a host name without a key; lines read HOST TYPE KEY, as ssh-keyscan prints them";
		return -1;
	}
	*p++ = '\0';
	return sshkey_parse(k, p, why) ? -1 : 1;
}

int github_known_hosts_check(const char *text, struct buf *why)
{
	struct buf copy = BUF_INIT;
	char *line, *save = NULL;
	int n = 0, lineno = 0, ret = 0;

	buf_adds(&copy, text);
	for (line = strtok_r(copy.buf, "\n", &save); line && !ret; line = strtok_r(NULL, "\n", &save)) {
		struct sshkey k;
		const char *bad = NULL;
		char *hosts;
		int rc;

		lineno++;
		rc = known_hosts_line(line, &hosts, &k, &bad);
		if (rc < 0) {
			buf_addf(why, "line %d: %s", lineno, bad);
			ret = -1;
		} else if (rc > 0) {
			n++;
			sshkey_release(&k);
		}
	}
	if (!ret && !n) {
		buf_adds(why, "no host key in it; make it with: ssh-keyscan github.com >FILE");
		ret = -1;
	}
	buf_release(&copy);
	return ret;
}

/* Does the comma-separated list name host (on port 22) or "[host]:port"? */
static int hosts_name(const char *hosts, const char *host, const struct mirror *m)
{
	const char *p = hosts;

	while (*p) {
		size_t n = strcspn(p, ",");

		if ((m->port == 22 && strlen(host) == n && !memcmp(p, host, n)) ||
		    (m->host_port.len == n && !memcmp(p, m->host_port.buf, n)))
			return 1;
		p += n + (p[n] == ',');
	}
	return 0;
}

/* Is the server's raw host key listed for host in the known-hosts file? */
static int host_key_known(const struct mirror *m, const char *host, const void *key, size_t len)
{
	struct buf copy = BUF_INIT;
	char *line, *save = NULL;
	int found = 0;

	buf_add(&copy, m->known_hosts.buf, m->known_hosts.len);
	for (line = strtok_r(copy.buf, "\n", &save); line && !found; line = strtok_r(NULL, "\n", &save)) {
		struct buf raw = BUF_INIT;
		struct sshkey k;
		const char *bad;
		char *hosts;

		if (known_hosts_line(line, &hosts, &k, &bad) <= 0)
			continue;
		if (hosts_name(hosts, host, m) &&
		    !crypto_base64_decode(&raw, k.blob, strlen(k.blob)))
			found = raw.len == len && !memcmp(raw.buf, key, len);
		buf_release(&raw);
		sshkey_release(&k);
	}
	buf_release(&copy);
	return found;
}

/*
 * libgit2's certificate check. Over SSH the server's key must be one the
 * known-hosts file lists for it: an unknown key is refused, never learnt.
 * Over HTTPS, TLS's own verdict stands.
 */
static int check_certificate(git_cert *cert, int valid, const char *host, void *payload)
{
	struct mirror *m = payload;
	const git_cert_hostkey *hk = (const git_cert_hostkey *)cert;

	if (cert->cert_type != GIT_CERT_HOSTKEY_LIBSSH2) {
		if (valid)
			return 0;
		m->refusal = "the server's TLS certificate is not valid";
		return GIT_ECERTIFICATE;
	}
	if (!(hk->type & GIT_CERT_SSH_RAW) || !host_key_known(m, host, hk->hostkey, hk->hostkey_len)) {
		m->refusal = "the SSH server's host key is not in the known hosts; "
			     "check it and set it with `lifebelt github known-hosts FILE`";
		return GIT_ECERTIFICATE;
	}
	return 0;
}

/* ---- credentials ---- */

/* The server refused the credentials it was given: say which, and forget a token. */
static void refused(struct mirror *m)
{
	m->refusal = m->ssh ? "the deploy key was refused; check that GitHub has its public half "
			      "as the repository's deploy key" :
			      "the token was refused; set a valid one with `lifebelt github token FILE` "
			      "(or check the App's installation)";
	if (!m->ssh)
		github_token_forget(m->r.github_repo);   /* an App's next one is asked for afresh */
}

/*
 * libgit2's credentials callback: the token as x-access-token's password
 * over HTTPS, the deploy key over SSH. Asked a second time, the server
 * refused the first answer; a third try would only be refused again.
 */
static int credentials(git_credential **out, const char *url, const char *user,
		       unsigned int allowed, void *payload)
{
	struct mirror *m = payload;

	(void)url;
	if (m->ssh && (allowed & GIT_CREDENTIAL_USERNAME))
		return git_credential_username_new(out, user && *user ? user : "git");
	if (m->asked++) {
		refused(m);
		return GIT_EAUTH;
	}
	if (m->ssh && (allowed & GIT_CREDENTIAL_SSH_KEY))
		return git_credential_ssh_key_new(out, user && *user ? user : "git", NULL, m->key.buf, NULL);
	if (!m->ssh && (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT)) {
		if (!m->token.len) {
			m->refusal = "GitHub asks for credentials and no token is set; set one with "
				     "`lifebelt github token FILE`";
			return GIT_EAUTH;
		}
		return git_credential_userpass_plaintext_new(out, TOKEN_USER, m->token.buf);
	}
	m->refusal = "the server asks for a kind of credentials Lifebelt does not have";
	return GIT_EAUTH;
}

/* ---- the fetch ---- */

/* "[host]:port" and the port of an ssh:// URL (user@ and path ignored). */
static void ssh_host_port(struct mirror *m, const char *url)
{
	const char *p = url + strlen("ssh://"), *at, *end;
	size_t n;

	end = p + strcspn(p, "/");
	at = memchr(p, '@', (size_t)(end - p));
	if (at)
		p = at + 1;
	n = strcspn(p, ":/");
	m->port = p[n] == ':' ? atoi(p + n + 1) : 22;
	buf_addf(&m->host_port, "[%.*s]:%d", (int)n, p, m->port);
}

/*
 * Where to fetch from and with what: SSH with the repository's deploy key
 * when it has one, else HTTPS with the token.
 */
static int remote_setup(struct mirror *m)
{
	struct buf name = BUF_INIT, base = BUF_INIT;
	int rc;

	github_deploy_key_name(&name, m->r.id);
	buf_adds(&m->key, home_dir());
	buf_addf(&m->key, "/github/%s", name.buf);
	m->ssh = !access(m->key.buf, R_OK);
	if (m->ssh) {
		db_config_get(m->db, "github.ssh_url", &base);
		ssh_host_port(m, base.buf);
		rc = github_secret_read(GITHUB_SECRET_KNOWN_HOSTS, &m->known_hosts);
		if (rc == GITHUB_ENOSECRET)
			rc = fail(m, "no known hosts to check the SSH server's key against; set them "
				  "with `lifebelt github known-hosts FILE`");
		else if (rc)
			rc = fail(m, "cannot read the known hosts");
	} else {
		db_config_get(m->db, "github.git_url", &base);
		struct buf why = BUF_INIT;

		/* The App's installation token, else the fine-grained token. */
		rc = github_token_for(m->r.github_repo, &m->token, &why);
		if (rc == GITHUB_ENOSECRET)
			rc = 0;  /* a public repository needs none; a private one says so */
		else if (rc)
			rc = fail(m, "cannot get a token for %s: %s", m->r.github_repo, why.buf);
		buf_release(&why);
	}
	buf_addf(&m->url, "%s/%s.git", base.buf, m->r.github_repo);
	buf_release(&name);
	buf_release(&base);
	return rc;
}

/* A fetch under way ends when `lifebelt serve` stops (the delivery is retried). */
static int transfer_progress(const git_indexer_progress *stats, void *payload)
{
	struct mirror *m = payload;

	(void)stats;
	if (!should_stop())
		return 0;
	m->refusal = "interrupted: the server is stopping";
	return GIT_EUSER;
}

static int fetch(struct mirror *m)
{
	git_fetch_options fo;
	git_remote_create_options co;
	git_remote *remote = NULL;
	char spec[] = FETCH_SPEC, *spec_list[] = { spec };
	git_strarray specs = { spec_list, 1 };
	int rc = 0, err = 0;

	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	fo.callbacks.credentials = credentials;
	fo.callbacks.certificate_check = check_certificate;
	fo.callbacks.transfer_progress = transfer_progress;
	fo.callbacks.payload = m;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	fo.update_fetchhead = 0;
	/* A redirect could carry the token to another host: the URL is the setting's, or nothing. */
	fo.follow_redirects = GIT_REMOTE_REDIRECT_NONE;
	/*
	 * Anonymous, and no url.*.insteadOf: the URL is the setting's. (Looking
	 * those up also leaks memory in libgit2 1.5 for every config entry
	 * that does not match.)
	 */
	git_remote_create_options_init(&co, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	co.repository = m->repo;
	co.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (git_remote_create_with_opts(&remote, m->url.buf, &co) ||
	    (err = git_remote_fetch(remote, &specs, &fo, "github: fetch"))) {
		/*
		 * Credentials refused after they were taken (a token that
		 * expired between two requests of one fetch) end the fetch
		 * without asking the callback again.
		 */
		if (err == GIT_EAUTH && !m->refusal)
			refused(m);
		rc = fail(m, "cannot fetch %s from %s: %s", m->r.github_repo, m->url.buf,
			  m->refusal ? m->refusal : git_last_message());
	}
	git_remote_free(remote);
	return rc;
}

/* ---- what Lifebelt recorded stays ---- */

static int keep_one(int64_t id, const char *commit, void *data)
{
	struct mirror *m = data;
	git_reference *ref = NULL;
	git_odb *odb = NULL;
	git_oid oid;
	char name[64];
	int rc, here;

	if (git_oid_fromstr(&oid, commit) || git_repository_odb(&odb, m->repo))
		return 0;
	here = git_odb_exists(odb, &oid);
	git_odb_free(odb);
	if (!here)
		return 0;  /* recorded, but its objects never came (a push spooled, then lost) */
	snprintf(name, sizeof(name), "refs/lifebelt/submissions/%lld", (long long)id);
	rc = git_reference_create(&ref, m->repo, name, &oid, 0, "lifebelt: keep a submission");
	git_reference_free(ref);
	if (rc && rc != GIT_EEXISTS)
		return fail(m, "cannot keep submission %lld under %s: %s", (long long)id, name,
			    git_last_message());
	return 0;
}

/*
 * Every commit Lifebelt recorded of this repository gets a ref of its own,
 * refs/lifebelt/submissions/ID, so that a branch moved by a force-push on
 * GitHub never takes a graded submission with it (nor git gc after it).
 */
static int keep_submissions(struct mirror *m)
{
	int rc = db_repo_submissions_each(m->db, m->r.id, keep_one, m);

	if (rc && !m->why->len)
		return fail(m, "cannot list the submissions of %s", m->r.path);
	return rc ? -1 : 0;
}

/* The graded branch follows GitHub's, forced: a force-push there is one here too. */
static int move_branch(struct mirror *m, const char *branch, const git_oid *tip)
{
	git_reference *ref = NULL;
	struct buf msg = BUF_INIT;
	int rc = 0;

	/* Not "push...": the reconciler records only what a push left unrecorded. */
	buf_addf(&msg, "github: mirrored from %s", m->r.github_repo);
	if (git_reference_create(&ref, m->repo, branch, tip, 1, msg.buf))
		rc = fail(m, "cannot move %s: %s", branch, git_last_message());
	git_reference_free(ref);
	buf_release(&msg);
	return rc;
}

/* What the submission is, for why and the log: "submission 5, on time". */
static void say_recorded(struct mirror *m, const char *hex, const struct enqueue_res *res,
			 int64_t received, int64_t due)
{
	buf_reset(m->why);
	buf_addf(m->why, "%s submission %lld", hex, (long long)res->submission_id);
	if (!res->created)
		buf_adds(m->why, ", already recorded");
	else if (!res->job_id)
		buf_adds(m->why, ", after the close: kept, not graded");
	else if (received > due)
		buf_adds(m->why, ", late");
	else
		buf_adds(m->why, ", on time");
}

static int mirror_record(struct mirror *m, int64_t received)
{
	struct buf branch = BUF_INIT, github = BUF_INIT;
	struct repo_info ri;
	struct enqueue_res res;
	git_oid tip;
	char hex[GIT_OID_HEXSZ + 1];
	int64_t due;
	int rc;

	buf_addf(&branch, "refs/heads/%s", m->a.branch);
	buf_addf(&github, "refs/github/heads/%s", m->a.branch);
	if (git_reference_name_to_id(&tip, m->repo, github.buf)) {
		/* Nothing to grade yet: done, with no commit. */
		buf_reset(m->why);
		buf_addf(m->why, "- %s has no branch '%s' yet", m->r.github_repo, m->a.branch);
		rc = 0;
		goto done;
	}
	git_oid_tostr(hex, sizeof(hex), &tip);
	if ((rc = keep_submissions(m)) || (rc = move_branch(m, branch.buf, &tip)))
		goto done;
	memset(&ri, 0, sizeof(ri));
	ri.id = m->r.id;
	ri.assignment_id = m->r.assignment_id;
	ri.person_id = m->r.person_id;
	ri.login = m->r.login;
	rc = record_push(m->db, &ri, &m->a, branch.buf, hex, received, "webhook", &res, &due);
	if (rc) {
		rc = fail(m, "cannot record %.12s of %s: the database is %s", hex, m->r.path,
			  rc == DB_EBUSY ? "busy" : "unavailable");
		goto done;
	}
	if ((rc = keep_submissions(m)))
		goto done;
	if (res.created && res.job_id)
		wake_notify();
	say_recorded(m, hex, &res, received, due);
done:
	buf_release(&branch);
	buf_release(&github);
	return rc;
}

/*
 * Repositories are made with objects/ only (provision.c), and libgit2's
 * fetch does not make the pack directory its pack goes to: it would lose
 * the pack and then find its refs pointing at nothing.
 */
static int make_pack_dir(const char *repo)
{
	struct buf dir = BUF_INIT;
	int rc;

	buf_addf(&dir, "%s/objects/pack", repo);
	rc = mkdir(dir.buf, 0755) && errno != EEXIST ? -1 : 0;
	buf_release(&dir);
	return rc;
}

/*
 * An imported history: the graded branch moves to GitHub's tip and every
 * commit stays, but nothing becomes a submission: what GitHub graded
 * before is not Lifebelt's to grade again unless asked.
 */
static int mirror_history(struct mirror *m)
{
	struct buf branch = BUF_INIT, github = BUF_INIT;
	git_oid tip;
	char hex[GIT_OID_HEXSZ + 1];
	int rc = 0;

	buf_addf(&branch, "refs/heads/%s", m->a.branch);
	buf_addf(&github, "refs/github/heads/%s", m->a.branch);
	buf_reset(m->why);
	if (git_reference_name_to_id(&tip, m->repo, github.buf)) {
		buf_addf(m->why, "- %s has no branch '%s'", m->r.github_repo, m->a.branch);
	} else {
		git_oid_tostr(hex, sizeof(hex), &tip);
		if (!(rc = keep_submissions(m)) && !(rc = move_branch(m, branch.buf, &tip))) {
			buf_reset(m->why);
			buf_addf(m->why, "%s history mirrored, not graded", hex);
		}
	}
	buf_release(&branch);
	buf_release(&github);
	return rc;
}

static void mirror_init(struct mirror *m, struct db *db, struct buf *why)
{
	memset(m, 0, sizeof(*m));
	m->db = db;
	m->why = why;
	buf_init(&m->url, 0);
	buf_init(&m->token, 0);
	buf_init(&m->key, 0);
	buf_init(&m->known_hosts, 0);
	buf_init(&m->host_port, 0);
	buf_reset(why);
}

static void mirror_release(struct mirror *m)
{
	git_repository_free(m->repo);
	mirror_repo_release(&m->r);
	assignment_release(&m->a);
	buf_release(&m->url);
	github_secret_release(&m->token);
	buf_release(&m->key);
	buf_release(&m->known_hosts);
	buf_release(&m->host_port);
}

/* github_mirror(), or with history set github_mirror_history(). */
static int mirror_run(struct db *db, int64_t repo_id, int64_t received, int history,
		      struct buf *why)
{
	struct mirror m;
	struct buf path = BUF_INIT;
	int rc;

	mirror_init(&m, db, why);
	rc = db_mirror_repo_get(db, repo_id, &m.r);
	if (rc) {
		rc = fail(&m, rc == DB_ENOTFOUND ? "no repository %lld" :
			  "cannot read repository %lld from the database", (long long)repo_id);
		goto done;
	}
	if (!m.r.github_repo || !github_repo_name_ok(m.r.github_repo)) {
		rc = fail(&m, "%s is not mapped to a GitHub repository", m.r.path);
		goto done;
	}
	if (db_assignment_get_id(db, m.r.assignment_id, &m.a)) {
		rc = fail(&m, "cannot read the assignment of %s", m.r.path);
		goto done;
	}
	if ((rc = remote_setup(&m)))
		goto done;
	home_path(&path, "repos/%s", m.r.path);
	if (make_pack_dir(path.buf)) {
		rc = fail(&m, "cannot make %s/objects/pack", path.buf);
		goto done;
	}
	if (git_repository_open_bare(&m.repo, path.buf)) {
		rc = fail(&m, "cannot open %s: %s", path.buf, git_last_message());
		goto done;
	}
	if (!(rc = fetch(&m)))
		rc = history ? mirror_history(&m) : mirror_record(&m, received);
done:
	mirror_release(&m);
	buf_release(&path);
	return rc;
}

/*
 * The mirror's part of an assignment's tests on GitHub: branch's tip,
 * fetched into the tests repository, checked and installed as a push to
 * the tests repository is (tests_install()), and then its branch moved
 * there, so that the teachers' clone shows it. Tests that are not valid
 * are not installed, and that is the outcome (why: "COMMIT the tests are
 * not valid: lifebelt.json: ..."); only a fault of the server or of the
 * fetch is -1, to try again.
 */
static int mirror_tests(struct mirror *m, const char *branch)
{
	struct buf ref = BUF_INIT, what = BUF_INIT, head = BUF_INIT;
	git_oid tip;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	buf_addf(&ref, "refs/github/heads/%s", branch);
	if (git_reference_name_to_id(&tip, m->repo, ref.buf)) {
		buf_addf(m->why, "- GitHub has no branch %s", branch);
		goto done;
	}
	git_oid_tostr(hex, sizeof(hex), &tip);
	if (!strcmp(hex, m->a.tests_version)) {
		buf_addf(m->why, "%s installed already", hex);
		goto done;
	}
	rc = tests_install(m->db, &m->a, m->repo, hex, "webhook", m->r.github_repo, &what);
	if (rc == TESTS_EBAD) {
		buf_addf(m->why, "%s the tests are not valid: %s; nothing installed", hex, what.buf);
		goto done;
	}
	if (rc) {
		rc = fail(m, "cannot install the tests of %s: %s", m->r.github_repo, what.buf);
		goto out;
	}
	buf_adds(&head, "refs/heads/");
	buf_adds(&head, m->a.branch);
	if (move_branch(m, head.buf, &tip))
		warning("the tests repository of %s/%s does not show %s: %s", m->a.course,
			m->a.name, hex, m->why->buf);
	buf_reset(m->why);
	buf_addf(m->why, "%s tests version %s installed for %s/%s", hex, hex, m->a.course, m->a.name);
done:
	rc = 0;
out:
	buf_release(&ref);
	buf_release(&what);
	buf_release(&head);
	return rc;
}

int github_mirror_tests(struct db *db, int64_t assignment_id, const char *ref, struct buf *why)
{
	struct mirror m;
	struct buf path = BUF_INIT, gh = BUF_INIT;
	int rc;

	mirror_init(&m, db, why);
	if (db_assignment_get_id(db, assignment_id, &m.a) ||
	    db_tests_github_get(db, assignment_id, &gh) || !github_repo_name_ok(gh.buf)) {
		rc = fail(&m, "assignment %lld has no tests on GitHub", (long long)assignment_id);
		goto done;
	}
	m.r.github_repo = xstrdup(gh.buf);
	/* Never a deploy key (those are a student repository's): HTTPS with the token. */
	m.r.id = -1;
	tests_repo_path(&path, m.a.course, m.a.name);
	if ((rc = remote_setup(&m)))
		goto done;
	if (make_pack_dir(path.buf)) {
		rc = fail(&m, "cannot make %s/objects/pack (make it with `lifebelt tests repo %s %s`)",
			  path.buf, m.a.course, m.a.name);
		goto done;
	}
	if (git_repository_open_bare(&m.repo, path.buf)) {
		rc = fail(&m, "cannot open %s: %s", path.buf, git_last_message());
		goto done;
	}
	if (!(rc = fetch(&m)))
		rc = mirror_tests(&m, strncmp(ref, "refs/heads/", 11) ? m.a.branch : ref + 11);
done:
	mirror_release(&m);
	buf_release(&path);
	buf_release(&gh);
	return rc;
}

int github_mirror(struct db *db, int64_t repo_id, int64_t received, struct buf *why)
{
	return mirror_run(db, repo_id, received, 0, why);
}

int github_mirror_history(struct db *db, int64_t repo_id, struct buf *why)
{
	return mirror_run(db, repo_id, 0, 1, why);
}

int github_fetch_tree(struct db *db, const char *full_name, const char *branch,
		      const char *scratch, const char *dir, char commit[GITHUB_OID_HEX + 1],
		      struct buf *why)
{
	struct mirror m;
	struct buf ref = BUF_INIT, notes = BUF_INIT;
	struct checkout_caps caps = { PUSH_FILES, PUSH_INPUT_MB << 20 };
	git_oid tip;
	int rc;

	mirror_init(&m, db, why);
	commit[0] = '\0';
	m.r.github_repo = xstrdup(full_name);  /* id 0: no deploy key, HTTPS with the token */
	if (!github_repo_name_ok(full_name)) {
		rc = fail(&m, "'%s' is not OWNER/REPO as GitHub names repositories", full_name);
		goto done;
	}
	if (git_repository_init(&m.repo, scratch, 1)) {
		rc = fail(&m, "cannot make %s: %s", scratch, git_last_message());
		goto done;
	}
	if ((rc = remote_setup(&m)) || (rc = fetch(&m)))
		goto done;
	buf_addf(&ref, "refs/github/heads/%s", branch);
	if (git_reference_name_to_id(&tip, m.repo, ref.buf)) {
		rc = fail(&m, "%s has no branch '%s'", full_name, branch);
		goto done;
	}
	git_oid_tostr(commit, GITHUB_OID_HEX + 1, &tip);
	rc = checkout_commit(scratch, commit, dir, &caps, why, &notes);
	if (rc == CHECKOUT_ETOOBIG)
		rc = -1;
done:
	mirror_release(&m);
	buf_release(&ref);
	buf_release(&notes);
	return rc ? -1 : 0;
}

const char *github_mirrored(const struct buf *why, char commit[GITHUB_OID_HEX + 1])
{
	const char *sp = strchr(why->buf, ' ');
	size_t n = sp ? (size_t)(sp - why->buf) : 0;

	commit[0] = '\0';
	if (n == GITHUB_OID_HEX) {
		memcpy(commit, why->buf, n);
		commit[n] = '\0';
	}
	return sp ? sp + 1 : why->buf;
}

/* ---- the mirror's thread in `lifebelt serve` ---- */

int64_t github_retry_delay(int attempts)
{
	int64_t d = GITHUB_RETRY_FIRST;

	while (--attempts > 0 && d < GITHUB_RETRY_MAX)
		d *= 2;
	return d < GITHUB_RETRY_MAX ? d : GITHUB_RETRY_MAX;
}

/*
 * The repositories the mirror's threads are fetching into: a thread that
 * claimed a delivery of one waits for the thread that has it (two fetches
 * into one repository would race for its refs and its submissions).
 */
static pthread_mutex_t busy_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t busy_cv = PTHREAD_COND_INITIALIZER;
static int64_t busy[GITHUB_MIRROR_THREADS_MAX];

static void repo_take(int64_t repo_id)
{
	size_t i, free_slot;

	pthread_mutex_lock(&busy_mu);
	for (;;) {
		free_slot = GITHUB_MIRROR_THREADS_MAX;
		for (i = 0; i < GITHUB_MIRROR_THREADS_MAX; i++) {
			if (busy[i] == repo_id)
				break;
			if (!busy[i] && free_slot == GITHUB_MIRROR_THREADS_MAX)
				free_slot = i;
		}
		/* One slot per thread: a thread that waits holds none, so one is free. */
		if (i == GITHUB_MIRROR_THREADS_MAX && free_slot < GITHUB_MIRROR_THREADS_MAX)
			break;
		pthread_cond_wait(&busy_cv, &busy_mu);
	}
	busy[free_slot] = repo_id;
	pthread_mutex_unlock(&busy_mu);
}

static void repo_release(int64_t repo_id)
{
	size_t i;

	pthread_mutex_lock(&busy_mu);
	for (i = 0; i < GITHUB_MIRROR_THREADS_MAX; i++)
		if (busy[i] == repo_id)
			busy[i] = 0;
	pthread_cond_broadcast(&busy_cv);
	pthread_mutex_unlock(&busy_mu);
}

int github_mirror_next(struct db *db)
{
	struct delivery d;
	struct buf why = BUF_INIT;
	char commit[GITHUB_OID_HEX + 1];
	int64_t now = time_now(), key;
	int rc;

	rc = db_delivery_claim(db, now, GITHUB_MIRROR_LEASE, &d);
	if (rc)
		return rc == DB_ENOTFOUND ? 0 : rc;
	/* There may be more: another thread looks while this one fetches. */
	github_wake();
	/* One fetch at a time per repository; a tests repository is keyed by its assignment. */
	key = d.tests_of ? -d.tests_of : d.repo_id;
	repo_take(key);
	rc = d.tests_of ? github_mirror_tests(db, d.tests_of, d.ref, &why) :
		github_mirror(db, d.repo_id, delivery_received(&d), &why);
	repo_release(key);
	if (!rc) {
		const char *detail = github_mirrored(&why, commit);

		log_info("github: delivery %lld: %s", (long long)d.id, detail);
		rc = db_delivery_done(db, d.id, commit, detail);
	} else {
		int failed = now - d.received >= GITHUB_GIVE_UP;
		int64_t next = now + github_retry_delay(d.attempts);

		log_info("github: delivery %lld, attempt %d: %s; %s", (long long)d.id, d.attempts,
			 why.buf, failed ? "given up: `lifebelt github sync` fetches it again" :
			 "trying again later");
		rc = db_delivery_retry(db, d.id, next, failed, why.buf);
	}
	buf_release(&why);
	/* A delivery left claimed falls due again when its lease ends: nothing is lost. */
	return rc ? rc : 1;
}

/* How long the mirror waits to open the database again after it could not. */
#define GITHUB_MIRROR_REOPEN_MS 60000

/* Until the next delivery falls due, at most GITHUB_MIRROR_LOOK_MS (another process may queue). */
static int wait_ms(struct db *db)
{
	int64_t when;

	if (db_delivery_next_due(db, &when))
		return GITHUB_MIRROR_LOOK_MS;
	when -= time_now();
	if (when <= 0)
		return 0;
	return when * 1000 < GITHUB_MIRROR_LOOK_MS ? (int)(when * 1000) : GITHUB_MIRROR_LOOK_MS;
}

static void *mirror_loop(void *unused)
{
	struct buf path = BUF_INIT;
	struct db *db = NULL;
	sigset_t stop;
	int said = 0;           /* the database's trouble was logged, until it is over */

	(void)unused;
	/* The server's main thread takes SIGTERM and SIGINT, and stops this one in turn. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	home_path(&path, "lifebelt.db");
	while (!should_stop()) {
		int rc;

		/* db_open() says why it failed: once a minute is enough. */
		if (!db && db_open(&db, path.buf, 0)) {
			db = NULL;
			github_wait(GITHUB_MIRROR_REOPEN_MS);
			continue;
		}
		rc = github_mirror_next(db);
		if (rc > 0)
			continue;
		if (rc < 0 && !said)
			log_info("github: the deliveries cannot be read now (database %s); "
				 "trying again every %d s", rc == DB_EBUSY ? "busy" : "unavailable",
				 GITHUB_MIRROR_LOOK_MS / 1000);
		said = rc < 0;
		github_wait(rc < 0 ? GITHUB_MIRROR_LOOK_MS : wait_ms(db));
	}
	db_close(db);
	buf_release(&path);
	return NULL;
}

/* github.mirror_threads, read once at start; 1 when the database cannot tell. */
static int threads_setting(void)
{
	struct buf path = BUF_INIT;
	struct db *db;
	int64_t n = 1;

	home_path(&path, "lifebelt.db");
	if (!db_open(&db, path.buf, DB_READONLY)) {
		n = db_config_int(db, "github.mirror_threads");
		db_close(db);
	}
	buf_release(&path);
	return n < 1 ? 1 : n > GITHUB_MIRROR_THREADS_MAX ? GITHUB_MIRROR_THREADS_MAX : (int)n;
}

int github_mirror_start(void)
{
	int err = 0, n = threads_setting();

	git_libgit2_init();
	for (running = 0; running < n; running++)
		if ((err = pthread_create(&mirror_threads[running], NULL, mirror_loop, NULL)))
			break;
	if (err && !running) {
		git_libgit2_shutdown();
		return error("cannot start the GitHub mirror: %s", strerror(err));
	}
	if (err)
		log_info("github: the mirror runs %d threads, not %d: %s", running, n, strerror(err));
	return 0;
}

void github_mirror_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&stop_mu);
	stopping = 1;
	pthread_mutex_unlock(&stop_mu);
	github_wake_all();
	while (running > 0)
		pthread_join(mirror_threads[--running], NULL);
	git_libgit2_shutdown();
}
