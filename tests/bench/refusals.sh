#!/usr/bin/env bash
# Refused requests are cheap (issue: early refusals): on a harness of its own whose WooCommerce
# stand-in is a regular plugin loading after Keysmith (tests/bench/woocommerce-plugin) with the work
# a real store does at boot, the time of one request, one at a time over a keep-alive connection:
#   unknown    OAuth with a key nobody knows          woocommerce | native | twin | late
#   secret     OAuth signed with a wrong secret       woocommerce | native | twin | late
#   throttled  a client the throttle blocks (429)                   native | twin | late
#   accepted   OAuth with a valid key                 woocommerce | native | twin | late
# woocommerce = Keysmith's hooks removed (the stand-in alone); native / twin = Keysmith with early
# refusals; late = Keysmith deciding after WooCommerce loads (no early refusals: what Keysmith did
# before). Modes are interleaved in every round; the medians of the rounds are compared:
# refused (native, twin) <= 35 % of WooCommerce's refusal, throttled <= 25 %, accepted no slower
# than late. Writes target/bench/refusals.json and prints a table.
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS="${KEYSMITH_BENCH_ROUNDS:-5}"
COUNT="${KEYSMITH_BENCH_REFUSAL_REQUESTS:-40}"
OUT=target/bench/refusals.json
export KEYSMITH_HARNESS_DIR="$PWD/target/bench/refusals-harness"
export KEYSMITH_HTTP_PORT="${KEYSMITH_BENCH_HTTP_PORT:-8281}" KEYSMITH_HTTPS_PORT="${KEYSMITH_BENCH_HTTPS_PORT:-8643}"
export KEYSMITH_HTTP_PORT_2="${KEYSMITH_BENCH_HTTP_PORT_2:-8282}" KEYSMITH_DB_PORT="${KEYSMITH_BENCH_DB_PORT:-13307}"
export KEYSMITH_HARNESS_WC_AS_PLUGIN=1 KEYSMITH_BOOT_WORK_DIR="$KEYSMITH_HARNESS_DIR/boot-work"

scripts/install-deps.sh >/dev/null
mkdir -p target/bench "$KEYSMITH_BOOT_WORK_DIR"
# The boot work's class files (about what WooCommerce 10 loads per request), generated once.
php -r '
	$dir = getenv("KEYSMITH_BOOT_WORK_DIR");
	for ($i = 0; $i < 700; $i++) {
		$methods = "";
		for ($m = 0; $m < 24; $m++) {
			$methods .= "\tpublic function method_$m( array \$args = array() ): array {\n\t\t\$out = array();\n\t\tforeach ( \$args as \$k => \$v ) {\n\t\t\t\$out[ \$k ] = is_string( \$v ) ? trim( \$v ) : \$v;\n\t\t}\n\t\treturn \$out;\n\t}\n";
		}
		$file = "$dir/class-boot-$i.php";
		if (!is_file($file)) {
			file_put_contents($file, "<?php\nfinal class Keysmith_Bench_Boot_$i {\n\tpublic const DEFAULTS = array( \"a\" => $i, \"b\" => \"" . str_repeat("x", 40) . "\" );\n$methods}\n");
		}
	}'
tests/harness/site.sh up >/dev/null
trap 'tests/harness/site.sh down >/dev/null 2>&1 || true' EXIT
eval "$(tests/harness/site.sh env)"
PHP_EXT=()
[[ -f "${KEYSMITH_EXTENSION_PATH:-}" ]] && PHP_EXT=(-d "extension=$KEYSMITH_EXTENSION_PATH")
KEYS="$(php "${PHP_EXT[@]}" tests/bench/refusals-setup.php)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"; tests/harness/site.sh down >/dev/null 2>&1 || true' EXIT

load() { php tests/bench/refusals-load.php "$KEYSMITH_SITE_URL" "$KEYSMITH_SITE_URL_TLS" "$1" "$2" "$3" "$KEYS"; }
# Warm up every mode and kind (opcache, the context early decisions check, key rows).
for kind in unknown secret throttled accepted; do for mode in woocommerce native twin late; do load "$mode" "$kind" 5 >/dev/null; done; done
for round in $(seq "$ROUNDS"); do
	for kind in unknown secret throttled accepted; do
		for mode in woocommerce native twin late; do
			[[ $kind == throttled && $mode == woocommerce ]] && continue
			load "$mode" "$kind" "$COUNT" >>"$WORK/rounds"
		done
	done
done
python3 tests/bench/refusals-report.py "$WORK/rounds" "$OUT"
