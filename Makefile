# Safeguard — build, test and run.
#
#   make          optimised binary at build/safeguard
#   make run      install what is missing, build, create a demo database, serve it
#   make check    install what is missing, build with ASan+UBSan, run every test
#   make check-postgres  the API suite against two servers sharing a throwaway PostgreSQL
#   make bench    the force-scale benchmark table (bench/run.mjs)
#   make bench-areas  the per-area benchmarks (search, writes, pages, chronology)
#   make format   clang-format the C sources
#
# Debug and release objects live apart (build/debug, build/release) so the
# sanitizer build never leaks into the shipped binary.

VERSION   := 0.1.0
CC        ?= cc
PKGS      := libmicrohttpd jansson sqlite3 libpq libsodium cairo fontconfig
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN      := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla -Wno-unused-parameter
BASE_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) -Isrc -Ibuild/gen \
               -DSAFEGUARD_VERSION='"$(VERSION)"' $(PKG_CFLAGS) -MMD -MP
RELEASE_CFLAGS := $(BASE_CFLAGS) -O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2
DEBUG_CFLAGS   := $(BASE_CFLAGS) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
                  -fno-sanitize-recover=all
LIBS      := $(PKG_LIBS) -lpthread -lm

SRC       := $(shell find src -name '*.c' | sort)
LIB_SRC   := $(filter-out src/main.c src/cli/%,$(SRC))
MIGRATIONS := $(sort $(wildcard sql/migrations/*.sql))
TEMPLATES := $(sort $(wildcard web/templates/*.html))
GEN_SRC   := build/gen/migrations.c build/gen/templates.c

REL_OBJ   := $(patsubst %.c,build/release/%.o,$(SRC) $(GEN_SRC))
DBG_OBJ   := $(patsubst %.c,build/debug/%.o,$(SRC) $(GEN_SRC))
DBG_LIB_OBJ := $(patsubst %.c,build/debug/%.o,$(LIB_SRC) $(GEN_SRC))

UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(patsubst tests/unit/%.c,build/debug/tests/%,$(UNIT_SRC))

FUZZ_TARGETS := fuzz_route fuzz_body fuzz_form fuzz_template fuzz_config fuzz_names fuzz_import fuzz_ocse_import fuzz_pg_dialect
FUZZ_CC   := clang
FUZZ_CFLAGS := $(filter-out -MMD -MP,$(BASE_CFLAGS)) -O1 -g -fno-omit-frame-pointer \
               -fsanitize=fuzzer-no-link,address,undefined
FUZZ_LIB_OBJ := $(patsubst %.c,build/fuzz/%.o,$(LIB_SRC) $(GEN_SRC))
FUZZ_BIN  := $(addprefix build/fuzz/bin/,$(FUZZ_TARGETS))
FUZZ_SECONDS ?= 10

DEMO_DB   ?= build/demo.db

# Quiet by default; `make V=1` shows full commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all run check check-postgres unit api browser reliability soak fuzz assets bootstrap clean format format-check bench bench-areas debug
all: build/safeguard

build/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O1 -Wall -Wextra -Werror -o $@ $<

# The list of migration files, rewritten only when it changes: a migration
# added with an old timestamp, or one removed, still regenerates migrations.c.
build/gen/migrations.list: FORCE
	@mkdir -p $(@D)
	@echo '$(MIGRATIONS)' | cmp -s - $@ || echo '$(MIGRATIONS)' > $@

build/gen/migrations.c: build/tools/embed $(MIGRATIONS) build/gen/migrations.list
	@mkdir -p $(@D)
	build/tools/embed migrations $@ $(MIGRATIONS)

FORCE:

build/gen/templates.c: build/tools/embed $(TEMPLATES)
	@mkdir -p $(@D)
	$(Q)build/tools/embed files $@ web_templates web/templates/ $(TEMPLATES)

build/release/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(RELEASE_CFLAGS) -c -o $@ $<

build/debug/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC [asan] $<")
	$(Q)$(CC) $(DEBUG_CFLAGS) -c -o $@ $<

build/safeguard: $(REL_OBJ)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(RELEASE_CFLAGS) -o $@ $^ $(LIBS)

build/debug/safeguard: $(DBG_OBJ)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(DEBUG_CFLAGS) -o $@ $^ $(LIBS)

debug: build/debug/safeguard

build/debug/tests/%: tests/unit/%.c $(DBG_LIB_OBJ)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  TEST    $@")
	$(Q)$(CC) $(DEBUG_CFLAGS) -o $@ $< $(DBG_LIB_OBJ) $(LIBS) -lcmocka

build/fuzz/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC [fuzz] $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

build/fuzz/bin/%: fuzz/%.c $(FUZZ_LIB_OBJ)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJ) $(LIBS)

fuzz: bootstrap
	@$(MAKE) --no-print-directory $(FUZZ_BIN)
	@scripts/run-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Generated sources must exist before dependency files are read.
$(REL_OBJ) $(DBG_OBJ) $(FUZZ_LIB_OBJ): | build/gen/migrations.c build/gen/templates.c

# GOV.UK Frontend compiled for a non-GOV.UK service (web/scss/safeguard.scss).
web/static/safeguard.css: web/scss/safeguard.scss package-lock.json
	@$(if $(Q),echo "  SASS    $@")
	$(Q)node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map \
	    --quiet-deps --silence-deprecation=import $< $@

assets: web/static/safeguard.css

bootstrap:
	@scripts/bootstrap

run: bootstrap
	@$(MAKE) --no-print-directory build/safeguard assets
	@scripts/demo $(DEMO_DB)

unit: $(UNIT_BIN)
	@scripts/run-unit $(UNIT_BIN)

api: build/debug/safeguard
	@SAFEGUARD_BIN=build/debug/safeguard node --test --test-concurrency=2 tests/api/

browser: build/debug/safeguard assets
	@SAFEGUARD_BIN=build/debug/safeguard node --test --test-concurrency=1 tests/browser/

reliability: build/debug/safeguard build/safeguard
	@SAFEGUARD_BIN=build/debug/safeguard node --test --test-concurrency=1 tests/reliability/

# The API suite on PostgreSQL with two servers per test (a throwaway cluster;
# docs/deployment.md). Run by CI (.ci/run) after `check`.
check-postgres: bootstrap
	@$(MAKE) --no-print-directory build/debug/safeguard build/debug/tests/test_store \
		build/debug/tests/test_chronology
	@scripts/check-postgres

soak: build/safeguard
	@node bench/soak.mjs 300 16

check: bootstrap
	@$(MAKE) --no-print-directory build/debug/safeguard $(UNIT_BIN) build/safeguard $(FUZZ_BIN) assets
	@$(MAKE) --no-print-directory format-check
	@scripts/run-unit $(UNIT_BIN)
	@scripts/valgrind-cli build/safeguard
	@scripts/gen-api-doc --check
	@scripts/gen-roles-doc --check
	@SAFEGUARD_BIN=build/debug/safeguard node --test --test-concurrency=2 tests/api/
	@SAFEGUARD_BIN=build/debug/safeguard node --test --test-concurrency=1 tests/browser/
	@SAFEGUARD_BIN=build/debug/safeguard node --test --test-concurrency=1 tests/reliability/
	@scripts/run-fuzz 5 $(FUZZ_TARGETS)

# The force-scale table (bench/run.mjs; BENCH_SCALE=small|medium|large,
# BENCH_BACKEND=sqlite|postgres).
# `make bench-areas` runs the older per-area scripts.
bench: build/safeguard build/bench/load build/bench/rawsql build/bench/rawpg
	@node bench/run.mjs

build/bench/load: bench/load.c
	@mkdir -p $(@D)
	$(Q)$(CC) -std=c11 -O2 -Wall -Wextra -Werror -o $@ $<

build/bench/rawsql: bench/rawsql.c bench/raw_driver.h
	@mkdir -p $(@D)
	$(Q)$(CC) -std=c11 -O2 -Wall -Wextra -Werror -o $@ $< -lsqlite3 -lpthread

build/bench/rawpg: bench/rawpg.c bench/raw_driver.h
	@mkdir -p $(@D)
	$(Q)$(CC) -std=c11 -O2 -Wall -Wextra -Werror $(shell pkg-config --cflags libpq) -o $@ $< \
		$(shell pkg-config --libs libpq) -lpthread

# The per-area scripts with their own figures (search at 100,000 people,
# every area's writes and pages, a child's chronology of 500 events).
bench-areas: build/safeguard
	@node bench/search.mjs 100000
	@node bench/areas.mjs
	@node bench/chronology.mjs

format:
	clang-format -i --style=file $(SRC) $(shell find src tests/unit -name '*.h') $(UNIT_SRC) tools/embed.c fuzz/*.c

format-check:
	@clang-format --dry-run --Werror --style=file $(SRC) $(shell find src -name '*.h') $(UNIT_SRC) tools/embed.c fuzz/*.c

clean:
	rm -rf build

-include $(REL_OBJ:.o=.d) $(DBG_OBJ:.o=.d)
# Fuzz objects are rebuilt when their headers change via the debug dependency files.
$(FUZZ_LIB_OBJ): build/fuzz/%.o: build/debug/%.o
