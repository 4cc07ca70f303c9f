/* number.h: whole numbers from the command line and the settings, within bounds. */
#ifndef LIB_NUMBER_H
#define LIB_NUMBER_H

#include <stdint.h>

/*
 * Parse s, an optional '-' and decimal digits and nothing else (no spaces,
 * no '+', no "0x"), into *out if it lies in lo..hi. Returns 0, or -1
 * with *out untouched and nothing printed.
 */
int number_parse(const char *s, int64_t lo, int64_t hi, int64_t *out);

/*
 * number_parse() for the option opt ("--workers"), saying on failure
 * "bad value for --workers: '0' (a whole number from 1 to 64)".
 * s NULL (the option was not given) leaves *out as it is. 0 or -1.
 */
int number_arg(const char *opt, const char *s, int64_t lo, int64_t hi, int64_t *out);
/* The same for an int. */
int number_arg_int(const char *opt, const char *s, int lo, int hi, int *out);

#endif
