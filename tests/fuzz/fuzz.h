/*
 * fuzz.h: what every fuzz target shares. Each tests/fuzz/fuzz-NAME.c
 * defines LLVMFuzzerTestOneInput for one parser of bytes from outside;
 * `make fuzz` links it with libFuzzer, `make test` with corpus.c, which
 * runs every input kept in tests/fuzz/corpus/NAME once.
 */
#ifndef TESTS_FUZZ_H
#define TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* data as a NUL-terminated string (a NUL inside ends it, as for a C caller); free it. */
char *fuzz_string(const uint8_t *data, size_t size);

#endif
