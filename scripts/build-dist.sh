#!/usr/bin/env bash
# make dist: the release files of this checkout, in target/dist (DIST_DIR=... for another place):
#
#   keysmith-<version>.zip   the WordPress plugin as Plugins > Add New > Upload Plugin takes it: one
#                            top folder keysmith/ with keysmith.php, readme.txt, uninstall.php,
#                            languages/, assets/ and src/; nothing for development (no tests,
#                            stubs or tooling files)
#   php<x.y>-<nts|zts>-<target>-keysmith.so (+ .sha256)   the extension, as `make artifact` builds it
#
# The version is the plugin header's; the script refuses to package when KEYSMITH_VERSION or
# readme.txt's "Stable tag" says otherwise. The zip is reproducible: entries sorted, times set to
# the last commit's (SOURCE_DATE_EPOCH overrides). Prints the zip's path last.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="${DIST_DIR:-$ROOT/target/dist}"
PLUGIN="${PLUGIN_DIR:-$ROOT/plugin}" # another copy of plugin/ (tests)

die() { printf 'build-dist: %s\n' "$*" >&2; exit 1; }
command -v zip >/dev/null || die "zip is not installed (fix: apt-get install zip)"

version="$(sed -n 's/^ \* Version: *\([^ ]*\) *$/\1/p' "$PLUGIN/keysmith.php")"
[[ -n "$version" ]] || die "no Version: header in plugin/keysmith.php"
constant="$(sed -n "s/^define( 'KEYSMITH_VERSION', '\(.*\)' );$/\1/p" "$PLUGIN/keysmith.php")"
stable="$(sed -n 's/^Stable tag: *\([^ ]*\) *$/\1/p' "$PLUGIN/readme.txt")"
[[ "$constant" == "$version" ]] || die "KEYSMITH_VERSION is '$constant' but the plugin header says '$version'"
[[ "$stable" == "$version" ]] || die "readme.txt's Stable tag is '$stable' but the plugin header says '$version'"

# What WordPress needs of the plugin, and nothing else: plugin/stubs/ is an IDE stub of the extension.
SHIPPED=(keysmith.php readme.txt uninstall.php languages assets src)

stage="$(mktemp -d "${TMPDIR:-/tmp}/keysmith-dist.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/keysmith"
for entry in "${SHIPPED[@]}"; do
	[[ -e "$PLUGIN/$entry" ]] || die "plugin/$entry is missing"
	cp -R "$PLUGIN/$entry" "$stage/keysmith/"
done
# Editor and OS leftovers never ship.
find "$stage/keysmith" \( -name '.*' -o -name '*~' -o -name '*.swp' -o -name '*.orig' \) -prune -exec rm -rf {} +

epoch="${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)}"
find "$stage/keysmith" -exec touch -h -d "@$epoch" {} +
mkdir -p "$DIST"
zip="$DIST/keysmith-$version.zip"
rm -f "$zip"
(cd "$stage" && find keysmith -print | LC_ALL=C sort | TZ=UTC zip -X -q -@ "$zip")
echo "build-dist: $(unzip -Z1 "$zip" | grep -vc '/$') files in $(basename "$zip")" >&2

# The extension for hosts that install binaries (make artifact).
DIST_DIR="$DIST" "$ROOT/scripts/build-artifact.sh" >/dev/null
printf '%s\n' "$zip"
