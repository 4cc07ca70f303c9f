/* github-api.c: GitHub's REST API over libcurl: an App's JWT and installation tokens, commit statuses (see github.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "github.h"
#include "../db/db.h"
#include "../db/model.h"
#include "../lib/alloc.h"
#include "../lib/buf.h"
#include "../lib/home.h"
#include "../lib/log.h"
#include "../lib/timeutil.h"
#include "../lib/banned.h"

void github_base64url(struct buf *out, const void *data, size_t len)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		buf_addch(out, abc[p[i] >> 2]);
		buf_addch(out, abc[((p[i] & 3) << 4) | (p[i + 1] >> 4)]);
		buf_addch(out, abc[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)]);
		buf_addch(out, abc[p[i + 2] & 63]);
	}
	if (len - i == 1) {
		buf_addch(out, abc[p[i] >> 2]);
		buf_addch(out, abc[(p[i] & 3) << 4]);
	} else if (len - i == 2) {
		buf_addch(out, abc[p[i] >> 2]);
		buf_addch(out, abc[((p[i] & 3) << 4) | (p[i + 1] >> 4)]);
		buf_addch(out, abc[(p[i + 1] & 15) << 2]);
	}
}

/* The RSA private key in pem, or NULL with why. Free with EVP_PKEY_free(). */
static EVP_PKEY *app_key_parse(const char *pem, size_t pem_len, struct buf *why)
{
	BIO *bio = BIO_new_mem_buf(pem, (int)pem_len);
	EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)"") : NULL;

	BIO_free(bio);
	ERR_clear_error();      /* what PEM parsing left there is no one else's concern */
	if (!key) {
		buf_adds(why, "it is not a private key in PEM form (-----BEGIN RSA PRIVATE KEY-----): "
			 "give the .pem file GitHub made for the App");
		return NULL;
	}
	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
		buf_adds(why, "it is not an RSA key: GitHub Apps sign with RSA; give the .pem file "
			 "GitHub made for the App");
		EVP_PKEY_free(key);
		return NULL;
	}
	if (EVP_PKEY_get_bits(key) < 2048) {
		buf_addf(why, "it is a %d-bit RSA key, too short: GitHub's App keys have 2048 bits",
			 EVP_PKEY_get_bits(key));
		EVP_PKEY_free(key);
		return NULL;
	}
	return key;
}

int github_app_key_check(const char *pem, size_t pem_len, struct buf *why)
{
	EVP_PKEY *key = app_key_parse(pem, pem_len, why);

	EVP_PKEY_free(key);
	return key ? 0 : -1;
}

/* Append base64url(JSON of v) and free v. */
static void add_json_part(struct buf *out, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (!s)
		die("out of memory");
	github_base64url(out, s, strlen(s));
	free(s);
	json_decref(v);
}

int github_jwt(struct buf *out, const char *app_id, const char *pem, size_t pem_len, int64_t now,
	       struct buf *why)
{
	struct buf msg = BUF_INIT;
	unsigned char *sig = NULL;
	size_t siglen = 0;
	EVP_PKEY *key = app_key_parse(pem, pem_len, why);
	EVP_MD_CTX *md = NULL;
	int ret = -1;

	if (!key)
		return -1;
	add_json_part(&msg, json_pack("{s:s,s:s}", "alg", "RS256", "typ", "JWT"));
	buf_addch(&msg, '.');
	add_json_part(&msg, json_pack("{s:I,s:I,s:s}", "iat", (json_int_t)(now - 60),
				      "exp", (json_int_t)(now + 540), "iss", app_id));
	if (!(md = EVP_MD_CTX_new()) ||
	    EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) != 1 ||
	    EVP_DigestSign(md, NULL, &siglen, (const unsigned char *)msg.buf, msg.len) != 1) {
		buf_adds(why, "cannot sign with the App's key (libcrypto)");
		goto done;
	}
	sig = xmalloc(siglen);
	if (EVP_DigestSign(md, sig, &siglen, (const unsigned char *)msg.buf, msg.len) != 1) {
		buf_adds(why, "cannot sign with the App's key (libcrypto)");
		goto done;
	}
	buf_add(out, msg.buf, msg.len);
	buf_addch(out, '.');
	github_base64url(out, sig, siglen);
	ret = 0;
done:
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	free(sig);
	buf_release(&msg);
	return ret;
}

/* ---- requests ---- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* The reply, kept up to GITHUB_API_MAX_REPLY bytes (a longer one ends the transfer). */
static size_t reply_write(char *data, size_t size, size_t n, void *userdata)
{
	struct buf *reply = userdata;

	if (reply->len + size * n > GITHUB_API_MAX_REPLY)
		return 0;
	buf_add(reply, data, size * n);
	return size * n;
}

