#!/usr/bin/env bash
# Runs every benchmark, one after the other; each prints a table and writes JSON under
# target/bench/. Used by `make bench` (which builds the extension first).
# Add a benchmark by appending one line below.
set -euo pipefail
cd "$(dirname "$0")/.."

EXT="${KEYSMITH_EXTENSION_SO:-$PWD/target/release/libkeysmith.so}"
PHP="${PHP:-php}"
[ -f "$EXT" ] || { echo "bench.sh: $EXT is missing; run: cargo build --release" >&2; exit 1; }
mkdir -p target/bench

# Extension micro-benchmarks: native vs PHP's own way vs the pure-PHP twin, and what a sealed
# secret adds (the vectors' test sealing key) -> target/bench/micro.json
"$PHP" -d "extension=$EXT" -d "keysmith.sealing_key_file=$PWD/tests/vectors/sealing/current.key" tests/bench/micro.php

# Auth: authenticated GET over the served harness (Basic via wrk, OAuth via a bounded node loop),
# WooCommerce alone vs Keysmith on the twin vs on the extension -> target/bench/auth.json
tests/bench/auth.sh

# Refusals: refused / throttled / accepted requests on a harness whose WooCommerce stand-in loads
# as a plugin after Keysmith with realistic boot work -> target/bench/refusals.json
tests/bench/refusals.sh

# Store: bulk create of 10,000 keys vs the WooCommerce way (durable commits, MariaDB's default),
# lists over 100,000 keys, sealing and unsealing them all, on the harness's MariaDB -> target/bench/store.json
tests/harness/site.sh up >/dev/null && (eval "$(tests/harness/site.sh env)" && "$PHP" -d "extension=$EXT" -d "keysmith.sealing_key_file=$PWD/tests/vectors/sealing/current.key" tests/bench/store.php --durable)
