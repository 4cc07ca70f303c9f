/* fuzz-node-proto.c: the frames a node sends the runner, and those the runner sends a node (node-proto.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "../../runner/node-proto.h"
#include "../../runner/slurm.h"
#include "../../lib/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct observation o;
	struct node_entry e;
	struct step st;
	struct limits l;
	struct buf s = BUF_INIT;
	char label[64], **reports, **files, *text;

	if (!node_obs_decode(p, size, 64, 1 << 20, &o))
		observation_release(&o);
	if (!node_entry_decode(p, size, &e))
		free(e.path);
	if (!node_step_decode(p, size, &st))
		node_step_release(&st);
	if (!node_header_decode(p, size, label, sizeof(label), &l, &reports, &files)) {
		node_reports_free(reports);
		node_reports_free(files);
	}
	text = malloc(size + 1);
	if (text) {
		memcpy(text, data, size);
		text[size] = '\0';
		slurm_end_parse(text, &s);
		free(text);
	}
	buf_release(&s);
	return 0;
}
