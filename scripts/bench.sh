#!/usr/bin/env bash
# Runs every benchmark (`make bench`). Each prints a table and writes target/bench/<name>.json.
# Benchmarks that need a database use the integration harness (tests/harness/site.sh up).
# One line per benchmark below; a missing target is a failure, not a silent skip.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh >/dev/null
mkdir -p target/bench
tests/harness/site.sh up >/dev/null
eval "$(tests/harness/site.sh env)"
PHP_EXT=()
[[ -f "${KEYSMITH_EXTENSION_PATH:-}" ]] && PHP_EXT=(-d "extension=$KEYSMITH_EXTENSION_PATH")

status=0
run() { # name command...
	echo "== bench: $1"
	shift
	"$@" || { echo "bench: $* exited with $?" >&2; status=1; }
}

# Store: bulk create vs the WooCommerce way (durable commits, MariaDB's default), lists over 100k keys.
run store php "${PHP_EXT[@]}" tests/bench/store.php --durable

# Auth: authenticated GET, Basic (wrk) and OAuth (bounded node loop), WooCommerce vs twin vs native.
run auth tests/bench/auth.sh

exit "$status"
