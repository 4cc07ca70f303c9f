# Lifebelt: one binary, `lifebelt`. `make V=1` shows the commands.

PREFIX ?= /usr/local
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/lifebelt
BUILD ?= build
CC ?= cc
CFLAGS ?= -O2 -g
LDFLAGS ?=
PKG_CONFIG ?= pkg-config
PKGS = libgit2 libssh2 sqlite3 libmicrohttpd jansson libcrypto libpcre2-8 libseccomp zlib expat libcurl \
	yaml-0.1

WARNINGS = -std=c11 -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wvla -Wwrite-strings
ALL_CFLAGS = $(CFLAGS) $(WARNINGS) -D_GNU_SOURCE -MMD -MP \
	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lpthread

ifneq ($(V),1)
QUIET_CC = @echo '   ' CC $@;
QUIET_LINK = @echo '   ' LINK $@;
QUIET_GEN = @echo '   ' GEN $@;
endif

# The version, in one place: DEF_VER, or in a git clone what `git describe`
# says of the last release tag (v0.2 -> 0.2, 0.2-5-g3f2a9c1 five commits
# on), or DEF_VER and the commit when nothing is tagged yet.
DEF_VER = 0.1
VERSION := $(shell if test -e .git && v=$$(git describe --match 'v[0-9]*' 2>/dev/null); then \
	echo "$$v" | sed 's/^v//'; elif test -e .git && h=$$(git rev-parse --short HEAD 2>/dev/null); then \
	echo "$(DEF_VER)-g$$h"; else echo "$(DEF_VER)"; fi)

