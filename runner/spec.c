/* spec.c: reading and checking lifebelt.json and autograding.json. */
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "spec.h"
#include "../lib/buf.h"
#include "../lib/log.h"
#include "../lib/banned.h"

static int check_file(const char *path)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	json_t *tests;
	int ret = -1;

	if (!root)
		return error("%s: line %d: %s", path, jerr.line, jerr.text);
	tests = json_object_get(root, "tests");
	if (!json_is_object(root))
		error("%s: the top level must be a JSON object", path);
	else if (!json_is_array(tests))
		error("%s: field 'tests' must be an array of tests", path);
	else if (!json_array_size(tests))
		error("%s: field 'tests' is empty", path);
	else
		ret = 0;
	json_decref(root);
	return ret;
}

int spec_check_dir(const char *dir)
{
	struct buf p = BUF_INIT;
	int ret;

	buf_addf(&p, "%s/lifebelt.json", dir);
	if (access(p.buf, F_OK)) {
		buf_reset(&p);
		buf_addf(&p, "%s/.github/classroom/autograding.json", dir);
	}
	if (access(p.buf, F_OK))
		ret = error("tests directory %s has no lifebelt.json (or "
			    ".github/classroom/autograding.json)", dir);
	else
		ret = check_file(p.buf);
	buf_release(&p);
	return ret;
}
