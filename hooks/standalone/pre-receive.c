/*
 * pre-receive.c: the pre-receive hook as a program of its own.
 *
 * git starts the hook in a fresh process for every push; like
 * lifebelt-post-receive, this program links only what the hook uses
 * (libgit2 and the rest, statically; see the Makefile), not the web
 * server's libraries. `lifebelt init` points the hook at it when it sits
 * next to the lifebelt binary; the lifebelt binary itself still runs the
 * hook when called by that name.
 */
#include "../hook.h"
#include "../../lib/banned.h"

/*
 * libgit2 built with mbedTLS (Debian's) parses the system's whole CA bundle
 * in git_libgit2_init(), for HTTPS remotes: about 140 certificates, more
 * work than everything else this hook does. The hook only reads objects of
 * a local repository and never opens a connection, so the Makefile links
 * libgit2's calls of mbedTLS's loaders (-Wl,--wrap) to these, which load
 * nothing. A libgit2 built with another TLS library never calls them.
 */
int __wrap_mbedtls_x509_crt_parse_file(void *chain, const char *path);
int __wrap_mbedtls_x509_crt_parse_path(void *chain, const char *path);

int __wrap_mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}

int __wrap_mbedtls_x509_crt_parse_path(void *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}

int main(void)
{
	return hook_enter(hook_pre_receive);
}
