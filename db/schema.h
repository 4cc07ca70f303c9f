/* schema.h: the numbered migrations that make the schema. */
#ifndef DB_SCHEMA_H
#define DB_SCHEMA_H

/* migrations[i] takes the database from user_version i to i + 1. */
extern const char *const schema_migrations[];
extern const int schema_nr_migrations;

#endif
