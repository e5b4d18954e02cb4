#!/usr/bin/env bash
# Install-path tests (make test-install): every way a host can install the keysmith extension,
# run for real on this machine against temporary directories; nothing outside them is written
# (cargo's shared target/ dir aside).
#
#   1. preflight: missing Rust / libclang / php-config, a too old PHP or rustc -> clear error with the fix
#   2. scripts/install-ext.sh (make install) into a temporary extension dir + ini dir; loads;
#      the written ini loads it; uninstall removes exactly what install wrote
#   3. DESTDIR: one conf.d ini per SAPI found under /etc/php/<ver>/, nothing else
#   4. an ini Keysmith did not write is neither overwritten nor removed
#   5. phpize && configure && make && make install: in a git checkout the in-tree configure refuses
#      and the project Makefile stays intact (staged in a copy); an archive configures in place; the
#      out-of-tree build of this checkout loads; make install needs no cargo
#   6. scripts/build-artifact.sh: the artifact is named for this PHP, loads, and its checksum verifies
#   7. make dist (scripts/build-dist.sh): the plugin zip as WordPress's upload takes it, byte for
#      byte the plugin, nothing for development in it, reproducible; the artifact beside it; a
#      version mismatch refused
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# One run at a time per checkout: section 5 runs phpize in the checkout itself.
mkdir -p "$ROOT/target"
exec 8>"$ROOT/target/.test-install.lock"
flock -w 900 8 || { echo "test-install: another run holds $ROOT/target/.test-install.lock" >&2; exit 1; }

WORK="$(mktemp -d /tmp/keysmith-install-test.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

PHP_CONFIG_BIN="$(command -v php-config)"
PHP_BIN="$("$PHP_CONFIG_BIN" --php-binary)"
PHP_MM="$("$PHP_BIN" -n -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')"
SYS_EXT_DIR="$("$PHP_CONFIG_BIN" --extension-dir)"
CRATE_VERSION="$(sed -n 's/^version *= *"\(.*\)"/\1/p' Cargo.toml | head -n1)"
# The whole suite shares cargo's usual target dir: only the crate itself is ever rebuilt.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

failures=0
started=$SECONDS
section() { printf '\n== %s\n' "$*"; section_started=$SECONDS; }
ok() { printf '  ok   %s\n' "$*"; }
fail() {
	printf '  FAIL %s\n' "$*" >&2
	failures=$((failures + 1))
}
took() { printf '  (%ds)\n' "$((SECONDS - section_started))"; }

# expect_error NAME PHRASE CMD...: CMD must fail, and say PHRASE and a fix.
expect_error() {
	local name="$1" phrase="$2" out
	shift 2
	if out="$("$@" 2>&1)"; then
		fail "$name: succeeded, expected an error"
	elif ! grep -qF -- "$phrase" <<<"$out" || ! grep -q "fix:" <<<"$out"; then
		fail "$name: error lacks '$phrase' or a fix: $out"
	else
		ok "$name: $(head -n1 <<<"$out")"
	fi
}

# A PHP snippet proving the loaded extension is Keysmith's and computes WooCommerce's hash.
readonly PROBE='echo Keysmith\version(), " ", (Keysmith\api_hash("ck_probe") === hash_hmac("sha256", "ck_probe", "wc-api") ? "hash-ok" : "hash-BAD");'

# expect_loads NAME PHP-ARGS...: the extension loads with those arguments and works.
expect_loads() {
	local name="$1" out
	shift
	if out="$("$PHP_BIN" "$@" -r "$PROBE" 2>&1)" && [ "$out" = "$CRATE_VERSION hash-ok" ]; then
		ok "$name: loads, version $CRATE_VERSION, api_hash matches hash_hmac"
	else
		fail "$name: expected '$CRATE_VERSION hash-ok', got: $out"
	fi
}

files_under() { (cd "$1" && find . -type f | sort); }

