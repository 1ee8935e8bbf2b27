# The user's interface: `make run` and `make test` (see README). Every target installs what is missing
# first (scripts/setup.sh is idempotent), so a fresh machine of this kind needs nothing else.
NATIVE_DIR := build/native
WEB_DIR    := build/web
SITE_DIR   := $(WEB_DIR)/site
SERVER     := $(NATIVE_DIR)/src/server/confhost-server
ARGS       ?=
JOBS       ?= $(shell nproc)
export NODE_PATH := /usr/share/nodejs

.PHONY: all setup native web test test-core test-server test-browser test-media bench run clean

all: native web

setup:
	@bash scripts/setup.sh

native: setup
	@cmake -S . -B $(NATIVE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(NATIVE_DIR) -j $(JOBS)

web: setup
	@emcmake cmake -S . -B $(WEB_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(WEB_DIR) -j $(JOBS)

# Unit and server integration suites (ctest), then the browser suites (node's test runner), then the
# media suites inside a private network namespace (tests/media/run.sh).
test: native web
	@$(MAKE) --no-print-directory test-core test-browser test-media

test-core:
	@ctest --test-dir $(NATIVE_DIR) --output-on-failure

test-browser:
	@cd tests/browser && node --test --test-concurrency=1 *.test.mjs

test-media:
	@if [ -x tests/media/run.sh ]; then bash tests/media/run.sh; else echo "test-media: no media suites yet"; fi

bench: native web
	@if [ -x bench/run.sh ]; then bash bench/run.sh; else echo "bench: no benchmarks yet"; fi

run: native web
	@$(SERVER) --web-root $(SITE_DIR) $(ARGS)

clean:
	rm -rf build
