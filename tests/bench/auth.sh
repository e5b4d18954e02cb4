#!/usr/bin/env bash
# Authentication benchmark against the served harness (loopback only, bounded, under 3 minutes):
# authenticated GET /wp-json/wc/v3/keysmith-test with
#   Basic over https  -> wrk (fixed duration, fixed connections)
#                        and tests/bench/auth-load.mjs one request at a time (statements, server time)
#   OAuth 1.0a http   -> tests/bench/auth-load.mjs (fixed request count, fresh nonce each),
#                        one at a time (steady state) and with concurrent requests on one key
# in three modes: woocommerce (Keysmith off: the WooCommerce contract fixture authenticates),
# twin (Keysmith on the pure-PHP twin), native (Keysmith on the extension). The modes run
# interleaved for several rounds and the medians are reported, so a busy machine skews all modes
# alike. Database statements and rows written per request come from a probe must-use plugin
# installed only for the run. Then a nonce race per mode (20 simultaneous requests, one nonce, two
# servers), the cost of the nonce check with 0 / 10,000 / 100,000 nonces already recorded for the
# key, and the in-process cost of verification, native vs twin. Writes target/bench/auth.json and
# prints a table.
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS="${KEYSMITH_BENCH_ROUNDS:-3}"
DURATION="${KEYSMITH_BENCH_DURATION:-2}"
SEQUENTIAL="${KEYSMITH_BENCH_SEQUENTIAL:-60}"
OAUTH_CONCURRENT="${KEYSMITH_BENCH_OAUTH_REQUESTS:-200}"
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

declare -A CK CS
for mode in "${MODES[@]}"; do
	# A fresh key per mode: each starts with an empty nonce map.
	key_json="$(php "${PHP_EXT[@]}" tests/e2e/auth/make-keys.php)"
	CK[$mode]="$(field ck <<<"$key_json")"
	CS[$mode]="$(field cs <<<"$key_json")"
	# Warm up (the first request of a key also records its last IP).
	node tests/bench/auth-load.mjs basic "$KEYSMITH_SITE_URL_TLS$ROUTE" "${CK[$mode]}" "${CS[$mode]}" "$mode" 5 1 >/dev/null
done

for round in $(seq "$ROUNDS"); do
	for mode in "${MODES[@]}"; do
		basic="$(printf '%s:%s' "${CK[$mode]}" "${CS[$mode]}" | base64 -w0)"
		wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Basic $basic" -H "X-Keysmith-Bench: $mode" "$KEYSMITH_SITE_URL_TLS$ROUTE" |
			python3 tests/bench/auth-wrk.py "$mode" >>"$WORK/$mode.basic_wrk"
		load() { node tests/bench/auth-load.mjs "$1" "$2$ROUTE" "${CK[$mode]}" "${CS[$mode]}" "$mode" "$3" "$4"; }
		load basic "$KEYSMITH_SITE_URL_TLS" "$SEQUENTIAL" 1 >>"$WORK/$mode.basic_sequential"
		load oauth "$KEYSMITH_SITE_URL" "$SEQUENTIAL" 1 >>"$WORK/$mode.oauth_sequential"
		load oauth "$KEYSMITH_SITE_URL" "$OAUTH_CONCURRENT" "$CONNECTIONS" >>"$WORK/$mode.oauth_concurrent"
	done
done

for mode in "${MODES[@]}"; do
	.venv/bin/python tests/bench/auth-race.py "$mode" "${CK[$mode]}" "${CS[$mode]}" >>"$WORK/races"
done

# The cost of the nonce check against the nonces a key already has in its window: Keysmith (native)
# with 0, 10,000 and 100,000 recorded; WooCommerce with an empty and with a full map (its map holds
# one nonce per second of its window). Interleaved rounds, one request at a time; the server-side
# time of the authentication path is what the target (within 10 %) is about.
WINDOWS=(native:0 native:10000 native:100000 woocommerce:0 woocommerce:1801)
declare -A NCK NCS NID
for spec in "${WINDOWS[@]}"; do
	key_json="$(php "${PHP_EXT[@]}" tests/e2e/auth/make-keys.php)"
	NCK[$spec]="$(field ck <<<"$key_json")"
	NCS[$spec]="$(field cs <<<"$key_json")"
	NID[$spec]="$(field id <<<"$key_json")"
	php tests/bench/fill-nonces.php "${NID[$spec]}" "$([[ ${spec%%:*} == native ]] && echo keysmith || echo woocommerce)" "${spec##*:}"
	node tests/bench/auth-load.mjs oauth "$KEYSMITH_SITE_URL$ROUTE" "${NCK[$spec]}" "${NCS[$spec]}" "${spec%%:*}" 5 1 >/dev/null
done
for round in $(seq "$ROUNDS"); do
	for spec in "${WINDOWS[@]}"; do
		node tests/bench/auth-load.mjs oauth "$KEYSMITH_SITE_URL$ROUTE" "${NCK[$spec]}" "${NCS[$spec]}" "${spec%%:*}" "$SEQUENTIAL" 1 |
			python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); r["recorded"]=int(sys.argv[1]); print(json.dumps(r))' "${spec##*:}" >>"$WORK/nonce_window"
	done
done
php "${PHP_EXT[@]}" tests/bench/auth-verify.php >"$WORK/verify.json"
python3 tests/bench/auth-report.py "$WORK" "$OUT" "${MODES[@]}"
