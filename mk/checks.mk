# mk/checks.mk: checks of the source and the built library (docs/operations.md,
# "Checks of the source").  Included by the Makefile after PGXS; the test command
# runs each as one result.

# Each core compiles with no server include path at all (so it cannot include
# postgres.h, directly or through a header), and every .c file under src/ that
# includes neither postgres.h nor taxshare.h is listed in CORE_SRCS.  With -Isrc
# first on the path, src/catalog/x.h would shadow PostgreSQL's catalog/x.h:
# no header of ours may share a path with one of the server's.
core-check:
	@for f in $(CORE_SRCS); do \
		$(CC) -std=c99 -fsyntax-only -Wall -Wextra -Werror -Isrc $(CORE_CFLAGS) $$f || \
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

.PHONY: core-check symbol-check check-style format
