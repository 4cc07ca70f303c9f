/* session.c: teachers' sessions: signed cookies that signing out ends. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "web.h"
#include "../db/model.h"
#include "../db/web.h"
#include "../lib/alloc.h"
#include "../lib/crypto.h"
#include "../lib/log.h"
#include "../lib/names.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

#define COOKIE_NAME     "lifebelt_teacher"
#define SESSION_SECONDS (12 * 3600)
#define COOKIE_MAX      256

/*
 * The cookie is LOGIN:EXPIRY:SERIAL:MAC with MAC = HMAC(server key,
 * "teacher" login expiry token_gen serial boot). The web view never writes
 * to the database, so what a session needs is either signed into the cookie
 * or kept in this process's memory:
 * - a new `lifebelt token` bumps token_gen and so ends every session of that person;
 * - SERIAL numbers the sessions this process started, and signing out
 *   records the highest one so far as that teacher's floor: every cookie
 *   of theirs at or below it is refused from then on, a copied one too;
 * - boot is random at each start, so a restart, which forgets the floors,
 *   ends every session instead (teachers sign in again).
 */
static struct floor {
	int64_t person_id, serial;
} *floors;
static size_t floors_nr, floors_alloc;
static int64_t last_serial, everyone_floor;     /* the floor of all, if memory ran out */
static unsigned char boot[16];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* boot need not be secret (the server key is), only new at each start. */
static void boot_once(void)
{
	struct timespec ts;
	pid_t pid = getpid();

	if (crypto_random(boot, sizeof(boot))) {
		clock_gettime(CLOCK_REALTIME, &ts);
		memcpy(boot, &ts, sizeof(ts) < sizeof(boot) ? sizeof(ts) : sizeof(boot));
		memcpy(boot + sizeof(boot) - sizeof(pid), &pid, sizeof(pid));
	}
}

static int session_mac(struct buf *out, const char *login, int64_t expiry, int64_t gen,
		       int64_t serial)
{
	const struct buf *key = web_server_key();
	struct buf msg = BUF_INIT;
	int rc;

	pthread_once(&once, boot_once);
	buf_addf(&msg, "teacher%c%s%c%lld%c%lld%c%lld%c", 0, login, 0, (long long)expiry, 0,
		 (long long)gen, 0, (long long)serial, 0);
	buf_add(&msg, boot, sizeof(boot));
	rc = crypto_hmac_hex(out, key->buf, key->len, msg.buf, msg.len);
	buf_release(&msg);
	return rc;
}

/* The floor of person_id's sessions: the highest serial signing out ended; 0 if none. Locked. */
static struct floor *floor_of(int64_t person_id)
{
	size_t i;

	for (i = 0; i < floors_nr; i++)
		if (floors[i].person_id == person_id)
			return &floors[i];
	return NULL;
}

static int session_ended(int64_t person_id, int64_t serial)
{
	struct floor *f;
	int ended;

	pthread_mutex_lock(&lock);
	f = floor_of(person_id);
	ended = serial <= everyone_floor || (f && serial <= f->serial);
	pthread_mutex_unlock(&lock);
	return ended;
}

/* The person and serial of a valid cookie of a teacher; 0 for none. */
static int64_t session_check(struct request *r, int64_t *serial_out)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE_NAME);
	char copy[COOKIE_MAX + 1], *login, *exp, *ser, *mac, *end;
	struct buf want = BUF_INIT;
	struct person p;
	int64_t id = 0;
	long long expiry, serial;

	if (!v || strlen(v) > COOKIE_MAX)
		return 0;
	memcpy(copy, v, strlen(v) + 1);
	login = copy;
	if (!(exp = strchr(login, ':')) || !(ser = strchr(exp + 1, ':')) || !(mac = strchr(ser + 1, ':')))
		return 0;
	*exp++ = *ser++ = *mac++ = '\0';
	expiry = strtoll(exp, &end, 10);
	if (*end || expiry < time_now() || name_valid(login))
		return 0;
	serial = strtoll(ser, &end, 10);
	if (*end || serial <= 0)
		return 0;
	if (db_person_get(r->db, login, &p))
		return 0;
	if (!session_mac(&want, login, expiry, p.token_gen, serial) &&
	    crypto_equal(want.buf, want.len, mac, strlen(mac)) && !session_ended(p.id, serial) &&
	    db_is_teacher(r->db, p.id)) {
		id = p.id;
		*serial_out = serial;
	}
	person_release(&p);
	buf_release(&want);
	return id;
}

int64_t teacher_from_cookie(struct request *r)
{
	int64_t serial;

	return session_check(r, &serial);
}

static int cookie_is_secure(struct db *db)
{
	struct buf url = BUF_INIT;
	int secure;

	db_config_get(db, "web.url", &url);
	secure = !strncmp(url.buf, "https://", 8);
	buf_release(&url);
	return secure;
}

int session_start(struct request *r, const struct person *p)
{
	struct buf mac = BUF_INIT;
	int64_t expiry = time_now() + SESSION_SECONDS, serial;
	int rc;

	pthread_mutex_lock(&lock);
	serial = ++last_serial;
	pthread_mutex_unlock(&lock);
	if ((rc = session_mac(&mac, p->login, expiry, p->token_gen, serial)))
		goto done;
	buf_addf(&r->cookie, COOKIE_NAME "=%s:%lld:%lld:%s; Path=/; Max-Age=%d; HttpOnly; "
		 "SameSite=Strict%s", p->login, (long long)expiry, (long long)serial, mac.buf,
		 SESSION_SECONDS, cookie_is_secure(r->db) ? "; Secure" : "");
done:
	buf_release(&mac);
	return rc;
}

void session_end(struct request *r)
{
	int64_t serial, id = session_check(r, &serial);
	struct floor *f;

	buf_adds(&r->cookie, COOKIE_NAME "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
	if (!id)
		return;
	pthread_mutex_lock(&lock);
	f = floor_of(id);
	/* One entry per teacher who signed out: their number bounds the table. */
	if (!f) {
		ALLOC_GROW(floors, floors_nr + 1, floors_alloc);
		f = &floors[floors_nr++];
		f->person_id = id;
	}
	/* Every session of theirs so far ends, not only this one: a copy of any is as good. */
	if (f)
		f->serial = last_serial;
	else
		everyone_floor = last_serial;   /* no memory to remember them: end everyone's */
	pthread_mutex_unlock(&lock);
	log_info("teacher %lld signed out; their sessions so far are ended", (long long)id);
}
