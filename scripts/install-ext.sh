#!/usr/bin/env bash
# Builds the `keysmith` PHP extension with cargo and installs it into a PHP installation.
#
#   scripts/install-ext.sh check              preflight only: Rust, libclang, C compiler, php-config, PHP >= 8.1
#   scripts/install-ext.sh build [--out FILE] release build for the target PHP; prints the .so path
#   scripts/install-ext.sh install            build, copy into the extension dir, write a conf.d ini per SAPI, verify
#   scripts/install-ext.sh uninstall          remove exactly what `install` wrote
#
# Environment (all optional):
#   PHP_CONFIG=/usr/bin/php-config8.3  build and install for that PHP instead of the one on PATH
#   EXTENSION_DIR=DIR                  install the .so there instead of `php-config --extension-dir`
#   INI_DIR=DIR                        write the one ini there instead of /etc/php/<ver>/<sapi>/conf.d
#   DESTDIR=DIR                        prefix every path written (packagers); nothing is verified live
#   KEYSMITH_SO=FILE                   install this already built .so (e.g. a release artifact); no Rust needed
#   CARGO_TARGET_DIR                   honoured, as cargo does
#
# Without cargo on PATH (typically `sudo make install` after `make`), install uses the earlier build.
#
# Used by `make install`, `make uninstall`, the phpize shim (Makefile.frag) and scripts/build-artifact.sh,
# so every install path fails the same way, with the same fix, when something is missing.
set -euo pipefail