# --- 1 ------------------------------------------------------------------------------------------
section "1. preflight errors name the fix"
mkdir -p "$WORK/emptybin" "$WORK/oldphp"
expect_error "no php-config on PATH" "php-config was not found" env -u PHP_CONFIG PATH="$WORK/emptybin" /bin/bash scripts/install-ext.sh check
expect_error "PHP_CONFIG not executable" "is not an executable php-config" env PHP_CONFIG="$WORK/nope" scripts/install-ext.sh check
cat >"$WORK/oldphp/php-config" <<EOF
#!/bin/sh
case "\$1" in --vernum) echo 80027 ;; --version) echo 8.0.27 ;; *) exec "$PHP_CONFIG_BIN" "\$@" ;; esac
EOF
chmod +x "$WORK/oldphp/php-config"
expect_error "PHP older than 8.1" "needs PHP 8.1 or newer" env PHP_CONFIG="$WORK/oldphp/php-config" scripts/install-ext.sh check
expect_error "no cargo on PATH" "rustup" env PATH="/usr/bin:/bin" scripts/install-ext.sh check
# A rustc one minor release older than Cargo.toml's rust-version, the one place the requirement is written.
rust_need="$(sed -n 's/^rust-version *= *"\(.*\)"/\1/p' Cargo.toml)"
rust_minor="${rust_need#*.}"
rust_older="${rust_need%%.*}.$((${rust_minor%%.*} - 1)).0"
mkdir -p "$WORK/oldrust"
printf '#!/bin/sh\necho "rustc %s (0000000 2020-01-01)"\n' "$rust_older" >"$WORK/oldrust/rustc"
printf '#!/bin/sh\nexit 0\n' >"$WORK/oldrust/cargo"
chmod +x "$WORK/oldrust/rustc" "$WORK/oldrust/cargo"
expect_error "rustc $rust_older, older than Cargo.toml's rust-version" "needs Rust >= $rust_need" env PATH="$WORK/oldrust:$PATH" scripts/install-ext.sh check
expect_error "no libclang where LIBCLANG_PATH points" "libclang" env LIBCLANG_PATH="$WORK/nope" scripts/install-ext.sh check
expect_error "install with no Rust and no earlier build" "rustup" env PATH="/usr/bin:/bin" CARGO_TARGET_DIR="$WORK/no-build" EXTENSION_DIR="$WORK/never" INI_DIR="$WORK/never" scripts/install-ext.sh install
[ ! -e "$WORK/never" ] && ok "a failed preflight writes nothing" || fail "a failed preflight wrote $WORK/never"
took

# --- 2 ------------------------------------------------------------------------------------------
section "2. make install / uninstall into temporary directories"
if EXTENSION_DIR="$WORK/ext" INI_DIR="$WORK/ini" scripts/install-ext.sh install >"$WORK/install.log" 2>&1; then
	ok "install-ext.sh install (EXTENSION_DIR, INI_DIR)"
else
	fail "install-ext.sh install: $(tail -n 20 "$WORK/install.log")"
fi
[ "$(files_under "$WORK/ext")" = "./keysmith.so" ] && ok "extension dir holds keysmith.so only" || fail "extension dir: $(files_under "$WORK/ext")"
[ "$(files_under "$WORK/ini")" = "./20-keysmith.ini" ] && ok "ini dir holds 20-keysmith.ini only" || fail "ini dir: $(files_under "$WORK/ini")"
grep -qx 'extension=keysmith.so' "$WORK/ini/20-keysmith.ini" && ok "ini loads extension=keysmith.so" || fail "ini content: $(cat "$WORK/ini/20-keysmith.ini")"
expect_loads "php -n -d extension_dir=<tmp> -d extension=keysmith" -n -d "extension_dir=$WORK/ext" -d extension=keysmith
# Output captured first: grep -q closing the pipe early would fail the pipeline (pipefail).
ri="$("$PHP_BIN" -n -d "extension_dir=$WORK/ext" -d extension=keysmith --ri keysmith 2>&1 || true)"
if grep -q "$CRATE_VERSION" <<<"$ri"; then
	ok "php --ri keysmith shows version $CRATE_VERSION"
else
	fail "php --ri keysmith lacks the version"
fi
# The ini as written, read as a scan dir the way PHP reads conf.d (no other config).
modules="$(PHP_INI_SCAN_DIR="$WORK/ini" "$PHP_BIN" -c /dev/null -d "extension_dir=$WORK/ext" -m 2>&1 || true)"
if grep -qx keysmith <<<"$modules"; then
	ok "the written ini, as a conf.d scan dir, loads keysmith"
else
	fail "the written ini does not load keysmith"