/* GitHub's own words on a failure ("Bad credentials"), printable and short, into why. */
static void add_message(struct buf *why, const json_t *reply)
{
	const char *m = json_string_value(json_object_get(reply, "message")), *p;
	int n = 0;

	if (!m)
		return;
	buf_adds(why, ": ");
	for (p = m; *p && n < 200; p++, n++)
		buf_addch(why, (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p);
}

/* 1 if s can go in a header as it is: no space, no line break, nothing unprintable. */
static int header_safe(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* Free the request's headers, overwriting the copy of the credential first. */
static void headers_free(struct curl_slist *hdr)
{
	struct curl_slist *h;

	for (h = hdr; h; h = h->next)
		if (!strncmp(h->data, "Authorization:", 14))
			OPENSSL_cleanse(h->data, strlen(h->data));
	curl_slist_free_all(hdr);
}

/*
 * method api+path with the token secret (NULL: none) as the bearer of the
 * request and body (may be NULL) as its JSON. 0 on a 2xx with *reply
 * (json_decref() it; NULL unless the reply is JSON), else -1 with why and
 * *http the status (0 when none came).
 */
static int request(const char *api, const char *method, const char *path, const char *secret,
		   json_t *body, long *http, json_t **reply, struct buf *why)
{
	struct buf url = BUF_INIT, auth = BUF_INIT, got = BUF_INIT;
	struct curl_slist *hdr = NULL;
	char *json = NULL;
	CURL *c;
	CURLcode cc;
	int ret = -1;

	*http = 0;
	*reply = NULL;
	pthread_once(&curl_once, curl_start);
	if (!(c = curl_easy_init())) {
		buf_adds(why, "cannot start libcurl");
		return -1;
	}
	buf_addf(&url, "%s%s", api, path);
	hdr = curl_slist_append(hdr, "Accept: application/vnd.github+json");
	hdr = curl_slist_append(hdr, "X-GitHub-Api-Version: 2022-11-28");
	if (secret && !header_safe(secret)) {
		buf_adds(why, "the GitHub credential holds spaces or control characters: set it again");
		curl_easy_cleanup(c);
		return -1;
	}
	if (secret) {
		buf_addf(&auth, "Authorization: Bearer %s", secret);
		hdr = curl_slist_append(hdr, auth.buf);
	}
	if (body) {
		if (!(json = json_dumps(body, JSON_COMPACT)))
			die("out of memory");
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
	} else if (!strcmp(method, "POST")) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");     /* Content-Length: 0 */
	}
	curl_easy_setopt(c, CURLOPT_URL, url.buf);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "Lifebelt");
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  /* never carry the token elsewhere */
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);        /* threads: no SIGALRM for DNS timeouts */
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)GITHUB_API_SECONDS);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE, (long)GITHUB_API_MAX_REPLY);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, reply_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &got);
	cc = curl_easy_perform(c);
	if (cc != CURLE_OK) {
		buf_addf(why, "%s %s: %s", method, path, curl_easy_strerror(cc));
		goto done;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, http);
	*reply = got.len ? json_loadb(got.buf, got.len, JSON_REJECT_DUPLICATES, NULL) : NULL;
	if (*http < 200 || *http > 299) {
		buf_addf(why, "%s %s: HTTP %ld", method, path, *http);
		add_message(why, *reply);
		json_decref(*reply);
		*reply = NULL;
		goto done;
	}
	ret = 0;
done:
	curl_easy_cleanup(c);
	headers_free(hdr);
	free(json);
	github_secret_release(&auth);
	buf_release(&url);
	buf_release(&got);
	return ret;
}

/* ---- installation tokens ---- */

/* What the App's tokens are cached under: a repository's installation, and its token. */
struct installation {
	char *repo;             /* "owner/name", as asked */
	char *app_id;
	json_int_t id;
	char *token;            /* NULL until one is fetched */
	int64_t expires;
};

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct installation *cache;
static size_t cache_nr, cache_alloc;

static void installation_clear_token(struct installation *in)
{
	if (in->token) {
		OPENSSL_cleanse(in->token, strlen(in->token));
		free(in->token);
	}
	in->token = NULL;
	in->expires = 0;
}

/* The entry of repo (under the cache's lock), or NULL. */
static struct installation *cache_find(const char *repo, const char *app_id)
{
	size_t i;

