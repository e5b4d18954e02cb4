#!/usr/bin/env bash
# PHP unit suite (no WordPress): extension <-> twin parity on the shared vectors, a randomized
# differential test, generated keys, bad input, and the crypto facade.
#
# Runs PHPUnit twice with the built extension loaded: first as is (the facade picks native),
# then with KEYSMITH_FORCE_FALLBACK=1 (the facade picks the twin; the slow tests, which call both
# implementations directly and so do not depend on the facade, are not repeated).
# KEYSMITH_REQUIRE_NATIVE=1 (the default here) makes a missing extension a failure, not a skip.
#
# Usage: tests/php/run-unit.sh [phpunit options, e.g. --filter Differential]
set -euo pipefail
cd "$(dirname "$0")/../.."

export KEYSMITH_EXTENSION_SO="${KEYSMITH_EXTENSION_SO:-$PWD/target/release/libkeysmith.so}"
export KEYSMITH_REQUIRE_NATIVE="${KEYSMITH_REQUIRE_NATIVE:-1}"
PHP="${PHP:-php}"
PHPUNIT="${PHPUNIT:-/usr/bin/phpunit}"

# The extension reads its sealing keys at start-up from ini settings; the twin reads the same test
# keys from constants the unit bootstrap defines (tests/vectors/sealing/, made by generate.php).
sealing_keys="$PWD/tests/vectors/sealing"
php_args=()
if [[ -f "$KEYSMITH_EXTENSION_SO" ]]; then
	php_args=(-d "extension=$KEYSMITH_EXTENSION_SO" -d "keysmith.sealing_key_file=$sealing_keys/current.key" -d "keysmith.sealing_previous_key_file=$sealing_keys/previous.key")
elif [[ "$KEYSMITH_REQUIRE_NATIVE" == 1 ]]; then
	echo "run-unit.sh: $KEYSMITH_EXTENSION_SO is missing; build it with: cargo build --release" >&2
	exit 1
fi

echo "== PHP unit tests, facade on native (extension: ${php_args[*]:-none})"
env -u KEYSMITH_FORCE_FALLBACK "$PHP" "${php_args[@]}" "$PHPUNIT" -c tests/php/phpunit-unit.xml "$@"

echo "== PHP unit tests, facade forced to the twin (KEYSMITH_FORCE_FALLBACK=1)"
KEYSMITH_FORCE_FALLBACK=1 "$PHP" "${php_args[@]}" "$PHPUNIT" -c tests/php/phpunit-unit.xml --exclude-group slow "$@"