fi
EXTENSION_DIR="$WORK/ext" INI_DIR="$WORK/ini" scripts/install-ext.sh uninstall >"$WORK/uninstall.log" 2>&1 || fail "uninstall: $(cat "$WORK/uninstall.log")"
[ -z "$(files_under "$WORK/ext")$(files_under "$WORK/ini")" ] && ok "uninstall removed exactly the two files" || fail "left: $(files_under "$WORK/ext") $(files_under "$WORK/ini")"
# `make` as the user, then `sudo make install` (sudo's PATH has no cargo): the earlier build goes in.
if env PATH="/usr/bin:/bin" EXTENSION_DIR="$WORK/ext" INI_DIR="$WORK/ini" scripts/install-ext.sh install >"$WORK/sudo.log" 2>&1 &&
	grep -q "installing the earlier build" "$WORK/sudo.log"; then
	ok "install without cargo on PATH installs the earlier build"
else
	fail "install without cargo: $(tail -n 5 "$WORK/sudo.log")"
fi
expect_loads "installed without cargo" -n -d "extension_dir=$WORK/ext" -d extension=keysmith
# A prebuilt artifact needs no Rust at all.
if env PATH="/usr/bin:/bin" KEYSMITH_SO="$CARGO_TARGET_DIR/release/libkeysmith.so" EXTENSION_DIR="$WORK/ext3" INI_DIR="$WORK/ini3" \
	scripts/install-ext.sh install >"$WORK/so.log" 2>&1; then
	ok "KEYSMITH_SO=<artifact> installs without Rust"
else
	fail "KEYSMITH_SO install: $(tail -n 5 "$WORK/so.log")"
fi
EXTENSION_DIR="$WORK/ext" INI_DIR="$WORK/ini" scripts/install-ext.sh uninstall >/dev/null 2>&1
EXTENSION_DIR="$WORK/ext3" INI_DIR="$WORK/ini3" scripts/install-ext.sh uninstall >/dev/null 2>&1
took

# --- 3 ------------------------------------------------------------------------------------------
section "3. DESTDIR: one ini per SAPI under /etc/php/$PHP_MM"
DESTDIR="$WORK/root" scripts/install-ext.sh install >"$WORK/destdir.log" 2>&1 || fail "DESTDIR install: $(tail -n 20 "$WORK/destdir.log")"
expected="$( {
	echo ".$SYS_EXT_DIR/keysmith.so"
	for d in /etc/php/"$PHP_MM"/*/conf.d; do [ -d "$d" ] && echo ".$d/20-keysmith.ini"; done
} | sort)"
actual="$(files_under "$WORK/root")"
if [ "$actual" = "$expected" ]; then
	ok "wrote exactly: $(tr '\n' ' ' <<<"$actual")"
else
	fail "DESTDIR files: expected [$expected] got [$actual]"
fi
expect_loads "load from DESTDIR's extension dir" -n -d "extension_dir=$WORK/root$SYS_EXT_DIR" -d extension=keysmith
DESTDIR="$WORK/root" scripts/install-ext.sh uninstall >>"$WORK/destdir.log" 2>&1 || fail "DESTDIR uninstall"
[ -z "$(files_under "$WORK/root")" ] && ok "DESTDIR uninstall removed every file" || fail "left: $(files_under "$WORK/root")"
took

# --- 4 ------------------------------------------------------------------------------------------
section "4. an ini Keysmith did not write is left alone"
mkdir -p "$WORK/foreign"
printf 'extension=keysmith.so\n' >"$WORK/foreign/20-keysmith.ini"
expect_error "install refuses to overwrite a foreign ini" "was not written by Keysmith" \
	env EXTENSION_DIR="$WORK/ext2" INI_DIR="$WORK/foreign" scripts/install-ext.sh install
EXTENSION_DIR="$WORK/ext2" INI_DIR="$WORK/foreign" scripts/install-ext.sh uninstall >/dev/null 2>&1 || true
[ "$(cat "$WORK/foreign/20-keysmith.ini")" = "extension=keysmith.so" ] && ok "uninstall left the foreign ini untouched" || fail "foreign ini changed"
took

# --- 5 ------------------------------------------------------------------------------------------
section "5. phpize && ./configure && make && make install"
# 5a. In place in a git checkout, configure must refuse before it writes a Makefile. Staged in a
# throwaway copy of the files configure reads, so a regression cannot clobber the real Makefile.
guard="$WORK/guard"
mkdir -p "$guard/scripts" "$guard/.git"
cp config.m4 Makefile.frag Makefile Cargo.toml "$guard/" && cp scripts/install-ext.sh "$guard/scripts/"
makefile_sum="$(sha256sum <"$guard/Makefile")"
(cd "$guard" && phpize >"$WORK/phpize-guard.log" 2>&1) || fail "phpize (copy): $(tail "$WORK/phpize-guard.log")"
if (cd "$guard" && ./configure >"$WORK/configure-in-tree.log" 2>&1); then
	fail "in-tree ./configure in a git checkout should refuse"
elif grep -q "out of tree" "$WORK/configure-in-tree.log"; then
	ok "in-tree ./configure in a checkout refuses and explains the out-of-tree build"
else
	fail "in-tree configure failed for another reason: $(tail -n 5 "$WORK/configure-in-tree.log")"
fi
[ "$(sha256sum <"$guard/Makefile")" = "$makefile_sum" ] && ok "the project Makefile is intact" || fail "the project Makefile was overwritten"
rm -rf "$guard/.git"
if (cd "$guard" && ./configure >"$WORK/configure-archive.log" 2>&1) && grep -q 'keysmith.so' "$guard/Makefile"; then
	ok "a source archive (no .git, as PIE downloads it) configures in place"
else
	fail "in-place configure of an archive: $(tail -n 5 "$WORK/configure-archive.log")"
fi

# 5b. The documented out-of-tree build, against this checkout itself so cargo's usual target dir
# is reused as is (a copy elsewhere would rebuild the crate and overwrite target/release's .so).
phpize_files=(autom4te.cache build configure configure.ac config.h.in config.h.in~ run-tests.php)
new_phpize_files=()
for f in "${phpize_files[@]}"; do [ -e "$f" ] || new_phpize_files+=("$f"); done
cleanup_phpize() { local f; for f in "${new_phpize_files[@]}"; do rm -rf "${ROOT:?}/$f"; done; }
trap 'cleanup_phpize; rm -rf "$WORK"' EXIT
phpize >"$WORK/phpize.log" 2>&1 && ok "phpize (in the checkout; its files are gitignored)" || fail "phpize: $(tail "$WORK/phpize.log")"
build="$WORK/phpize-build"
mkdir -p "$build"
if (cd "$build" && "$ROOT/configure" >"$WORK/configure.log" 2>&1); then ok "out-of-tree configure"; else fail "configure: $(tail -n 20 "$WORK/configure.log")"; fi
if (cd "$build" && make >"$WORK/make.log" 2>&1); then
	ok "make (cargo via Makefile.frag): $(grep -E 'Finished|Compiling keysmith' "$WORK/make.log" | tail -n1 | sed 's/^ *//')"
