# The user's interface: `make run` and `make test` (see README). Every target installs what is missing
# first (scripts/setup.sh is idempotent), so a fresh machine of this kind needs nothing else.
NATIVE_DIR := build/native
WEB_DIR    := build/web
SITE_DIR   := $(WEB_DIR)/site
SERVER     := $(NATIVE_DIR)/src/server/confhost-server
ARGS       ?=
JOBS       ?= $(shell nproc)
export NODE_PATH := /usr/share/nodejs

.PHONY: all setup native web test test-core test-fuzz fuzz test-red5 test-browser test-media test-interop test-e2e bench run clean

all: native web

setup:
	@bash scripts/setup.sh

native: setup
	@cmake -S . -B $(NATIVE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(NATIVE_DIR) -j $(JOBS)

web: setup
	@emcmake cmake -S . -B $(WEB_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(WEB_DIR) -j $(JOBS)

# Unit and server integration suites (ctest), the Red5-compatibility suite, then the browser suites (node's test runner), then the
# media suites and the whole-conference end-to-end test, each inside a private network namespace.
test: native web
	@$(MAKE) --no-print-directory test-core test-fuzz test-red5 test-browser test-media test-interop test-e2e

test-core:
	@ctest --test-dir $(NATIVE_DIR) --output-on-failure

# libFuzzer targets (tests/fuzz, clang build in build/fuzz): briefly in `make test`, over the committed
# seeds; `make fuzz` runs each for FUZZ_SECONDS (default 300) and prints executions per target.
FUZZ_SECONDS ?= 300
test-fuzz: setup
	@JOBS=$(JOBS) bash tests/fuzz/run.sh 12

fuzz: setup
	@JOBS=$(JOBS) bash tests/fuzz/run.sh $(FUZZ_SECONDS)

# The reference Red5 backend's and a Red5 Pro live app's side against the real server (tests/red5).
test-red5: setup
	@cd tests/red5 && node --test --test-concurrency=1 *.test.mjs

test-browser:
	@cd tests/browser && node --test --test-concurrency=1 *.test.mjs

test-media:
	@bash tests/media/run.sh

# Third-party WHIP/WHEP clients from npm (tests/interop/package.json) against the stack (issue 8).
test-interop: setup
	@bash tests/interop/run.sh

test-e2e:
	@bash tests/e2e/run.sh

bench: native web
	@bash bench/run.sh
	@bash tests/e2e/run.sh bench
	@bash bench/whep_bridge.sh
	@bash bench/page_load.sh

run: native web
	@$(SERVER) --web-root $(SITE_DIR) $(ARGS)

clean:
	rm -rf build