# Shell built-ins only up to the first check, so a bare PATH still gets a helpful message.
_self="${BASH_SOURCE[0]}"
[[ "$_self" == */* ]] || _self="./$_self"
ROOT="$(cd "${_self%/*}/.." && pwd)"
readonly ROOT
readonly EXT_NAME=keysmith
readonly INI_NAME="20-${EXT_NAME}.ini"
readonly MIN_PHP_VERNUM=80100 # ext-php-rs supports PHP 8.1 and newer.
# First line of every ini we write: uninstall removes an ini only when it carries this mark.
readonly INI_MARK="; Written by Keysmith's scripts/install-ext.sh (make install); removed by make uninstall."

# --- messages ----------------------------------------------------------------------------------

say() { printf 'install-ext: %s\n' "$*" >&2; }
warn() { printf 'install-ext: warning: %s\n' "$*" >&2; }

# die "what is wrong" "fix line" ["fix line" ...]: every failure says how to fix it.
die() {
	printf 'install-ext: error: %s\n' "$1" >&2
	shift
	local line
	for line in "$@"; do printf '  fix: %s\n' "$line" >&2; done
	exit 1
}

# --- preflight ---------------------------------------------------------------------------------

version_at_least() { # version_at_least HAVE NEED (dotted numbers)
	[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

# The oldest Rust the crate builds with: Cargo.toml's `rust-version`, the one place it is written.
# Read with shell built-ins, like everything up to the first check.
min_rust() {
	local line
	while IFS= read -r line; do
		if [[ "$line" =~ ^rust-version[[:space:]]*=[[:space:]]*\"([0-9.]+)\" ]]; then
			printf '%s\n' "${BASH_REMATCH[1]}"
			return 0
		fi
	done <"$ROOT/Cargo.toml"
	return 1
}

check_rust() {
	local need have
	need="$(min_rust)" || die "$ROOT/Cargo.toml does not state rust-version." "restore Cargo.toml from the release archive or checkout"
	if ! command -v cargo >/dev/null 2>&1 || ! command -v rustc >/dev/null 2>&1; then
		die "the Rust toolchain (cargo, rustc) is not on PATH; Keysmith's extension is written in Rust." \
			"install it with rustup: curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal" \
			"then load it into this shell: . \"\$HOME/.cargo/env\"   (distribution packages are usually too old: Rust >= $need is needed)"
	fi
	have="$(rustc --version | awk '{print $2}')"
	version_at_least "${have%%-*}" "$need" ||
		die "rustc $have is too old: Keysmith's extension needs Rust >= $need (rust-version in Cargo.toml)." "update it: rustup update stable"
}

# Mirrors where clang-sys (used by bindgen) looks for libclang, so the failure comes here,
# with the fix, rather than as a panic deep in a build script.
find_libclang() {
	local patterns=(libclang.so libclang-*.so libclang.so.* libclang-*.so.* libclang.dylib)
	local dirs=() d p
	if [ -n "${LIBCLANG_PATH:-}" ]; then
		[ -f "$LIBCLANG_PATH" ] && return 0
		dirs=("$LIBCLANG_PATH")
	else
		if command -v llvm-config >/dev/null 2>&1; then dirs+=("$(llvm-config --prefix)/lib"); fi
		shopt -s nullglob
		dirs+=(/usr/local/llvm*/lib* /usr/local/lib* /usr/local/lib*/* /usr/local/lib*/*/* /usr/lib* /usr/lib*/* /usr/lib*/*/*)
		dirs+=(/opt/homebrew/opt/llvm/lib /usr/local/opt/llvm/lib)
		shopt -u nullglob
	fi
	for d in "${dirs[@]}"; do
		[ -d "$d" ] || continue
		for p in "${patterns[@]}"; do
			compgen -G "$d/$p" >/dev/null && return 0
		done
	done
	return 1
}

check_libclang() {
	find_libclang && return 0
	if [ -n "${LIBCLANG_PATH:-}" ]; then
		die "LIBCLANG_PATH=$LIBCLANG_PATH holds no libclang shared library (bindgen needs it to read PHP's headers)." \
			"point LIBCLANG_PATH at the directory holding libclang.so (e.g. /usr/lib/llvm-14/lib), or unset it"
	fi
	die "libclang was not found; bindgen needs it to read PHP's C headers while building the extension." \
		"Debian/Ubuntu: apt-get install libclang-dev clang" \
		"Fedora/RHEL: dnf install clang-devel    Alpine: apk add clang-dev    macOS: brew install llvm" \
		"or set LIBCLANG_PATH to the directory holding libclang.so"
}

check_c_compiler() {
	command -v "${CC:-cc}" >/dev/null 2>&1 && return 0
	die "no C compiler (${CC:-cc}) found; ext-php-rs compiles a small C wrapper around PHP's API." \
		"Debian/Ubuntu: apt-get install build-essential    Fedora/RHEL: dnf install gcc    Alpine: apk add build-base"
}

# Sets PHP_CONFIG (absolute), PHP_BIN, PHP_VERNUM, PHP_VERSION_MM, PHP_TS, PHP_API.
resolve_php() {
	local given="${PHP_CONFIG:-}"
	if [ -n "$given" ]; then
		if [ -x "$given" ] && [ ! -d "$given" ]; then
			PHP_CONFIG="$(cd "$(dirname "$given")" && pwd)/$(basename "$given")"
		elif command -v "$given" >/dev/null 2>&1; then
			PHP_CONFIG="$(command -v "$given")"
		else
			die "PHP_CONFIG=$given is not an executable php-config." \
				"list the installed ones: ls /usr/bin/php-config*   then: PHP_CONFIG=/usr/bin/php-config8.x make install" \
				"or install the PHP development package of that PHP (Debian/Ubuntu: apt-get install php8.x-dev)"
		fi
	else
		PHP_CONFIG="$(command -v php-config 2>/dev/null || true)"
		[ -n "$PHP_CONFIG" ] ||
			die "php-config was not found: it comes with PHP's development package and tells the build which PHP to build for." \
				"Debian/Ubuntu: apt-get install php8.2-dev (match your PHP version: php -v)" \
				"Fedora/RHEL: dnf install php-devel    Alpine: apk add php82-dev" \
				"or name it: PHP_CONFIG=/path/to/php-config make install"
	fi
	PHP_VERNUM="$("$PHP_CONFIG" --vernum 2>/dev/null || true)"
	[[ "$PHP_VERNUM" =~ ^[0-9]+$ ]] || die "$PHP_CONFIG --vernum did not print a PHP version number." \
		"check that $PHP_CONFIG belongs to a working PHP installation (run it without arguments)"
	if ((PHP_VERNUM < MIN_PHP_VERNUM)); then
		die "PHP $("$PHP_CONFIG" --version) ($PHP_CONFIG) is too old: Keysmith's extension needs PHP 8.1 or newer." \
			"install PHP >= 8.1 with its development package, then: PHP_CONFIG=/usr/bin/php-config8.x make install" \
			"Keysmith's WordPress plugin needs PHP 8.1 or newer as well"
	fi
	PHP_BIN="$("$PHP_CONFIG" --php-binary 2>/dev/null || true)"
	[ -x "$PHP_BIN" ] || die "$PHP_CONFIG names $PHP_BIN as its PHP binary, which is not executable." \
		"install the CLI of that PHP (Debian/Ubuntu: apt-get install php$((PHP_VERNUM / 10000)).$((PHP_VERNUM / 100 % 100))-cli)"
	PHP_VERSION_MM="$((PHP_VERNUM / 10000)).$((PHP_VERNUM / 100 % 100))"
	PHP_TS="$("$PHP_BIN" -n -r 'echo PHP_ZTS ? "zts" : "nts";')"
	PHP_API="$("$PHP_CONFIG" --phpapi)"
}

preflight() {
	resolve_php
	check_rust
	check_c_compiler
	check_libclang
}

# --- build -------------------------------------------------------------------------------------

real() { readlink -f "$1" 2>/dev/null || printf '%s' "$1"; }

# True when the target PHP is the one a plain `cargo build` finds on PATH. Only then may the
# build use the project's usual target dir without PHP/PHP_CONFIG in the environment: ext-php-rs
# reruns its build script when those variables change, so setting them needlessly would force a
# full rebuild of the everyday `make build` output.
target_is_default_php() {
	local path_config path_php
	path_config="$(command -v php-config 2>/dev/null || true)"
	path_php="$(command -v php 2>/dev/null || true)"
	[ -n "$path_config" ] && [ -n "$path_php" ] &&
		[ "$(real "$path_config")" = "$(real "$PHP_CONFIG")" ] &&
		[ "$(real "$path_php")" = "$(real "$PHP_BIN")" ]
}

cargo_target_dir() {
	if [ -n "${CARGO_TARGET_DIR:-}" ]; then
		printf '%s' "$CARGO_TARGET_DIR"
		return
	fi
	cargo metadata --format-version 1 --no-deps --manifest-path "$ROOT/Cargo.toml" |
		"$PHP_BIN" -n -r 'echo json_decode(stream_get_contents(STDIN), true)["target_directory"];'
}

# Builds the release .so for the target PHP and sets BUILT_SO.
build_so() {
	[ -f "$ROOT/Cargo.toml" ] || die "no Cargo.toml in $ROOT: run this from a complete Keysmith checkout or source archive."
	local target_dir
	target_dir="$(cargo_target_dir)"
	if target_is_default_php; then
		say "building for PHP $PHP_VERSION_MM ($PHP_TS, API $PHP_API): cargo build --release"
		(cd "$ROOT" && env -u PHP -u PHP_CONFIG CARGO_TARGET_DIR="$target_dir" cargo build --release >&2)
	else
		# Another PHP: its own target dir, so the two builds do not keep invalidating each other.
		target_dir="$target_dir/php-$PHP_VERSION_MM-$PHP_TS-$PHP_API"
		say "building for PHP $PHP_VERSION_MM ($PHP_TS, API $PHP_API) from $PHP_CONFIG into $target_dir"
		(cd "$ROOT" && PHP="$PHP_BIN" PHP_CONFIG="$PHP_CONFIG" CARGO_TARGET_DIR="$target_dir" cargo build --release >&2)
	fi
	BUILT_SO="$target_dir/release/lib${EXT_NAME}.so"
	[ -f "$BUILT_SO" ] || die "cargo finished but $BUILT_SO is missing." "check the crate type in Cargo.toml (cdylib) and cargo's output above"
	check_loads "$BUILT_SO" >/dev/null
}

# Loads the .so into the target PHP with no ini at all, so nothing else can mask a failure.
check_loads() {
	local so="$1" out
	if ! out="$("$PHP_BIN" -n -d "extension=$so" --ri "$EXT_NAME" 2>&1)" || ! grep -qi "$EXT_NAME" <<<"$out"; then
		printf '%s\n' "$out" >&2
		die "$so does not load into $PHP_BIN." \
			"it must be built for this exact PHP (version, API $PHP_API, $PHP_TS): PHP_CONFIG=$PHP_CONFIG make install"
	fi
	printf '%s\n' "$out"
}

# --- install / uninstall -----------------------------------------------------------------------

# The conf.d directories to write to, one per SAPI (Debian/Ubuntu layout), else PHP's scan dir.
ini_dirs() {
	if [ -n "${INI_DIR:-}" ]; then
		printf '%s\n' "$INI_DIR"
		return
	fi
	local d found=0
	for d in /etc/php/"$PHP_VERSION_MM"/*/conf.d; do
		[ -d "$d" ] || continue
		printf '%s\n' "$d"
		found=1
	done
	if ((found == 0)); then
		d="$("$PHP_CONFIG" --ini-dir 2>/dev/null || true)"
		[ -n "$d" ] && printf '%s\n' "$d"
	fi
	return 0
}

extension_dir() { printf '%s' "${EXTENSION_DIR:-$("$PHP_CONFIG" --extension-dir)}"; }

require_writable() {
	local dir="$1" probe="$1"
	while [ ! -e "$probe" ]; do probe="$(dirname "$probe")"; done
	[ -w "$probe" ] || die "cannot write to $dir." \
		"run the install as root (sudo make install), or install into your own directories: EXTENSION_DIR=... INI_DIR=... make install"
}

write_ini() {
	local file="$1"
	mkdir -p "$(dirname "$file")"
	printf '%s\n; priority=20\nextension=%s.so\n' "$INI_MARK" "$EXT_NAME" >"$file"
	say "wrote $file"
}

# Verifies against the live configuration when the ini went where this PHP's CLI reads it,
# otherwise by loading the installed file explicitly.
verify_installed() {
	local ext_dir="$1" cli_scan_dir
	cli_scan_dir="$("$PHP_BIN" --ini 2>/dev/null | sed -n 's/^Scan for additional .ini files in: *//p')"
	if [ -z "${DESTDIR:-}" ] && [ -z "${EXTENSION_DIR:-}" ] && grep -qxF "$cli_scan_dir" <<<"$(ini_dirs)"; then
		say "verifying: $PHP_BIN --ri $EXT_NAME"
		"$PHP_BIN" --ri "$EXT_NAME" || die "the extension is installed but $PHP_BIN does not load it." \
			"look for a conflicting ini: $PHP_BIN --ini; and for errors: $PHP_BIN -m"
	else
		say "verifying: $PHP_BIN -n -d extension_dir=${DESTDIR:-}$ext_dir -d extension=$EXT_NAME --ri $EXT_NAME"
		"$PHP_BIN" -n -d "extension_dir=${DESTDIR:-}$ext_dir" -d "extension=$EXT_NAME" --ri "$EXT_NAME" ||
			die "the installed extension does not load from ${DESTDIR:-}$ext_dir." "rebuild for this PHP: PHP_CONFIG=$PHP_CONFIG make install"
	fi
}

fpm_hint() {
	local svc="php$PHP_VERSION_MM-fpm"
	[ -z "${DESTDIR:-}" ] && [ -z "${EXTENSION_DIR:-}" ] || return 0
	if pgrep -f "php-fpm: master process" >/dev/null 2>&1; then
		say "PHP-FPM is running: reload it so its workers load the change: systemctl reload $svc (or: service $svc reload)"
	fi
}

# Refuses before building when an ini in the way was not written by Keysmith.
check_inis_are_ours() {
	local ini_dir
	while IFS= read -r ini_dir; do
		[ -n "$ini_dir" ] || continue
		ini_is_foreign "${DESTDIR:-}$ini_dir/$INI_NAME" &&
			die "${DESTDIR:-}$ini_dir/$INI_NAME already exists and was not written by Keysmith (PIE or a package may have written it)." \
				"it already loads the extension if it says extension=$EXT_NAME; remove it first to let make install manage it"
	done <<<"$(ini_dirs)"
	return 0
}

ini_is_foreign() { [ -f "$1" ] && ! head -n1 "$1" | grep -qF "$INI_MARK"; }

# The .so an earlier build made for the target PHP (where build_so puts it), if there is one.
earlier_build() {
	local dir="${CARGO_TARGET_DIR:-$ROOT/target}"
	target_is_default_php || dir="$dir/php-$PHP_VERSION_MM-$PHP_TS-$PHP_API"
	[ -f "$dir/release/lib${EXT_NAME}.so" ] && printf '%s' "$dir/release/lib${EXT_NAME}.so"
}

cmd_install() {
	resolve_php
	check_inis_are_ours
	local so ext_dir dest ini_dir
	if [ -n "${KEYSMITH_SO:-}" ]; then
		# A prebuilt artifact: no Rust toolchain needed.
		so="$KEYSMITH_SO"
		[ -f "$so" ] || die "KEYSMITH_SO=$so does not exist." "build it: scripts/build-artifact.sh, or unset KEYSMITH_SO"
		check_loads "$so" >/dev/null
	elif ! command -v cargo >/dev/null 2>&1 && so="$(earlier_build)"; then
		# `make` as yourself, then `sudo make install`: sudo's PATH rarely has ~/.cargo/bin.
		say "cargo is not on PATH (sudo?): installing the earlier build $so ($(date -r "$so" '+%F %T'))"
		say "if the sources changed since, run make as the user with Rust first"
		check_loads "$so" >/dev/null
	else
		check_rust
		check_c_compiler
		check_libclang
		build_so
		so="$BUILT_SO"
	fi
	ext_dir="$(extension_dir)"
	dest="${DESTDIR:-}$ext_dir/$EXT_NAME.so"
	require_writable "$(dirname "$dest")"
	mkdir -p "$(dirname "$dest")"
	# Write beside and rename, so a running PHP never maps a half-written file.
	install -m 0644 "$so" "$dest.tmp.$$"
	mv -f "$dest.tmp.$$" "$dest"
	say "installed $dest"
	local dirs
	dirs="$(ini_dirs)"
	if [ -z "$dirs" ]; then
		warn "no conf.d directory found for PHP $PHP_VERSION_MM: add 'extension=$EXT_NAME.so' to the php.ini that $PHP_BIN --ini shows."
	fi
	while IFS= read -r ini_dir; do
		[ -n "$ini_dir" ] || continue
		require_writable "${DESTDIR:-}$ini_dir"
		write_ini "${DESTDIR:-}$ini_dir/$INI_NAME"
	done <<<"$dirs"
	verify_installed "$ext_dir"
	fpm_hint
}

cmd_uninstall() {
	resolve_php
	local ext_dir file removed=0 ini_dir
	ext_dir="$(extension_dir)"
	while IFS= read -r ini_dir; do
		[ -n "$ini_dir" ] || continue
		file="${DESTDIR:-}$ini_dir/$INI_NAME"
		[ -f "$file" ] || continue
		if head -n1 "$file" | grep -qF "$INI_MARK"; then
			require_writable "$(dirname "$file")"
			rm -f "$file"
			say "removed $file"
			removed=$((removed + 1))
		else
			warn "left $file in place: Keysmith did not write it."
		fi
	done <<<"$(ini_dirs)"
	file="${DESTDIR:-}$ext_dir/$EXT_NAME.so"
	if [ -f "$file" ]; then
		require_writable "$(dirname "$file")"
		rm -f "$file"
		say "removed $file"
		removed=$((removed + 1))
	fi
	((removed > 0)) || say "nothing to remove (pass the same PHP_CONFIG / EXTENSION_DIR / INI_DIR / DESTDIR as for install)"
	if [ -z "${DESTDIR:-}" ] && grep -qx "$EXT_NAME" <<<"$("$PHP_BIN" -m 2>/dev/null || true)"; then
		warn "$PHP_BIN still loads $EXT_NAME from another ini: $PHP_BIN --ini"
	fi
	fpm_hint
}

cmd_build() {
	local out=""
	if [ "${1:-}" = "--out" ]; then
		out="${2:?--out needs a file name}"
	fi
	preflight
	build_so
	if [ -n "$out" ]; then
		mkdir -p "$(dirname "$out")"
		cp -f "$BUILT_SO" "$out"
		printf '%s\n' "$out"
	else
		printf '%s\n' "$BUILT_SO"
	fi
}

case "${1:-}" in
check)
	preflight
	say "ok: PHP $PHP_VERSION_MM ($PHP_TS, API $PHP_API) via $PHP_CONFIG; $(rustc --version); libclang found"
	;;
build) shift && cmd_build "$@" ;;
install) cmd_install ;;
uninstall) cmd_uninstall ;;
*)
	sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
