#!/usr/bin/env bash
# Authentication benchmark against the served harness (loopback only, bounded, under 3 minutes):
# authenticated GET /wp-json/wc/v3/keysmith-test with
#   Basic over https  -> wrk (fixed duration, fixed connections)
#   OAuth 1.0a http   -> tests/bench/auth-oauth.mjs (fixed request count, fresh nonce each),
#                        one at a time (steady state) and with concurrent requests on one key
# in three modes: woocommerce (Keysmith off: the WooCommerce contract fixture authenticates),
# twin (Keysmith on the pure-PHP twin), native (Keysmith on the extension). The modes run
# interleaved for several rounds and the medians are reported, so a busy machine skews all modes
# alike. Database statements and rows written per request come from a probe must-use plugin
# installed only for the run. Then a nonce race per mode (20 simultaneous requests, one nonce, two
# servers) and the in-process cost of verification, native vs twin. Writes target/bench/auth.json and prints a table.
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS="${KEYSMITH_BENCH_ROUNDS:-3}"
DURATION="${KEYSMITH_BENCH_DURATION:-3}"
OAUTH_SEQUENTIAL="${KEYSMITH_BENCH_OAUTH_SEQUENTIAL:-100}"
OAUTH_CONCURRENT="${KEYSMITH_BENCH_OAUTH_REQUESTS:-300}"
CONNECTIONS="${KEYSMITH_BENCH_CONNECTIONS:-8}"
OUT=target/bench/auth.json
MODES=(woocommerce twin native)
ROUTE=/wp-json/wc/v3/keysmith-test

scripts/install-deps.sh >/dev/null
tests/harness/site.sh up >/dev/null 2>&1
eval "$(tests/harness/site.sh env)"
PHP_EXT=()
[[ -f "${KEYSMITH_EXTENSION_PATH:-}" ]] && PHP_EXT=(-d "extension=$KEYSMITH_EXTENSION_PATH")
mkdir -p target/bench
WORK="$(mktemp -d)"
PROBE="$KEYSMITH_SITE_DIR/wp-content/mu-plugins/keysmith-bench-probe.php"
cp tests/bench/auth-probe.php "$PROBE"
trap 'rm -f "$PROBE"; rm -rf "$WORK"' EXIT

field() { python3 -c 'import json,sys; print(json.load(sys.stdin)["rw"][sys.argv[1]])' "$1"; }
header() { sed -n "s/^$1: *\([0-9a-z]*\).*/\1/ip"; }

declare -A CK CS BASIC COUNTS
for mode in "${MODES[@]}"; do
	# A fresh key per mode: each starts with an empty nonce map.
	key_json="$(php "${PHP_EXT[@]}" tests/e2e/auth/make-keys.php)"
	CK[$mode]="$(field ck <<<"$key_json")"
	CS[$mode]="$(field cs <<<"$key_json")"
	BASIC[$mode]="$(printf '%s:%s' "${CK[$mode]}" "${CS[$mode]}" | base64 -w0)"
	# Steady-state statement counts for Basic: the second request (the first records the last IP).
	for _ in 1 2; do
		headers="$(curl -sk -o /dev/null -D - -H "Authorization: Basic ${BASIC[$mode]}" -H "X-Keysmith-Bench: $mode" "$KEYSMITH_SITE_URL_TLS$ROUTE")"
	done
	COUNTS[$mode]="$(header x-keysmith-queries <<<"$headers") $(header x-keysmith-writes <<<"$headers") $(header x-keysmith-rows-written <<<"$headers") $(header x-keysmith-crypto <<<"$headers")"
done

for round in $(seq "$ROUNDS"); do
	for mode in "${MODES[@]}"; do
		wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Basic ${BASIC[$mode]}" -H "X-Keysmith-Bench: $mode" "$KEYSMITH_SITE_URL_TLS$ROUTE" |
			python3 tests/bench/auth-wrk.py "$mode" ${COUNTS[$mode]} >>"$WORK/$mode.basic"
		node tests/bench/auth-oauth.mjs "$KEYSMITH_SITE_URL$ROUTE" "${CK[$mode]}" "${CS[$mode]}" "$mode" "$OAUTH_SEQUENTIAL" 1 >>"$WORK/$mode.oauth_sequential"
		node tests/bench/auth-oauth.mjs "$KEYSMITH_SITE_URL$ROUTE" "${CK[$mode]}" "${CS[$mode]}" "$mode" "$OAUTH_CONCURRENT" "$CONNECTIONS" >>"$WORK/$mode.oauth_concurrent"
	done
done

for mode in "${MODES[@]}"; do
	.venv/bin/python tests/bench/auth-race.py "$mode" "${CK[$mode]}" "${CS[$mode]}" >>"$WORK/races"
done
php "${PHP_EXT[@]}" tests/bench/auth-verify.php >"$WORK/verify.json"
python3 tests/bench/auth-report.py "$WORK" "$OUT" "${MODES[@]}"
