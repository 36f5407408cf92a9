# taxshare: PGXS build.  The control file is the source of truth for the version.
EXTENSION_NAME = taxshare
EXTVERSION := $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" control/taxshare.control)

MODULE_big = taxshare
# One folder per module under src/ (docs/layout.md); src/taxshare.c holds _PG_init.
MODULES_DIRS = common ident calendar deadline catalog validate intake match risk ledger
OBJS = src/taxshare.o $(patsubst %.c,%.o,$(sort $(foreach d,$(MODULES_DIRS),$(wildcard src/$(d)/*.c))))

# The pure C cores: plain C types, no server headers.  Unit tests and fuzzers
# link exactly this list; `make core-check` proves each one still compiles
# without PostgreSQL's headers, and that no pure file was left off the list.
CORE_SRCS = \
	src/common/arena.c src/common/hash_table.c src/common/numeric_cents.c \
	src/ident/ident.c src/ident/normalize.c \
	src/calendar/calendar.c \
	src/deadline/deadline.c \
	src/validate/validate.c src/validate/validate_msg.c src/validate/validate_rule.c \
	src/validate/validate_set.c src/validate/value.c src/validate/value_datetime.c \
	src/validate/value_ident.c src/validate/value_number.c \
	src/match/company_name.c src/match/company_name_words.c src/match/fellegi_sunter.c \
	src/match/resolve_block.c src/match/resolve_compare.c src/match/resolve_decide.c \
	src/match/resolve_key.c src/match/resolve_store.c src/match/rule_expr.c \
	src/match/similarity.c \
	src/risk/risk_breakdown.c src/risk/risk_propagate.c src/risk/risk_score.c \
	src/ledger/ledger.c src/ledger/ledger_canon.c
HEADERS = $(wildcard src/*.h src/*/*.h)

# The install script is assembled from one file per module (control/install/NN_module.sql),
# in file-name order; upgrade scripts (control/taxshare--A--B.sql) are written by hand.
INSTALL_PARTS = $(sort $(wildcard control/install/*.sql))
DATA_built = $(EXTENSION_NAME)--$(EXTVERSION).sql
DATA = control/$(EXTENSION_NAME).control $(wildcard control/$(EXTENSION_NAME)--*--*.sql)
MODULEDIR = extension

REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --dbname=taxshare_regress --load-extension=taxshare

PKG_CONFIG ?= pkg-config
PG_CPPFLAGS = -Isrc -DTAXSHARE_VERSION='"$(EXTVERSION)"' $(shell $(PKG_CONFIG) --cflags libxml-2.0 openssl)
# PostgreSQL's own headers (fmgr.h, bufpage.h) have unused parameters, hence the one exception.
# CI adds EXTRA_CFLAGS='-Werror -DUSE_ASSERT_CHECKING' (scripts/test.sh).
EXTRA_CFLAGS ?=
PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter $(EXTRA_CFLAGS)
SHLIB_LINK = $(shell $(PKG_CONFIG) --libs libxml-2.0 openssl)

EXTRA_CLEAN = test/unit/bin test/fuzz/bin .build-flags

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Only PostgreSQL 15 is tested (docs/install.md).  Below 14 the build would fail
# inside a server header (lib/sort_template.h, risk/risk_rank.c): refuse it here.
ifneq ($(shell test "$(MAJORVERSION)" -ge 14 2>/dev/null && echo ok),ok)
$(error taxshare needs PostgreSQL 14 or later (tested: 15); $(PG_CONFIG) is PostgreSQL $(MAJORVERSION))
endif

# make does not see changed flags: objects depend on a stamp holding them, so
# that a build with other flags (CI's -Werror) recompiles everything.
BUILD_FLAGS = $(CC) $(CPPFLAGS) $(CFLAGS)
.build-flags: FORCE
	@echo '$(BUILD_FLAGS)' | cmp -s - $@ || echo '$(BUILD_FLAGS)' > $@
$(OBJS): .build-flags
FORCE:

# PGXS does not track headers: rebuild every object when one changes.
$(OBJS): $(HEADERS)

$(EXTENSION_NAME)--$(EXTVERSION).sql: $(INSTALL_PARTS) control/$(EXTENSION_NAME).control
	cat $(INSTALL_PARTS) > $@

# C unit tests of the pure cores: every test/unit/test_*.c links against CORE_SRCS,
# compiled once into test/unit/bin/obj/ (and once more with sanitizers for the fuzzers).
UNIT_TESTS = $(patsubst test/unit/%.c,test/unit/bin/%,$(wildcard test/unit/test_*.c))
UNIT_CFLAGS = -std=c99 -g -O1 -Wall -Wextra -Werror -Isrc
UNIT_OBJS = $(patsubst src/%.c,test/unit/bin/obj/%.o,$(CORE_SRCS))
# Pure cores may use libcrypto (the ledger's SHA-256) and libm.
CORE_LIBS = $(shell $(PKG_CONFIG) --libs libcrypto) -lm

test/unit/bin/obj/%.o: src/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -c -o $@ $<

test/unit/bin/%: test/unit/%.c $(UNIT_OBJS) test/unit/tap.h
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(UNIT_OBJS) $(CORE_LIBS)

unit: $(UNIT_TESTS)

# libFuzzer targets: make fuzz FUZZ_SECONDS=60 for a long run (docs/operations.md);
# make fuzz-smoke runs each for FUZZ_SMOKE_SECONDS from its seeds, as CI does.
FUZZ_SECONDS ?= 30
FUZZ_SMOKE_SECONDS ?= 3
FUZZ_TARGETS = $(patsubst test/fuzz/%.c,test/fuzz/bin/%,$(wildcard test/fuzz/fuzz_*.c))
FUZZ_CFLAGS = -g -O1 -fsanitize=address,undefined -Isrc
FUZZ_OBJS = $(patsubst src/%.c,test/fuzz/bin/obj/%.o,$(CORE_SRCS))

test/fuzz/bin/obj/%.o: src/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

test/fuzz/bin/%: test/fuzz/%.c $(FUZZ_OBJS)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(CORE_LIBS)

fuzz: $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p test/fuzz/corpus/$$(basename $$t); \
		$$t -max_total_time=$(FUZZ_SECONDS) -max_len=256 test/fuzz/corpus/$$(basename $$t) \
			test/fuzz/seeds || exit 1; \
	done

# Every fuzzer replays all of test/fuzz/seeds (where a fixed crash's input goes,
# so that it stays found) and then fuzzes for a few seconds.  Prints TAP.
fuzz-smoke: $(FUZZ_TARGETS)
	@n=0; bad=0; for t in $(FUZZ_TARGETS); do \
		n=$$((n + 1)); work=$$(mktemp -d); \
		if $$t -max_total_time=$(FUZZ_SMOKE_SECONDS) -max_len=256 -artifact_prefix=$$work/ \
			$$work test/fuzz/seeds >$$work/log 2>&1; then \
			echo "ok $$n - $$(basename $$t): seeds and $(FUZZ_SMOKE_SECONDS) s of fuzzing"; \
		else \
			echo "not ok $$n - $$(basename $$t)"; grep -E 'ERROR|SUMMARY|==' $$work/log | head -20 | sed 's/^/#   /'; \
			for c in $$work/crash-* $$work/leak-* $$work/timeout-*; do \
				[ -e "$$c" ] && echo "#   input: $$(od -An -c $$c | head -3 | tr -s ' ')"; done; \
			bad=$$((bad + 1)); \
		fi; rm -rf $$work; \
	done; echo "1..$$n"; [ $$bad -eq 0 ]

# Each core compiles with no server include path at all (so it cannot include
# postgres.h, directly or through a header), and every .c file under src/ that
# includes neither postgres.h nor taxshare.h is listed in CORE_SRCS.  With -Isrc
# first on the path, src/catalog/x.h would shadow PostgreSQL's catalog/x.h:
# no header of ours may share a path with one of the server's.
core-check:
	@for f in $(CORE_SRCS); do \
		$(CC) -std=c99 -fsyntax-only -Wall -Wextra -Werror -Isrc $$f || \
			{ echo "core-check: $$f does not compile without server headers"; exit 1; }; \
	done
	@for f in $(filter-out $(CORE_SRCS),$(wildcard src/*/*.c)); do \
		grep -q -E '^#include "(postgres|taxshare)\.h"' $$f || \
			{ echo "core-check: $$f includes no server header: add it to CORE_SRCS"; exit 1; }; \
	done
	@for h in $(HEADERS); do \
		rel=$${h#src/}; \
		[ ! -e "$(shell $(PG_CONFIG) --includedir-server)/$$rel" ] || \
			{ echo "core-check: $$h shadows PostgreSQL's $$rel: rename it"; exit 1; }; \
	done
	@echo "core-check: $(words $(CORE_SRCS)) pure cores, none needs the server"

# The released install scripts kept in test/upgrade/, for the upgrade test
# (test/upgrade.sh): installed beside the current one so that
# CREATE EXTENSION taxshare VERSION '0.1.0' works in the test cluster.
UPGRADE_BASES = $(filter-out %--*--*.sql,$(wildcard test/upgrade/$(EXTENSION_NAME)--*.sql))

install-upgrade-bases:
	$(INSTALL_DATA) $(UPGRADE_BASES) '$(DESTDIR)$(datadir)/extension/'

# The server loads the library with RTLD_GLOBAL, and a call from the library
# to a function the postgres binary also exports would bind to the server's:
# no symbol of ours may share a name with one of the server's.
symbol-check: $(shlib)
	@nm -D --defined-only $(shell $(PG_CONFIG) --bindir)/postgres | awk '{print $$3}' | sort -u >.symbols-server
	@nm -D --defined-only $(shlib) | awk '{print $$3}' | sort -u >.symbols-ours
	@clash=$$(comm -12 .symbols-server .symbols-ours | grep -v -E '^(_init|_fini|_edata|_end|__bss_start)$$'); \
		rm -f .symbols-server .symbols-ours; \
		if [ -n "$$clash" ]; then echo "symbol-check: the server also exports: $$clash"; exit 1; fi
	@echo "symbol-check: no exported symbol of $(shlib) is also the server's"

# C style: clang-format with .clang-format (PostgreSQL-like rules) over every
# C file of src/ and test/; make format rewrites them in place.
STYLE_FILES = $(wildcard src/*.[ch] src/*/*.[ch] test/unit/*.[ch] test/fuzz/*.c)
CLANG_FORMAT ?= clang-format

check-style:
	@$(CLANG_FORMAT) --dry-run --Werror $(STYLE_FILES) && \
		echo "check-style: $(words $(STYLE_FILES)) files follow .clang-format"

format:
	$(CLANG_FORMAT) -i $(STYLE_FILES)

.PHONY: unit fuzz fuzz-smoke core-check symbol-check check-style format install-upgrade-bases FORCE
