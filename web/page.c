/* page.c: the frame every HTML page shares, error pages, path and format helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "web.h"
#include "../db/model.h"
#include "../lib/alloc.h"
#include "../lib/timeutil.h"
#include "../lib/verdict.h"
#include "../lib/banned.h"

void page_begin(struct request *r, const char *title)
{
	html_raw(&r->out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		 "<meta name=\"referrer\" content=\"no-referrer\">");
	if (r->refresh)
		html_rawf(&r->out, "<meta http-equiv=\"refresh\" content=\"%d\">", r->refresh);
	html_raw(&r->out, "<title>");
	html_txt(&r->out, title);
	html_raw(&r->out, " - Lifebelt</title><link rel=\"stylesheet\" href=\"/style.css\"></head>\n"
		 "<body><header><a class=\"brand\" href=\"/\">Lifebelt</a></header><main>\n<h1>");
	html_txt(&r->out, title);
	html_raw(&r->out, "</h1>\n");
}

void page_end(struct request *r)
{
	html_raw(&r->out, "</main></body></html>\n");
}

void page_error(struct request *r, unsigned int status, const char *message)
{
	char title[32];

	buf_reset(&r->out);
	buf_reset(&r->cookie);
	r->location = NULL;
	r->refresh = 0;
	r->status = status;
	r->type = NULL;
	snprintf(title, sizeof(title), "%u", status);
	page_begin(r, title);
	html_raw(&r->out, "<p>");
	html_txt(&r->out, message);
	html_raw(&r->out, "</p>\n");
	page_end(r);
}

int path_split(const char *path, char **copy, char **seg, int max, int *is_dir)
{
	char *p;
	int n = 0;

	*copy = xstrdup(path);
	p = *copy;
	*is_dir = !*p;
	while (*p) {
		char *slash = strchr(p, '/');

		if (n == max || p == slash)
			return -1;
		seg[n++] = p;
		if (!slash)
			break;
		*slash = '\0';
		p = slash + 1;
		if (!*p)
			*is_dir = 1;
	}
	return n;
}

int64_t parse_id(const char *s)
{
	int64_t v = 0;

	if (!s || !*s || *s == '0' || strlen(s) > 15)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

void web_time(struct buf *b, int64_t t)
{
	time_format(b, t);
}

void web_score(struct buf *b, int has_score, double score, double max_score)
{
	if (!has_score) {
		html_raw(b, "&ndash;");
		return;
	}
	html_num(b, score);
	html_raw(b, " / ");
	html_num(b, max_score);
}

/* Unknown words are escaped like any data. */
void web_state(struct buf *b, const char *state, const char *status)
{
	const char *word = job_state_parse(state) == JOB_DONE && *status ? status : state;

	web_word(b, *word ? word : "no job");
}

static int mirrored(const char *via, const char *github_repo)
{
	return via && !strcmp(via, "webhook") && github_repo && *github_repo;
}

void web_submission_state(struct buf *b, const char *state, const char *status, const char *via)
{
	/* The mirror records a push after the close without a job: GitHub could not refuse it. */
	if (!*state && via && !strcmp(via, "webhook"))
		html_raw(b, "<span class=\"st st-closed\">after close, not graded</span>");
	else
		web_state(b, state, status);
}

void web_github_url(struct db *db, struct buf *out)
{
	db_config_get(db, "github.git_url", out);       /* the setting has no trailing '/' */
}

void web_commit(struct buf *b, const char *commit, size_t shown, const char *via,
		const char *github_repo, const char *github_url)
{
	size_t n = strlen(commit);

	if (shown && shown < n)
		n = shown;
	if (!mirrored(via, github_repo)) {
		html_raw(b, "<code>");
		html_ntxt(b, commit, n);
		html_raw(b, "</code>");
		return;
	}
	html_raw(b, "<a href=\"");
	html_attr(b, github_url);
	html_raw(b, "/");
	html_attr(b, github_repo);
	html_raw(b, "/commit/");
	html_attr(b, commit);
	html_raw(b, "\"><code>");
	html_ntxt(b, commit, n);
	html_raw(b, "</code></a> via GitHub <code>");
	html_txt(b, github_repo);
	html_raw(b, "</code>");
}

void web_word(struct buf *b, const char *word)
{
	html_raw(b, "<span class=\"st st-");
	html_attr(b, word);
	html_raw(b, "\">");
	html_txt(b, word);
	html_raw(b, "</span>");
}
