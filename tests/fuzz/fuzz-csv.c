/* fuzz-csv.c: a roster or an export's CSV file (lib/csv.c). */
#include "fuzz.h"
#include "../../lib/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv c;
	struct csv_row row = CSV_ROW_INIT;
	const char *why;
	int rows = 0;

	csv_init(&c, (const char *)data, size);
	while (csv_next(&c, &row, &why) > 0 && ++rows < 100000)
		;
	csv_row_release(&row);
	return 0;
}