	for (i = 0; i < cache_nr; i++)
		if (!strcasecmp(cache[i].repo, repo) && !strcmp(cache[i].app_id, app_id))
			return &cache[i];
	return NULL;
}

static int token_good(const struct installation *in, int64_t now)
{
	return in->token && now < in->expires - GITHUB_TOKEN_MARGIN;
}

/*
 * A cached token still good at now, appended to token: repo's, or when
 * *id is known already, its installation's (another repository's). 1, or
 * 0 with *id set when repo's installation is known.
 */
static int cache_get(const char *repo, const char *app_id, int64_t now, struct buf *token,
		     json_int_t *id, int64_t *expires)
{
	struct installation *in;
	size_t i;
	int hit = 0;

	pthread_mutex_lock(&cache_mu);
	if (!*id && (in = cache_find(repo, app_id)))
		*id = in->id;
	for (i = 0; *id && !hit && i < cache_nr; i++)
		if (cache[i].id == *id && !strcmp(cache[i].app_id, app_id) && token_good(&cache[i], now)) {
			buf_adds(token, cache[i].token);
			*expires = cache[i].expires;
			hit = 1;
		}
	pthread_mutex_unlock(&cache_mu);
	return hit;
}

static void cache_put(const char *repo, const char *app_id, json_int_t id, const char *tok,
		      int64_t expires)
{
	struct installation *in;
	size_t i;

	pthread_mutex_lock(&cache_mu);
	if (!(in = cache_find(repo, app_id))) {
		ALLOC_GROW(cache, cache_nr + 1, cache_alloc);
		in = &cache[cache_nr++];
		memset(in, 0, sizeof(*in));
		in->repo = xstrdup(repo);
		in->app_id = xstrdup(app_id);
	}
	in->id = id;
	installation_clear_token(in);
	in->token = xstrdup(tok);
	in->expires = expires;
	/* Repositories of the same installation share its newest token. */
	for (i = 0; i < cache_nr; i++)
		if (&cache[i] != in && cache[i].id == id && !strcmp(cache[i].app_id, app_id)) {
			installation_clear_token(&cache[i]);
			cache[i].token = xstrdup(tok);
			cache[i].expires = expires;
		}
	pthread_mutex_unlock(&cache_mu);
}

void github_token_forget(const char *full_name)
{
	size_t i;

	pthread_mutex_lock(&cache_mu);
	for (i = 0; i < cache_nr; i++)
		if (!strcasecmp(cache[i].repo, full_name)) {
			installation_clear_token(&cache[i]);
			cache[i].id = 0;
		}
	pthread_mutex_unlock(&cache_mu);
}

/* GET /repos/OWNER/REPO/installation with the App's JWT: the installation's id. */
static int installation_id(const char *api, const char *repo, const char *jwt, json_int_t *id,
			   struct buf *why)
{
	struct buf path = BUF_INIT;
	json_t *reply;
	long http;
	int ret;

	buf_addf(&path, "/repos/%s/installation", repo);
	ret = request(api, "GET", path.buf, jwt, NULL, &http, &reply, why);
	if (!ret && (*id = json_integer_value(json_object_get(reply, "id"))) <= 0) {
		buf_addf(why, "GET %s: the reply has no installation id", path.buf);
		ret = -1;
	}
	if (ret && http == 404)
		buf_addf(why, " (is the App installed on %s?)", repo);
	json_decref(reply);
	buf_release(&path);
	return ret;
}

/* POST /app/installations/ID/access_tokens with the App's JWT: a token and when it expires. */
static int installation_token(const char *api, json_int_t id, const char *jwt, struct buf *token,
			      int64_t *expires, struct buf *why)
{
	struct buf path = BUF_INIT;
	const char *tok, *at;
	json_t *reply;
	long http;
	int ret;

	buf_addf(&path, "/app/installations/%lld/access_tokens", (long long)id);
	ret = request(api, "POST", path.buf, jwt, NULL, &http, &reply, why);
	if (!ret) {
		tok = json_string_value(json_object_get(reply, "token"));
		at = json_string_value(json_object_get(reply, "expires_at"));
		if (!tok || !*tok || !at || time_parse(at, expires)) {
			buf_addf(why, "POST %s: the reply has no token or no expires_at", path.buf);
			ret = -1;
		} else {
			buf_adds(token, tok);
		}
	}
	json_decref(reply);
	buf_release(&path);
	return ret;
}

/* The App's installation token for repo: from the cache, or fetched with a fresh JWT. */
static int app_token(const char *api, const char *repo, const char *app_id, struct buf *token,
		     struct buf *why)
{
	struct buf key = BUF_INIT, jwt = BUF_INIT, fresh = BUF_INIT;
	int64_t now = time_now(), expires = 0;
	json_int_t id = 0;
	int ret;

