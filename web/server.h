/* server.h: `lifebelt serve`: the HTTP server and its route table. */
#ifndef WEB_SERVER_H
#define WEB_SERVER_H

struct serve_opts {
	const char *listen;     /* "127.0.0.1:8080" */
	int no_cache;           /* render every page afresh (to measure, or to debug) */
};

/* Run until SIGINT or SIGTERM; 0 on a clean stop, -1 if the server could not start. */
int web_serve(const struct serve_opts *o);

#endif
