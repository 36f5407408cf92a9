# mk/tests.mk: building the C unit tests and fuzzers of the pure cores, and
# installing the kept release scripts for the upgrade test.  Included by the
# Makefile after PGXS; the test command (scripts/test.sh) runs these.

# C unit tests of the pure cores: every test/unit/test_*.c links against CORE_SRCS,
# compiled once into test/unit/bin/obj/ (and once more with sanitizers for the fuzzers).
UNIT_TESTS = $(patsubst test/unit/%.c,test/unit/bin/%,$(wildcard test/unit/test_*.c))
UNIT_CFLAGS = -std=c99 -g -O1 -Wall -Wextra -Werror -Isrc $(CORE_CFLAGS)
UNIT_OBJS = $(patsubst src/%.c,test/unit/bin/obj/%.o,$(CORE_SRCS))
# Pure cores may use libcrypto (the ledger's SHA-256), libm, and libzip and
# libxml2 (the file readers of src/formats/).
CORE_CFLAGS = $(shell $(PKG_CONFIG) --cflags libxml-2.0 libzip)
CORE_LIBS = $(shell $(PKG_CONFIG) --libs libcrypto libzip libxml-2.0) -lm

test/unit/bin/obj/%.o: src/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -c -o $@ $<

test/unit/bin/%: test/unit/%.c $(UNIT_OBJS) $(wildcard test/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(UNIT_OBJS) $(CORE_LIBS)

unit: $(UNIT_TESTS)

# libFuzzer targets: make fuzz FUZZ_SECONDS=60 for a long run (docs/operations.md);
# make fuzz-smoke runs each for FUZZ_SMOKE_SECONDS from its seeds, as CI does.
FUZZ_SECONDS ?= 30
FUZZ_SMOKE_SECONDS ?= 3
FUZZ_TARGETS = $(patsubst test/fuzz/%.c,test/fuzz/bin/%,$(wildcard test/fuzz/fuzz_*.c))
FUZZ_CFLAGS = -g -O1 -fsanitize=address,undefined -Isrc $(CORE_CFLAGS)
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

# The released install scripts kept in test/upgrade/, for the upgrade test
# (test/upgrade.sh): installed beside the current one so that
# CREATE EXTENSION taxshare VERSION '0.1.0' works in the test cluster.
UPGRADE_BASES = $(filter-out %--*--*.sql,$(wildcard test/upgrade/$(EXTENSION_NAME)--*.sql))

install-upgrade-bases:
	$(INSTALL_DATA) $(UPGRADE_BASES) '$(DESTDIR)$(datadir)/extension/'

.PHONY: unit fuzz fuzz-smoke install-upgrade-bases