else
	fail "make: $(tail -n 20 "$WORK/make.log")"
fi
[ -f "$build/modules/keysmith.so" ] && ok "modules/keysmith.so built (where PIE looks)" || fail "no modules/keysmith.so"
# make install as sudo would run it: no cargo on PATH. It must not need to build again.
if (cd "$build" && env PATH=/usr/bin:/bin make install INSTALL_ROOT="$WORK/phpize-root" >"$WORK/make-install.log" 2>&1); then
	ok "make install (INSTALL_ROOT, without cargo on PATH)"
else
	fail "make install: $(tail -n 20 "$WORK/make-install.log")"
fi
expect_loads "phpize-installed extension" -n -d "extension_dir=$WORK/phpize-root$SYS_EXT_DIR" -d extension=keysmith
cleanup_phpize
[ -z "$(git status --porcelain --ignored -- "${new_phpize_files[@]}" 2>/dev/null)" ] && ok "phpize's files removed from the checkout again" || fail "phpize files left behind"
took

# --- 6 ------------------------------------------------------------------------------------------
section "6. release artifact"
artifact="$(DIST_DIR="$WORK/dist" scripts/build-artifact.sh 2>"$WORK/artifact.log" | tail -n1)" || fail "build-artifact: $(tail "$WORK/artifact.log")"
triple="$(rustc -vV | sed -n 's/^host: //p')"
ts="$("$PHP_BIN" -n -r 'echo PHP_ZTS ? "zts" : "nts";')"
[ "$(basename "$artifact")" = "php$PHP_MM-$ts-$triple-keysmith.so" ] && ok "named $(basename "$artifact")" || fail "artifact name: $artifact"
(cd "$WORK/dist" && sha256sum -c --quiet "$(basename "$artifact").sha256") && ok "checksum verifies (sha256sum -c)" || fail "checksum does not verify"
expect_loads "artifact" -n -d "extension=$artifact"
printf 'x' >>"$artifact"
if (cd "$WORK/dist" && sha256sum -c --quiet "$(basename "$artifact").sha256" >/dev/null 2>&1); then
	fail "a changed artifact still verifies"
