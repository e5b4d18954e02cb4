#!/usr/bin/env bash
# PHPUnit integration suite on the harness's real WordPress + MariaDB, in three passes:
#   1. native: the extension (target/release/libkeysmith.so) loaded by the CLI and both php-fpm pools;
#      the .so must exist (make build): a missing extension fails this pass, it never quietly
#      turns into a second run of the twin;
#   2. twin: the extension absent (KEYSMITH_NO_EXTENSION=1; KEYSMITH_FORCE_FALLBACK=1), php-fpm
#      restarted so served requests use the PHP twin too;
#   3. object cache: native again, with a persistent object cache (KEYSMITH_OBJECT_CACHE=redis: Redis
#      and tests/harness/object-cache.php shared by the CLI and both pools), for the test suite
#      `object-cache` of phpunit.xml (the harness check, Cache, Store and Auth);
#   4. and 5. sealed, sealed-twin: the test suite `sealed` (Auth) with every key sealed
#      (KEYSMITH_TEST_SEALED=1), native then twin.
# In every pass the extension holds the harness's sealing key (ini, CLI and pools), and the twin
# reads it from wp-config-local.php.
# Exits non-zero if any pass fails. Stops the site at the end unless KEYSMITH_KEEP_SITE=1 or the
# site was already running before (someone else may be using it); then php-fpm goes back to native,
# without the object cache.
#
# Extra arguments go to phpunit in every pass, e.g.: tests/harness/run-integration.sh --filter HarnessTest
# KEYSMITH_PASSES=native,twin,cache,sealed,sealed-twin (the default) chooses passes, e.g. KEYSMITH_PASSES=cache.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SITE="$REPO/tests/harness/site.sh"
EXT="${KEYSMITH_EXTENSION:-$REPO/target/release/libkeysmith.so}"
H="${KEYSMITH_HARNESS_DIR:-$REPO/target/harness}"
PASSES=",${KEYSMITH_PASSES:-native,twin,cache,sealed,sealed-twin},"
# Served requests do not spawn WP-Cron while tests run (see site.sh): jobs run when a test asks.
export KEYSMITH_WP_CRON=manual
cd "$REPO"

command -v phpunit >/dev/null || { echo "run-integration.sh: phpunit not found (apt-get install phpunit)" >&2; exit 1; }

system_wide=0
php -m 2>/dev/null | grep -qx keysmith && system_wide=1
if [[ "$PASSES" == *,native,* || "$PASSES" == *,cache,* ]] && [[ ! -f "$EXT" && $system_wide == 0 ]]; then
	echo "run-integration.sh: $EXT is missing: the native passes need the extension (make build, or cargo build --release)" >&2
	exit 1
fi

was_up=0
"$SITE" status >/dev/null 2>&1 && was_up=1

finish() {
	local rc=$?
	rm -f "$H/wp-config-local.php"
	if [[ "${KEYSMITH_KEEP_SITE:-0}" == 1 || $was_up == 1 ]]; then
		KEYSMITH_OBJECT_CACHE= KEYSMITH_FORCE_FALLBACK=0 "$SITE" up >/dev/null 2>&1 || true
		echo "run-integration.sh: site left running (native mode); stop it with tests/harness/site.sh down" >&2
	else
		"$SITE" down || true
	fi
	exit $rc
}
trap finish EXIT

native_args=()
if [[ $system_wide == 0 ]]; then native_args=(-d "extension=$EXT"); fi

# The sealing key every test that seals uses (tests/harness/site.sh makes it): the extension reads
# it from its ini setting (the PHPUnit process and the php-fpm masters, as on a host with the line
# in php.ini), the twin from KEYSMITH_SEALING_KEY_FILE in wp-config-local.php.
SEALING_KEY="$H/sealing/current.key"

# wp-config-local.php for the twin: its sealing key is $1 (tests/harness/wp-config-sealing.php).
sealing_constants() {
	printf "<?php\n\$keysmith_sealing_key = '%s';\nrequire '%s';\n" "$1" "$REPO/tests/harness/wp-config-sealing.php"
}

run_suite() { # label fallback(0|1) object_cache(''|redis) testsuite phpunit-args...
	local label="$1" fallback="$2" cache="$3" suite="$4" args=("${native_args[@]}") no_ext=0 expect=1 ini_key=""
	shift 4
	# The twin run has the extension absent (not loaded by the CLI nor the pools), as on a host
	# without it; KEYSMITH_FORCE_FALLBACK=1 still covers a system-wide installed extension.
	if [[ $fallback == 1 ]]; then args=(); no_ext=1; expect=0; fi
	echo "=== integration tests: $label ==="
	local t0=$SECONDS
	mkdir -p "$H"
	if [[ $expect == 1 ]]; then
		ini_key="$SEALING_KEY"
		args+=(-d "keysmith.sealing_key_file=$SEALING_KEY")
		rm -f "$H/wp-config-local.php"
	else
		sealing_constants "$SEALING_KEY" >"$H/wp-config-local.php"
	fi
	# `|| return`: errexit does not apply inside a function called from `||`.
	KEYSMITH_NO_EXTENSION="$no_ext" KEYSMITH_FORCE_FALLBACK="$fallback" KEYSMITH_OBJECT_CACHE="$cache" KEYSMITH_SEALING_KEY_INI="$ini_key" "$SITE" up || return 1
	eval "$(KEYSMITH_OBJECT_CACHE="$cache" "$SITE" env)"
	local rc=0
	KEYSMITH_FORCE_FALLBACK="$fallback" KEYSMITH_EXPECT_EXTENSION="$expect" KEYSMITH_OBJECT_CACHE="$cache" KEYSMITH_SEALING_KEY_INI="$ini_key" \
		php "${args[@]}" /usr/bin/phpunit -c tests/php/integration/phpunit.xml --testsuite "$suite" "$@" || rc=1
	echo "=== $label: $((SECONDS - t0))s ==="
	return $rc
}

status=0
if [[ "$PASSES" == *,native,* ]]; then
	run_suite "native extension" 0 "" integration "$@" || status=1
fi
if [[ "$PASSES" == *,twin,* ]]; then
	run_suite "PHP twin, extension absent (KEYSMITH_NO_EXTENSION=1, KEYSMITH_FORCE_FALLBACK=1)" 1 "" integration "$@" || status=1
fi
if [[ "$PASSES" == *,cache,* ]]; then
	run_suite "persistent object cache (KEYSMITH_OBJECT_CACHE=redis), native extension" 0 redis object-cache "$@" || status=1
fi
if [[ "$PASSES" == *,sealed,* ]]; then
	KEYSMITH_TEST_SEALED=1 run_suite "sealed secrets (KEYSMITH_TEST_SEALED=1), native extension" 0 "" sealed "$@" || status=1
fi
if [[ "$PASSES" == *,sealed-twin,* ]]; then
	KEYSMITH_TEST_SEALED=1 run_suite "sealed secrets (KEYSMITH_TEST_SEALED=1), PHP twin" 1 "" sealed "$@" || status=1
fi

if [[ $status != 0 ]]; then
	echo "run-integration.sh: FAILED (logs: target/harness/debug.log, php-errors.log, nginx/error.log; tests/harness/site.sh logs)" >&2
fi
exit $status
