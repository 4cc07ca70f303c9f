/*
 * fuzz-http-auth.c: the Authorization header of a smart HTTP request
 * (gitd/http-auth.c), then the checks its login and token meet before
 * anything is looked up (lib/throttle.c's, lib/names.c's).
 */
#include <stdlib.h>

#include "fuzz.h"
#include "../../gitd/http-auth.h"
#include "../../lib/buf.h"
#include "../../lib/names.h"
#include "../../lib/secret.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *value = fuzz_string(data, size);
	struct buf login = BUF_INIT, token = BUF_INIT, hash = BUF_INIT;

	if (!http_auth_basic(value, &login, &token) && !name_valid(login.buf) &&
	    secret_token_shaped(token.buf))
		secret_hash(&hash, token.buf);
	buf_release(&login);
	buf_release(&token);
	buf_release(&hash);
	free(value);
	return 0;
}