else
	ok "a changed artifact fails the checksum"
fi
took

# --- 7 ------------------------------------------------------------------------------------------
section "7. plugin zip (make dist)"
version="$(sed -n 's/^ \* Version: *\([^ ]*\) *$/\1/p' plugin/keysmith.php)"
zip="$(DIST_DIR="$WORK/pkg" scripts/build-dist.sh 2>"$WORK/dist.log" | tail -n1)" || fail "build-dist: $(tail "$WORK/dist.log")"
[ "$zip" = "$WORK/pkg/keysmith-$version.zip" ] && ok "target: keysmith-$version.zip" || fail "zip path: $zip"
entries="$(unzip -Z1 "$zip")"
[ -z "$(grep -v '^keysmith/' <<<"$entries")" ] && ok "one top folder, keysmith/" || fail "entries outside keysmith/: $(grep -v '^keysmith/' <<<"$entries" | head -3)"
for need in keysmith/keysmith.php keysmith/readme.txt keysmith/uninstall.php keysmith/languages/keysmith.pot keysmith/assets/keysmith-admin.js keysmith/src/Plugin.php; do
	grep -qx "$need" <<<"$entries" || fail "missing $need"
done
ok "keysmith.php, readme.txt, uninstall.php, languages/, assets/, src/ are there"
if grep -Eq '(^|/)(tests|stubs|node_modules|vendor)/|(^|/)\.|phpcs|phpunit|composer\.|Makefile|\.rs$' <<<"$entries"; then
	fail "development files in the zip: $(grep -E '(^|/)(tests|stubs|node_modules|vendor)/|(^|/)\.|phpcs|phpunit|composer\.|Makefile|\.rs$' <<<"$entries" | head -3)"
else
	ok "no tests, stubs or development files"
fi
mkdir -p "$WORK/unzipped" && unzip -q "$zip" -d "$WORK/unzipped"
shipped="$(cd plugin && find keysmith.php readme.txt uninstall.php languages assets src -type f | LC_ALL=C sort)"
[ "$shipped" = "$(cd "$WORK/unzipped/keysmith" && find . -type f | sed 's#^\./##' | LC_ALL=C sort)" ] && ok "exactly the plugin's files" || fail "the zip's files differ from plugin/"
# shellcheck disable=SC2086 # one file name per word
[ "$(cd plugin && sha256sum $shipped)" = "$(cd "$WORK/unzipped/keysmith" && sha256sum $shipped)" ] && ok "byte for byte" || fail "file contents differ"
for php_file in $(grep '\.php$' <<<"$shipped"); do "$PHP_BIN" -l "$WORK/unzipped/keysmith/$php_file" >/dev/null || fail "php -l $php_file"; done
ls "$WORK/pkg"/php*-keysmith.so.sha256 >/dev/null 2>&1 && (cd "$WORK/pkg" && sha256sum -c --quiet ./*.sha256) && ok "the extension artifact beside it verifies" || fail "no verified artifact in $WORK/pkg"
first="$(sha256sum <"$zip")"
DIST_DIR="$WORK/pkg" scripts/build-dist.sh >/dev/null 2>&1
[ "$first" = "$(sha256sum <"$zip")" ] && ok "reproducible: the same bytes twice" || fail "two builds differ"
cp -R plugin "$WORK/plugin-copy"
sed -i 's/^Stable tag: .*/Stable tag: 9.9.9/' "$WORK/plugin-copy/readme.txt"
if refusal="$(PLUGIN_DIR="$WORK/plugin-copy" DIST_DIR="$WORK/pkg2" scripts/build-dist.sh 2>&1 >/dev/null)"; then
	fail "packaged with a Stable tag other than the version"
elif grep -q "Stable tag is '9.9.9'" <<<"$refusal" && [ ! -e "$WORK/pkg2" ]; then
	ok "a Stable tag other than the version is refused, nothing written"
else
	fail "unexpected refusal: $refusal"
fi
took

printf '\ntest-install: %d failure(s) in %ds\n' "$failures" "$((SECONDS - started))"
((failures == 0))
