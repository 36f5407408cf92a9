# taxshare: PGXS build.  The control file is the source of truth for the version.
EXTENSION_NAME = taxshare
EXTVERSION := $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" control/taxshare.control)

MODULE_big = taxshare
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

# The install script is assembled from one file per module (control/install/NN_module.sql),
# in file-name order; upgrade scripts (control/taxshare--A--B.sql) are written by hand.
INSTALL_PARTS = $(sort $(wildcard control/install/*.sql))
DATA_built = $(EXTENSION_NAME)--$(EXTVERSION).sql
DATA = control/$(EXTENSION_NAME).control $(wildcard control/$(EXTENSION_NAME)--*--*.sql)
MODULEDIR = extension

REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --dbname=taxshare_regress --load-extension=taxshare

PKG_CONFIG ?= pkg-config
PG_CPPFLAGS = -DTAXSHARE_VERSION='"$(EXTVERSION)"' $(shell $(PKG_CONFIG) --cflags libxml-2.0 openssl)
# PostgreSQL's own headers (fmgr.h, bufpage.h) have unused parameters, hence the one exception.
PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter
SHLIB_LINK = $(shell $(PKG_CONFIG) --libs libxml-2.0 openssl)

EXTRA_CLEAN = test/unit/bin test/fuzz/bin

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS does not track headers: rebuild every object when one changes.
$(OBJS): $(wildcard src/*.h)

$(EXTENSION_NAME)--$(EXTVERSION).sql: $(INSTALL_PARTS) control/$(EXTENSION_NAME).control
	cat $(INSTALL_PARTS) > $@

# C unit tests of the pure cores: every test/unit/test_*.c links against the
# src/*.c files that do not include postgres.h.
PURE_SRCS = $(shell grep -L -E '^#include "(postgres|taxshare)\.h"' src/*.c)
UNIT_TESTS = $(patsubst test/unit/%.c,test/unit/bin/%,$(wildcard test/unit/test_*.c))
UNIT_CFLAGS = -std=c99 -g -O1 -Wall -Wextra -Werror -Isrc
# Pure cores may use libcrypto (the ledger's SHA-256) and libm.
PURE_LIBS = $(shell $(PKG_CONFIG) --libs libcrypto) -lm

test/unit/bin/%: test/unit/%.c $(PURE_SRCS) $(wildcard src/*.h) test/unit/tap.h
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(PURE_SRCS) $(PURE_LIBS)

unit: $(UNIT_TESTS)

# libFuzzer targets: make fuzz FUZZ_SECONDS=60
FUZZ_SECONDS ?= 30
FUZZ_TARGETS = $(patsubst test/fuzz/%.c,test/fuzz/bin/%,$(wildcard test/fuzz/fuzz_*.c))

test/fuzz/bin/%: test/fuzz/%.c $(PURE_SRCS) $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -o $@ $< $(PURE_SRCS) $(PURE_LIBS)

fuzz: $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p test/fuzz/corpus/$$(basename $$t); \
		$$t -max_total_time=$(FUZZ_SECONDS) -max_len=256 test/fuzz/corpus/$$(basename $$t) \
			test/fuzz/seeds || exit 1; \
	done

.PHONY: unit fuzz