	if (cache_get(repo, app_id, now, token, &id, &expires))
		return 0;
	ret = github_secret_read(GITHUB_SECRET_APP_KEY, &key);
	if (ret == GITHUB_ENOSECRET) {
		buf_adds(why, "the GitHub App's key is missing: set it again with `lifebelt github app`");
		ret = -1;
	}
	if (ret)
		goto done;
	if ((ret = github_jwt(&jwt, app_id, key.buf, key.len, now, why)))
		goto done;
	if (!id) {
		if ((ret = installation_id(api, repo, jwt.buf, &id, why)))
			goto done;
		/* Another repository of the same installation may have its token already. */
		if (cache_get(repo, app_id, now, &fresh, &id, &expires)) {
			cache_put(repo, app_id, id, fresh.buf, expires);
			buf_add(token, fresh.buf, fresh.len);
			goto done;
		}
	}
	if ((ret = installation_token(api, id, jwt.buf, &fresh, &expires, why))) {
		github_token_forget(repo);      /* the installation may be gone: ask again next time */
		goto done;
	}
	cache_put(repo, app_id, id, fresh.buf, expires);
	buf_add(token, fresh.buf, fresh.len);
done:
	github_secret_release(&key);
	github_secret_release(&jwt);
	github_secret_release(&fresh);
	return ret;
}

int github_token_at(const char *api, const char *full_name, struct buf *token, struct buf *why)
{
	struct buf app_id = BUF_INIT;
	int ret;

	if (!github_repo_name_ok(full_name)) {
		buf_addf(why, "'%s' is not a GitHub repository's name (OWNER/NAME)", full_name);
		return -1;
	}
	ret = github_secret_read(GITHUB_SECRET_APP_ID, &app_id);
	if (!ret) {
		ret = app_token(api, full_name, app_id.buf, token, why);
	} else if (ret == GITHUB_ENOSECRET) {
		ret = github_secret_read(GITHUB_SECRET_TOKEN, token);
		buf_rtrim(token);       /* a file written by hand ends in a newline */
		if (ret == GITHUB_ENOSECRET)
			buf_adds(why, "no GitHub credentials: set a GitHub App with `lifebelt github app` "
				 "or a token with `lifebelt github token`");
	}
	if (ret == -1 && !why->len)
		buf_adds(why, "cannot read the GitHub credentials");
	buf_release(&app_id);
	return ret;
}

int github_token_for(const char *full_name, struct buf *token, struct buf *why)
{
	struct buf path = BUF_INIT, api = BUF_INIT;
	struct db *db = NULL;
	int ret;

	home_path(&path, "lifebelt.db");
	if (db_open(&db, path.buf, DB_READONLY)) {
		buf_addf(why, "cannot open %s for the setting github.api_url", path.buf);
		ret = -1;
	} else {
		db_config_get(db, "github.api_url", &api);
		ret = github_token_at(api.buf, full_name, token, why);
	}
	db_close(db);
	buf_release(&path);
	buf_release(&api);
	return ret;
}

/* ---- commit statuses ---- */

/* Append s cut to at most max characters, on a UTF-8 boundary. */
static void add_cut(struct buf *out, const char *s, size_t max)
{
	size_t i, chars = 0;

	for (i = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && ++chars > max)
			break;
		buf_addch(out, s[i]);
	}
}

int github_status_post(const char *api, const char *full_name, const char *sha,
		       const char *state, const char *description, const char *target_url,
		       long *http, struct buf *why)
{
	struct buf path = BUF_INIT, token = BUF_INIT, desc = BUF_INIT;
	json_t *body = NULL, *reply = NULL;
	int ret;

	*http = 0;
	if ((ret = github_token_at(api, full_name, &token, why)))
		goto done;
	add_cut(&desc, description, 140);
	body = json_pack("{s:s,s:s,s:s,s:s}", "state", state, "target_url", target_url,
			 "description", desc.buf, "context", "lifebelt");
	if (!body) {
		buf_adds(why, "the status is not valid UTF-8");
		ret = -1;
		goto done;
	}
	buf_addf(&path, "/repos/%s/statuses/%s", full_name, sha);
	ret = request(api, "POST", path.buf, token.buf, body, http, &reply, why);
	if (ret && *http == 401)
		github_token_forget(full_name);
done:
	json_decref(body);
	json_decref(reply);
	github_secret_release(&token);
	buf_release(&path);
	buf_release(&desc);
	return ret ? -1 : 0;
}
