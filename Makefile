# Keysmith: the two commands a newcomer needs are `make demo` and `make test`.
# Every target installs what it needs first (scripts/install-deps.sh), so both work on a fresh
# Debian 12 machine.

SHELL := /bin/bash
EXT   := target/release/libkeysmith.so
PHP   ?= php
PHP_NATIVE := $(PHP) -d extension=$(CURDIR)/$(EXT)

.PHONY: all build deps test test-rust test-stubs test-php-unit test-integration test-e2e bench demo demo-stop stubs lint
.PHONY: install uninstall artifact dist test-install fuzz

all: build

deps:
	@scripts/install-deps.sh

build: deps
	cargo build --release

# --- tests -------------------------------------------------------------------------------------
test: build
	$(MAKE) --no-print-directory lint test-rust test-stubs test-php-unit test-integration test-e2e test-install
	@echo "make test: all suites passed"

# --- lint: Rust format and clippy, PHP syntax (every file, PHP 8.2's parser) and style (phpcs.xml.dist)
PHP_SOURCES = find . -name '*.php' -not -path './target/*' -not -path './.git/*' -not -path './.venv/*' -not -path '*/node_modules/*' -print0

lint: deps
	cargo fmt --check
	cargo clippy --release --all-targets -- -D warnings
	@$(PHP_SOURCES) | xargs -0 -n1 -P2 sh -c 'out=$$($(PHP) -l "$$0" 2>&1) || { echo "$$out" >&2; exit 255; }'
	@echo "php -l: $$($(PHP_SOURCES) | tr -cd '\0' | wc -c) files, no syntax errors"
	phpcs

test-rust:
	cargo test --release

test-stubs:
	$(PHP_NATIVE) scripts/gen-stubs.php --check plugin/stubs/keysmith.stub.php

test-php-unit:
	tests/php/run-unit.sh

# Three passes (native, twin, object cache); the native passes need the extension, so build it.
test-integration: build
	tests/harness/run-integration.sh

test-e2e:
	tests/e2e/run.sh

test-install:
	tests/install/run.sh

# --- hosts: install the extension into a PHP (PHP_CONFIG=... for another PHP; see scripts/install-ext.sh)
install:
	scripts/install-ext.sh install

uninstall:
	scripts/install-ext.sh uninstall

artifact:
	scripts/build-artifact.sh

# The plugin zip for Plugins > Add New > Upload Plugin, and the extension artifact (target/dist/).
dist: deps
	scripts/build-dist.sh

# --- fuzzing: each target FUZZ_SECONDS (default 60) on nightly, cargo-fuzz installed if missing (fuzz/run.sh)
fuzz:
	fuzz/run.sh

# --- benchmarks --------------------------------------------------------------------------------
bench: build
	scripts/bench.sh

# --- demo --------------------------------------------------------------------------------------
demo: build
	scripts/demo.sh up

demo-stop:
	scripts/demo.sh down

stubs: build
	$(PHP_NATIVE) scripts/gen-stubs.php > plugin/stubs/keysmith.stub.php