SUBSYSTEMS = lib db hooks gitd runner web cli
SRC = $(sort $(foreach d,$(SUBSYSTEMS),$(wildcard $(d)/*.c)))
OBJ = $(SRC:%.c=$(BUILD)/%.o)
LIB_OBJ = $(filter-out $(BUILD)/cli/%,$(OBJ))
UNIT_SRC = $(wildcard tests/unit/t-*.c)
UNIT_BIN = $(UNIT_SRC:%.c=$(BUILD)/%)
# Tools the e2e tests run: cases-dump prints what the report parsers read.
TEST_TOOLS = $(BUILD)/tests/unit/cases-dump
# Fuzz targets, one per parser of outside bytes: with corpus.c (each kept
# input once, in `make test`), or with libFuzzer (`make fuzz`).
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/fuzz/%)
FUZZ_DIR = build/fuzz
# Each target runs FUZZ_SECONDS, or FUZZ_RUNS executions (then without a
# time limit unless FUZZ_SECONDS is given too: whichever comes first).
ifdef FUZZ_RUNS
FUZZ_SECONDS ?= 0
else
FUZZ_SECONDS ?= 60
endif
FUZZ_SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=all

# The hooks also stand alone: git starts them in a fresh process for every
# push, so each links only what it uses (statically where it can) and does
# not load the ~30 libraries of the lifebelt binary (see bench/hook).
HOOK_BIN = $(BUILD)/lifebelt-pre-receive $(BUILD)/lifebelt-post-receive
HOOK_SHARED = $(filter-out $(BUILD)/hooks/dispatch.o $(BUILD)/hooks/tests-hook.o \
	$(BUILD)/db/statuses.o $(BUILD)/db/tests.o, \
	$(filter $(BUILD)/hooks/% $(BUILD)/db/% $(BUILD)/lib/%,$(OBJ)))
HOOK_STATIC = -Wl,-Bstatic -lsqlite3 -ljansson -lcrypto -Wl,-Bdynamic -lm -lz -ldl -lpthread

# The SSH forced command, likewise started once per fetch or push: the shell,
# the database and sqlite, from the archive so only the objects it uses.
SHELL_BIN = $(BUILD)/lifebelt-shell

SANITIZE = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# lifebelt-holder: pid 1 of each job's sandbox; lifebelt-spawner: forks each
# step. Static and tiny, as they start (or fork) once per job or step; with
# musl (Debian's musl-tools) where it is installed: a static glibc program
# spends most of its start probing the CPU's caches with cpuid, which traps
# in a virtual machine (an empty program: 0.31 ms against 0.03 ms with musl).
HOLDER = $(BUILD)/lifebelt-holder
SPAWNER = $(BUILD)/lifebelt-spawner
STATIC_CC = $(shell command -v musl-gcc >/dev/null 2>&1 && echo musl-gcc || echo $(CC))

# Manual pages: docs/man/PAGE.in with the tables of commands, settings and
# limits filled in from the code by `lifebelt man` (cli/cmd-man.c).
MAN_SRC = $(sort $(wildcard docs/man/*.in))
MAN = $(MAN_SRC:docs/man/%.in=$(BUILD)/man/%)

all: $(BUILD)/lifebelt $(HOLDER) $(SPAWNER) $(HOOK_BIN) $(SHELL_BIN) $(MAN)

# Rewritten only when the version changes, so that only lifebelt.o is rebuilt then.
$(BUILD)/VERSION-FILE: FORCE
	@mkdir -p $(dir $@)
	@echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' >$@
$(BUILD)/cli/lifebelt.o: $(BUILD)/VERSION-FILE
$(BUILD)/cli/lifebelt.o: ALL_CFLAGS += -DLIFEBELT_VERSION='"$(VERSION)"'

$(BUILD)/man/%: docs/man/%.in $(BUILD)/lifebelt
	@mkdir -p $(dir $@)
	$(QUIET_GEN)$(BUILD)/lifebelt man <$< >$@+ && mv $@+ $@

version:
	@echo $(VERSION)

$(HOLDER): runner/holder/lifebelt-holder.c
	@mkdir -p $(dir $@)
	$(QUIET_LINK)$(STATIC_CC) -O2 -static $(WARNINGS) -D_GNU_SOURCE -o $@ $<

$(SPAWNER): runner/spawner/lifebelt-spawner.c runner/spawn.c runner/spawn.h runner/enter.c \
		runner/enter.h lib/child.c lib/child.h
	@mkdir -p $(dir $@)
	$(QUIET_LINK)$(STATIC_CC) -O2 -static $(WARNINGS) -D_GNU_SOURCE -o $@ $(filter %.c,$^)

$(BUILD)/lifebelt: $(OBJ)
	$(QUIET_LINK)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(LIBS)

# libgit2 and its libraries statically too (only GSSAPI, which Debian ships
# as a shared library only, is loaded): loading some 20 shared libraries was
# half of this hook's time. mbedTLS's CA loaders are wrapped, see the source.
PRE_RECEIVE_LIBS = -Wl,--wrap=mbedtls_x509_crt_parse_file -Wl,--wrap=mbedtls_x509_crt_parse_path \
	-Wl,-Bstatic $(shell $(PKG_CONFIG) --static --libs-only-l libgit2 2>/dev/null) \
	-lsqlite3 -ljansson -lcrypto -Wl,-Bdynamic -l:libgssapi_krb5.so.2 -lm -ldl -lpthread
$(BUILD)/lifebelt-pre-receive: $(BUILD)/hooks/standalone/pre-receive.o $(HOOK_SHARED)
	$(QUIET_LINK)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PRE_RECEIVE_LIBS)

# Like every program here, the lean ones are position-independent: their
# static libraries cost some relocations at each start (bench/hook, bench/push),
# but programs that read what a push or an SSH client sends keep their address
# randomisation.
$(BUILD)/lifebelt-post-receive: $(BUILD)/hooks/standalone/post-receive.o \
		$(filter-out $(BUILD)/hooks/pre-receive.o $(BUILD)/hooks/reconcile.o,$(HOOK_SHARED))
	$(QUIET_LINK)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(HOOK_STATIC)

$(SHELL_BIN): $(BUILD)/gitd/standalone/shell.o $(BUILD)/liblifebelt.a
	$(QUIET_LINK)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(HOOK_STATIC)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(QUIET_CC)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Unit tests link against an archive, so each pulls in only the objects it uses.
$(BUILD)/liblifebelt.a: $(LIB_OBJ)
	$(QUIET_LINK)rm -f $@ && ar rcs $@ $(LIB_OBJ)

$(BUILD)/tests/unit/%: tests/unit/%.c tests/unit/tap.h $(BUILD)/liblifebelt.a
	@mkdir -p $(dir $@)
	$(QUIET_LINK)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/liblifebelt.a $(LIBS)

$(BUILD)/tests/fuzz/%: tests/fuzz/%.c tests/fuzz/corpus.c tests/fuzz/string.c tests/fuzz/fuzz.h $(BUILD)/liblifebelt.a
	@mkdir -p $(dir $@)
	$(QUIET_LINK)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/corpus.c tests/fuzz/string.c \
		$(BUILD)/liblifebelt.a $(LIBS)

$(BUILD)/libfuzzer/%: tests/fuzz/%.c tests/fuzz/string.c tests/fuzz/fuzz.h $(BUILD)/liblifebelt.a
	@mkdir -p $(dir $@)
	$(QUIET_LINK)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer $(FUZZ_SANITIZE) -o $@ $< tests/fuzz/string.c \
		$(BUILD)/liblifebelt.a $(LIBS)

deps:
	@tests/deps.sh

build-tests: $(BUILD)/lifebelt $(HOLDER) $(SPAWNER) $(HOOK_BIN) $(SHELL_BIN) $(MAN) $(UNIT_BIN) $(TEST_TOOLS) \
	$(FUZZ_BIN)

# The whole suite: C unit tests, then end-to-end scripts, through prove.
test: deps
	@$(MAKE) --no-print-directory build-tests
	LIFEBELT_BUILD=$(abspath $(BUILD)) prove -j2 --timer $(UNIT_BIN) tests/e2e/t[0-9]*.sh

# The same suite on an ASan + UBSan build.
check: deps
	@$(MAKE) --no-print-directory BUILD=build/check CFLAGS="-O1 -g $(SANITIZE)" \
		LDFLAGS="$(SANITIZE)" test

# docker-compose.yml end to end (docker/, tests/docker/): slow, and starts
# dockerd when none runs (stopped again by its PID), so not part of `test`.
test-docker: deps
	@tests/deps.sh docker
	@$(MAKE) --no-print-directory all
	LIFEBELT_BUILD=$(abspath $(BUILD)) prove --timer tests/docker/t[0-9]*.sh

# Each fuzz target for FUZZ_SECONDS (or FUZZ_RUNS executions) under
# libFuzzer (clang, with ASan and UBSan), starting from
# tests/fuzz/corpus/NAME; see tests/fuzz/run.
fuzz:
	@tests/deps.sh fuzz
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_DIR) CC=clang \
		CFLAGS="-O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SANITIZE)" \
		$(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_DIR)/libfuzzer/%)
	tests/fuzz/run $(if $(FUZZ_RUNS),-r $(FUZZ_RUNS)) $(FUZZ_DIR)/libfuzzer $(FUZZ_SECONDS)

# The Slurm executor end to end (tests/slurm/): slow, and starts a one-node
# cluster (munged, slurmctld, slurmd) per script, stopped by their PIDs.
# The end-to-end suite's two halves (SLURM_E2E) run side by side, each on
# a cluster of its own; the other scripts, which time what Slurm does, alone.
SLURM_E2E = tests/slurm/t9101-slurm-e2e.sh tests/slurm/t9110-slurm-e2e-more.sh
test-slurm: deps
	@tests/deps.sh slurm
	@$(MAKE) --no-print-directory all $(TEST_TOOLS)
	LIFEBELT_BUILD=$(abspath $(BUILD)) prove --timer -j2 $(SLURM_E2E); e2e=$$?; \
	LIFEBELT_BUILD=$(abspath $(BUILD)) prove --timer \
		$(filter-out $(SLURM_E2E),$(wildcard tests/slurm/t[0-9]*.sh)) && exit $$e2e

# Faults (tests/faults/): kill -9 anywhere under load, a full disk, clean
# stops; slow (FAULT_ROUNDS kills, 300 by default), so not part of `test`.
# Each script stops every daemon it starts (sshd, serve) by its PID.
test-faults: deps
	@tests/deps.sh faults
	@$(MAKE) --no-print-directory all
	LIFEBELT_BUILD=$(abspath $(BUILD)) prove --timer tests/faults/t[0-9]*.sh

run: deps
	@$(MAKE) --no-print-directory all
	@LIFEBELT_BUILD=$(abspath $(BUILD)) cli/demo.sh

# The guides keep their links: docs/ is installed below README.md as here.
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(DOCDIR)/docs/screenshots
	install -m 755 $(BUILD)/lifebelt $(DESTDIR)$(PREFIX)/bin/lifebelt
	install -m 755 $(HOLDER) $(SPAWNER) $(DESTDIR)$(PREFIX)/bin/
	install -m 755 $(HOOK_BIN) $(SHELL_BIN) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(filter %.1,$(MAN)) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(filter %.5,$(MAN)) $(DESTDIR)$(MANDIR)/man5/
	install -m 644 README.md LICENSE $(DESTDIR)$(DOCDIR)/
	install -m 644 docs/*.md docs/*.service $(DESTDIR)$(DOCDIR)/docs/
	install -m 644 docs/screenshots/*.png $(DESTDIR)$(DOCDIR)/docs/screenshots/

clean:
	rm -rf build demo

.PHONY: all deps build-tests test check test-docker test-slurm test-faults fuzz run install clean version FORCE

-include $(OBJ:.o=.d) $(UNIT_BIN:=.d) $(TEST_TOOLS:=.d) $(HOOK_BIN:$(BUILD)/lifebelt-%=$(BUILD)/hooks/standalone/%.d) \
	$(BUILD)/gitd/standalone/shell.d
