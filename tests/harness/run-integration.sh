#!/usr/bin/env bash
# PHPUnit integration suite on the harness's real WordPress + MariaDB, run twice:
#   1. with the native extension (target/release/libkeysmith.so, when built), CLI and served site;
#   2. with the extension absent (KEYSMITH_NO_EXTENSION=1; KEYSMITH_FORCE_FALLBACK=1): the PHP twin,
#      php-fpm restarted so served requests use it too.
# Exits non-zero if either run fails. Stops the site at the end unless KEYSMITH_KEEP_SITE=1 or the
# site was already running before (someone else may be using it); then php-fpm goes back to native.
# Extra arguments go to phpunit, e.g.: tests/harness/run-integration.sh --filter HarnessTest
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SITE="$REPO/tests/harness/site.sh"
EXT="${KEYSMITH_EXTENSION:-$REPO/target/release/libkeysmith.so}"
H="${KEYSMITH_HARNESS_DIR:-$REPO/target/harness}"
cd "$REPO"

command -v phpunit >/dev/null || { echo "run-integration.sh: phpunit not found (apt-get install phpunit)" >&2; exit 1; }

was_up=0
"$SITE" status >/dev/null 2>&1 && was_up=1

finish() {
	local rc=$?
	rm -f "$H/wp-config-local.php"
	if [[ "${KEYSMITH_KEEP_SITE:-0}" == 1 || $was_up == 1 ]]; then
		KEYSMITH_FORCE_FALLBACK=0 "$SITE" up >/dev/null 2>&1 || true
		echo "run-integration.sh: site left running (native mode); stop it with tests/harness/site.sh down" >&2
	else
		"$SITE" down || true
	fi
	exit $rc
}
trap finish EXIT

php_args=()
expect_ext=0
if [[ "${KEYSMITH_NO_EXTENSION:-0}" != 1 && -f "$EXT" ]]; then
	if ! php -m 2>/dev/null | grep -qx keysmith; then php_args=(-d "extension=$EXT"); fi
	expect_ext=1
else
	echo "run-integration.sh: $EXT not built; the 'native' run uses whatever PHP has (make build first)" >&2
fi

# The sealing key every test that seals uses (tests/harness/site.sh makes it): the extension reads
# it from its ini setting (the PHPUnit process and the php-fpm masters, as on a host with the line
# in php.ini), the twin from KEYSMITH_SEALING_KEY_FILE in wp-config-local.php.
SEALING_KEY="$H/sealing/current.key"

run_suite() { # label fallback(0|1) phpunit-args...
	local label="$1" fallback="$2" args=("${php_args[@]}") no_ext="${KEYSMITH_NO_EXTENSION:-0}" expect="$expect_ext" ini_key=""
	shift 2
	# The twin run has the extension absent (not loaded by the CLI nor the pools), as on a host
	# without it; KEYSMITH_FORCE_FALLBACK=1 still covers a system-wide installed extension.
	if [[ $fallback == 1 ]]; then args=(); no_ext=1; expect=0; fi
	echo "=== integration tests: $label ==="
	mkdir -p "$H"
	if [[ $expect == 1 ]]; then
		ini_key="$SEALING_KEY"
		args+=(-d "keysmith.sealing_key_file=$SEALING_KEY")
		rm -f "$H/wp-config-local.php"
	else
		printf "<?php\ndefine( 'KEYSMITH_SEALING_KEY_FILE', '%s' );\n" "$SEALING_KEY" >"$H/wp-config-local.php"
	fi
	# `|| return`: errexit does not apply inside a function called from `||`.
	KEYSMITH_NO_EXTENSION="$no_ext" KEYSMITH_FORCE_FALLBACK="$fallback" KEYSMITH_SEALING_KEY_INI="$ini_key" "$SITE" up || return 1
	eval "$("$SITE" env)"
	KEYSMITH_FORCE_FALLBACK="$fallback" KEYSMITH_EXPECT_EXTENSION="$expect" KEYSMITH_SEALING_KEY_INI="$ini_key" \
		php "${args[@]}" /usr/bin/phpunit -c tests/php/integration/phpunit.xml "$@"
}

status=0
run_suite "native extension" 0 "$@" || status=1
run_suite "PHP twin, extension absent (KEYSMITH_NO_EXTENSION=1, KEYSMITH_FORCE_FALLBACK=1)" 1 "$@" || status=1

if [[ $status != 0 ]]; then
	echo "run-integration.sh: FAILED (logs: target/harness/debug.log, php-errors.log, nginx/error.log)" >&2
fi
exit $status
