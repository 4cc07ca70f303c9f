/* t-push.c: an assignment's default caps in lib/push.h are the schema's too. */
#include <stdint.h>
#include <stdlib.h>

#include "tap.h"
#include "../../db/db.h"
#include "../../lib/buf.h"
#include "../../lib/fsutil.h"
#include "../../lib/push.h"

/* The schema's default of the assignments column col. */
static int64_t column_default(struct db *db, const char *col)
{
	int64_t v = -1;

	db_int(db, &v, "SELECT CAST(dflt_value AS INTEGER) FROM pragma_table_info('assignments') "
	       "WHERE name = ?", "t", col);
	return v;
}

int main(void)
{
	char dir[] = "/tmp/lifebelt-t-push.XXXXXX";
	struct buf path = BUF_INIT;
	struct db *db;

	if (!mkdtemp(dir))
		return 2;
	buf_addf(&path, "%s/lifebelt.db", dir);
	if (db_open(&db, path.buf, DB_CREATE))
		return 2;
	is_int(column_default(db, "max_input_size"), (int64_t)PUSH_INPUT_MB << 20,
	       "an assignment's push cap defaults to PUSH_INPUT_MB MiB in the schema too");
	is_int(column_default(db, "max_file_size"), PUSH_FILE_SIZE, "and its file size cap");
	is_int(column_default(db, "max_files"), PUSH_FILES, "and its file count cap");
	db_close(db);
	fs_remove_tree(dir);
	buf_release(&path);
	return done_testing();
}
