/* csv.c: RFC 4180 parsing, strict about quotes so a broken roster is caught. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "log.h"
#include "alloc.h"
#include "banned.h"

void csv_init(struct csv *c, const char *data, size_t len)
{
	c->p = data;
	c->end = data + len;
	c->line = 1;
	/* A UTF-8 byte order mark, as spreadsheets write it. */
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		c->p += 3;
}

static void clear(struct csv_row *row)
{
	size_t i;

	for (i = 0; i < row->nr; i++)
		free(row->field[i]);
	row->nr = 0;
}

void csv_row_release(struct csv_row *row)
{
	clear(row);
	free(row->field);
	row->field = NULL;
	row->alloc = 0;
}

static void push(struct csv_row *row, struct buf *f)
{
	ALLOC_GROW(row->field, row->nr + 1, row->alloc);
	row->field[row->nr++] = buf_detach(f, NULL);
}

int csv_next(struct csv *c, struct csv_row *row, const char **why)
{
	struct buf f = BUF_INIT;

	clear(row);
	/* Skip blank lines. */
	while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) {
		if (*c->p == '\n')
			c->line++;
		c->p++;
	}
	if (c->p >= c->end)
		return 0;
	row->line = c->line;
	for (;;) {
		if (c->p < c->end && *c->p == '"') {
			c->p++;
			for (;;) {
				if (c->p >= c->end) {
					*why = "unterminated quoted field";
					buf_release(&f);
					return -1;
				}
				if (*c->p == '"') {
					if (c->p + 1 < c->end && c->p[1] == '"') {
						buf_addch(&f, '"');
						c->p += 2;
						continue;
					}
					c->p++;
					break;
				}
				if (*c->p == '\n')
					c->line++;
				buf_addch(&f, *c->p++);
			}
			if (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
				*why = "text after a closing quote";
				buf_release(&f);
				return -1;
			}
		} else {
			while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
				if (*c->p == '"') {
					*why = "quote inside an unquoted field";
					buf_release(&f);
					return -1;
				}
				buf_addch(&f, *c->p++);
			}
		}
		push(row, &f);
		if (c->p >= c->end)
			break;
		if (*c->p == ',') {
			c->p++;
			continue;
		}
		if (*c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n') {
			c->p++;
			c->line++;
		}
		break;
	}
	return 1;
}

void csv_add_field(struct buf *b, const char *s)
{
	const char *p;

	if (b->len && b->buf[b->len - 1] != '\n')
		buf_addch(b, ',');
	if (!strpbrk(s, ",\"\r\n") && !strchr("=+-@\t", *s ? *s : 'x')) {
		buf_adds(b, s);
		return;
	}
	buf_addch(b, '"');
	if (strchr("=+-@\t", *s ? *s : 'x'))
		buf_addch(b, '\'');
	for (p = s; *p; p++) {
		if (*p == '"')
			buf_addch(b, '"');
		buf_addch(b, *p);
	}
	buf_addch(b, '"');
}
