#!/usr/bin/env bash
# Builds a prebuilt-binary release artifact of the keysmith extension for hosts that install
# binaries rather than build them:
#
#   target/dist/php<major.minor>-<nts|zts>-<rust target triple>-keysmith.so
#   target/dist/php<major.minor>-<nts|zts>-<rust target triple>-keysmith.so.sha256  (sha256sum format)
#
# The name carries everything a PHP build must match to load it. PHP_CONFIG=/path/to/php-config
# builds for another installed PHP (as for `make install`). Prints the artifact's path last.
#
# A host installs it with:  KEYSMITH_SO=<file> scripts/install-ext.sh install
# or by hand: cp <file> "$(php-config --extension-dir)/keysmith.so" and an ini with extension=keysmith.so
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="${DIST_DIR:-$ROOT/target/dist}"

PHP_CONFIG="${PHP_CONFIG:-$(command -v php-config || true)}"
[ -n "$PHP_CONFIG" ] || exec "$ROOT/scripts/install-ext.sh" check # says what is missing and how to fix it
export PHP_CONFIG

# install-ext.sh does the preflight checks and the build for the PHP that PHP_CONFIG names.
so="$("$ROOT/scripts/install-ext.sh" build | tail -n1)"

php_bin="$("$PHP_CONFIG" --php-binary)"
php_mm="$("$php_bin" -n -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')"
php_ts="$("$php_bin" -n -r 'echo PHP_ZTS ? "zts" : "nts";')"
triple="$(rustc -vV | sed -n 's/^host: //p')"
name="php${php_mm}-${php_ts}-${triple}-keysmith.so"

mkdir -p "$DIST"
cp -f "$so" "$DIST/$name"
(cd "$DIST" && sha256sum "$name" >"$name.sha256")

# The artifact must load into the PHP it is named for, with no other configuration.
"$php_bin" -n -d "extension=$DIST/$name" --ri keysmith >/dev/null
(cd "$DIST" && sha256sum --quiet -c "$name.sha256")

echo "build-artifact: $(cut -d' ' -f1 "$DIST/$name.sha256")  $name" >&2
printf '%s\n' "$DIST/$name"
