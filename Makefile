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
	src/common/numeric_cents.c \
	src/ident/ident.c src/ident/normalize.c \
	src/calendar/calendar.c \
	src/deadline/deadline.c \
	src/validate/validate.c src/validate/validate_msg.c src/validate/validate_rule.c \
	src/validate/validate_set.c src/validate/value.c src/validate/value_datetime.c \
	src/validate/value_ident.c src/validate/value_number.c \
	src/match/company_name.c src/match/fellegi_sunter.c src/match/resolve_key.c \
	src/match/resolve_store.c src/match/rule_expr.c src/match/similarity.c \
	src/risk/risk_breakdown.c src/risk/risk_propagate.c src/risk/risk_score.c \
	src/ledger/ledger.c
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
PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter
SHLIB_LINK = $(shell $(PKG_CONFIG) --libs libxml-2.0 openssl)

EXTRA_CLEAN = test/unit/bin test/fuzz/bin

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS does not track headers: rebuild every object when one changes.
$(OBJS): $(HEADERS)

$(EXTENSION_NAME)--$(EXTVERSION).sql: $(INSTALL_PARTS) control/$(EXTENSION_NAME).control
	cat $(INSTALL_PARTS) > $@

# C unit tests of the pure cores: every test/unit/test_*.c links against CORE_SRCS.
UNIT_TESTS = $(patsubst test/unit/%.c,test/unit/bin/%,$(wildcard test/unit/test_*.c))
UNIT_CFLAGS = -std=c99 -g -O1 -Wall -Wextra -Werror -Isrc
# Pure cores may use libcrypto (the ledger's SHA-256) and libm.
CORE_LIBS = $(shell $(PKG_CONFIG) --libs libcrypto) -lm

test/unit/bin/%: test/unit/%.c $(CORE_SRCS) $(HEADERS) test/unit/tap.h
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(CORE_SRCS) $(CORE_LIBS)

unit: $(UNIT_TESTS)

# libFuzzer targets: make fuzz FUZZ_SECONDS=60
FUZZ_SECONDS ?= 30
FUZZ_TARGETS = $(patsubst test/fuzz/%.c,test/fuzz/bin/%,$(wildcard test/fuzz/fuzz_*.c))

test/fuzz/bin/%: test/fuzz/%.c $(CORE_SRCS) $(HEADERS)
	@mkdir -p $(dir $@)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -o $@ $< $(CORE_SRCS) $(CORE_LIBS)

fuzz: $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p test/fuzz/corpus/$$(basename $$t); \
		$$t -max_total_time=$(FUZZ_SECONDS) -max_len=256 test/fuzz/corpus/$$(basename $$t) \
			test/fuzz/seeds || exit 1; \
	done

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

.PHONY: unit fuzz core-check
