# taxshare: PGXS build.  The control file is the source of truth for the version.
EXTENSION_NAME = taxshare
EXTVERSION := $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" control/taxshare.control)

MODULE_big = taxshare
# One folder per module under src/ (docs/layout.md); src/taxshare.c holds _PG_init.
MODULES_DIRS = common ident calendar deadline catalog validate intake match risk ledger sharing formats
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
	src/match/company_name.c src/match/company_name_words.c src/match/division_data.c \
	src/match/fellegi_sunter.c \
	src/match/resolve_block.c src/match/resolve_compare.c src/match/resolve_decide.c \
	src/match/resolve_key.c src/match/resolve_store.c src/match/rule_expr.c \
	src/match/similarity.c \
	src/risk/risk_breakdown.c src/risk/risk_propagate.c src/risk/risk_score.c \
	src/ledger/ledger.c src/ledger/ledger_canon.c \
	src/formats/csv_read.c src/formats/formats_core.c src/formats/template_layout.c \
	src/formats/xlsx_read.c src/formats/zip_read.c
HEADERS = $(wildcard src/*.h src/*/*.h)

# The install script is assembled from one file per module (control/install/NN_module.sql),
# in file-name order.  So is each upgrade script, from the parts in
# control/upgrade/A--B/ (one per change, named by its issue), written by hand.
INSTALL_PARTS = $(sort $(wildcard control/install/*.sql))
UPGRADE_DIRS = $(sort $(wildcard control/upgrade/*--*))
UPGRADE_SCRIPTS = $(patsubst control/upgrade/%,$(EXTENSION_NAME)--%.sql,$(UPGRADE_DIRS))
DATA_built = $(EXTENSION_NAME)--$(EXTVERSION).sql $(UPGRADE_SCRIPTS)
DATA = control/$(EXTENSION_NAME).control
MODULEDIR = extension

REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --dbname=taxshare_regress --load-extension=taxshare

PKG_CONFIG ?= pkg-config
# libxlsxwriter writes workbooks, libzip reads them (src/formats/README.md);
# their pkg-config names are xlsxwriter and libzip.
PG_CPPFLAGS = -Isrc -DTAXSHARE_VERSION='"$(EXTVERSION)"' $(shell $(PKG_CONFIG) --cflags libxml-2.0 openssl xlsxwriter libzip)
# PostgreSQL's own headers (fmgr.h, bufpage.h) have unused parameters, hence the one exception.
# CI adds EXTRA_CFLAGS='-Werror -DUSE_ASSERT_CHECKING' (scripts/test.sh).
EXTRA_CFLAGS ?=
PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter $(EXTRA_CFLAGS)
SHLIB_LINK = $(shell $(PKG_CONFIG) --libs libxml-2.0 openssl xlsxwriter libzip)

EXTRA_CLEAN = test/unit/bin test/fuzz/bin .build-flags

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Only PostgreSQL 15 is tested (docs/install.md), and nothing older can work:
# the install script makes its views security_invoker (15), and the grading
# uses lib/sort_template.h (14).  Refuse older servers here rather than with an
# error in a server header or halfway through CREATE EXTENSION.
ifneq ($(shell test "$(MAJORVERSION)" -ge 15 2>/dev/null && echo ok),ok)
$(error taxshare needs PostgreSQL 15 or later (security_invoker views); $(PG_CONFIG) is PostgreSQL $(MAJORVERSION))
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

.SECONDEXPANSION:
$(UPGRADE_SCRIPTS): $(EXTENSION_NAME)--%.sql: $$(sort $$(wildcard control/upgrade/$$*/*.sql))
	cat $^ > $@

# Development targets: unit tests, fuzzers and the upgrade bases; checks of the
# source and the library.
include mk/tests.mk mk/checks.mk

.PHONY: FORCE
