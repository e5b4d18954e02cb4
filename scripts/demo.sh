#!/usr/bin/env bash
# make demo / make demo-stop: a working Keysmith site on this machine, from a fresh clone.
#
#   scripts/demo.sh up     install what is missing, build the extension, start MariaDB + php-fpm
#                          (extension loaded) + nginx with WordPress and Keysmith, create demo keys,
#                          print the admin URL, credentials, native/twin, and a request that works
#   scripts/demo.sh down   stop exactly what `up` started (its own state dir and ports)
#
# Environment (all optional):
#   WOOCOMMERCE_DIR=/path/to/woocommerce   use this real WooCommerce plugin directory
#   WOOCOMMERCE_ZIP=/path/to/woocommerce.zip   or this release zip (unpacked under target/demo)
#                          without either: the WooCommerce contract fixture, a test stand-in
#   KEYSMITH_DEMO_PORT (8080)  KEYSMITH_DEMO_TLS_PORT (8444)  KEYSMITH_DEMO_PORT_2 (8081)
#   KEYSMITH_DEMO_DB_PORT (13307)
#
# The site is tests/harness/site.sh run with its own state dir (target/demo) and ports, so it never
# touches the test harness (target/harness, port 8181) and `down` stops nothing else.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export KEYSMITH_HARNESS_DIR="$ROOT/target/demo"
export KEYSMITH_HTTP_PORT="${KEYSMITH_DEMO_PORT:-8080}"
export KEYSMITH_HTTPS_PORT="${KEYSMITH_DEMO_TLS_PORT:-8444}"
export KEYSMITH_HTTP_PORT_2="${KEYSMITH_DEMO_PORT_2:-8081}"
export KEYSMITH_DB_PORT="${KEYSMITH_DEMO_DB_PORT:-13307}"
export KEYSMITH_FORCE_FALLBACK=0
unset KEYSMITH_NO_EXTENSION
EXT="$ROOT/target/release/libkeysmith.so"
export KEYSMITH_EXTENSION="$EXT"
SITE_SH="$ROOT/tests/harness/site.sh"
SITE_DIR="$KEYSMITH_HARNESS_DIR/site"
HOME_URL="http://127.0.0.1:$KEYSMITH_HTTP_PORT"
TLS_URL="https://127.0.0.1:$KEYSMITH_HTTPS_PORT"

say() { printf 'demo: %s\n' "$*" >&2; }
die() {
	printf 'demo: error: %s\n' "$*" >&2
	exit 1
}
step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }

# PHP CLI with the same extension as the site's php-fpm (unless PHP already loads one itself).
php_cli() {
	if grep -qx keysmith <<<"$(php -m 2>/dev/null)" || [ ! -f "$EXT" ]; then
		php "$@"
	else
		php -d "extension=$EXT" "$@"
	fi
}

demo_php() { php_cli "$ROOT/scripts/demo-site.php" "$SITE_DIR" "$HOME_URL" "$@"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A port taken by someone else makes MariaDB or nginx fail obscurely; say which and how to move.
check_ports() {
	"$SITE_SH" status >/dev/null 2>&1 && return 0 # our own demo is running: site.sh reuses it
	local p
	for p in "$KEYSMITH_HTTP_PORT" "$KEYSMITH_HTTPS_PORT" "$KEYSMITH_HTTP_PORT_2" "$KEYSMITH_DB_PORT"; do
		if port_open "$p"; then
			die "port $p is in use by another program. Pick free ports, e.g.: KEYSMITH_DEMO_PORT=9080 KEYSMITH_DEMO_TLS_PORT=9444 KEYSMITH_DEMO_PORT_2=9081 KEYSMITH_DEMO_DB_PORT=33407 make demo"
		fi
	done
}

build() {
	step "Installing what is missing and building the extension"
	"$ROOT/scripts/install-deps.sh"
	cargo build --release >&2
	php -n -d "extension=$EXT" -r 'echo "demo: built keysmith ", Keysmith\version(), "\n";' >&2 ||
		die "the built extension does not load: $EXT"
}

# The real WooCommerce directory given (WOOCOMMERCE_DIR, or WOOCOMMERCE_ZIP unpacked), or nothing.
woocommerce_source() {
	if [ -n "${WOOCOMMERCE_DIR:-}" ]; then
		[ -f "$WOOCOMMERCE_DIR/woocommerce.php" ] || die "WOOCOMMERCE_DIR=$WOOCOMMERCE_DIR has no woocommerce.php"
		(cd "$WOOCOMMERCE_DIR" && pwd)
	elif [ -n "${WOOCOMMERCE_ZIP:-}" ]; then
		[ -f "$WOOCOMMERCE_ZIP" ] || die "WOOCOMMERCE_ZIP=$WOOCOMMERCE_ZIP does not exist"
		local dest="$KEYSMITH_HARNESS_DIR/woocommerce-zip"
		rm -rf "$dest" && mkdir -p "$dest"
		python3 -m zipfile -e "$WOOCOMMERCE_ZIP" "$dest" >&2 || die "could not unpack $WOOCOMMERCE_ZIP"
		[ -f "$dest/woocommerce/woocommerce.php" ] || die "$WOOCOMMERCE_ZIP has no woocommerce/woocommerce.php"
		printf '%s\n' "$dest/woocommerce"
	fi
}

# Before site.sh up: a WooCommerce left active by an earlier run must not load next to the
# fixture that site.sh links (WordPress skips an active plugin whose files are gone).
unlink_woocommerce() { rm -f "$SITE_DIR/wp-content/plugins/woocommerce"; }

# After site.sh up: real WooCommerce instead of the fixture, or the fixture alone. Returns 0 when
# the real WooCommerce is in use.
use_real_woocommerce() {
	local src="$1"
	if [ -z "$src" ]; then
		demo_php woocommerce off
		return 1
	fi
	rm -f "$SITE_DIR/wp-content/mu-plugins/woocommerce-contract.php"
	ln -sfn "$src" "$SITE_DIR/wp-content/plugins/woocommerce"
	demo_php woocommerce on
	demo_php woocommerce install >&2 || die "WooCommerce did not install; see $KEYSMITH_HARNESS_DIR/debug.log"
	return 0
}

# Logs in as the admin and reads "Mode in use" from Site Health > Info, as php-fpm reports it.
served_mode() {
	local jar="$KEYSMITH_HARNESS_DIR/demo-cookies.txt"
	rm -f "$jar"
	curl -s -c "$jar" -b "wordpress_test_cookie=WP+Cookie+check" -o /dev/null \
		--data-urlencode log=admin --data-urlencode pwd=password -d testcookie=1 "$HOME_URL/wp-login.php"
	curl -s -b "$jar" "$HOME_URL/wp-admin/site-health.php?tab=debug" |
		php -r '$h = stream_get_contents(STDIN);
			if (preg_match("#<td>Mode in use</td>\s*<td>(.*?)</td>#s", $h, $m)) { echo html_entity_decode(strip_tags($m[1])); }'
	rm -f "$jar"
}

# Runs a curl command line, shows its answer, and fails the demo unless it is HTTP 200.
prove() {
	local label="$1" out code
	shift
	out="$("$@" -s -w '\n%{http_code}')"
	code="${out##*$'\n'}"
	printf '   %s -> HTTP %s %s\n' "$label" "$code" "${out%$'\n'*}" >&2
	[ "$code" = 200 ] || die "the $label request did not succeed (HTTP $code)"
}

cmd_up() {
	local t0=$SECONDS
	build
	check_ports
	local woo_src
	woo_src="$(woocommerce_source)"
	step "Starting the demo site (MariaDB, php-fpm with the extension, nginx) in target/demo"
	unlink_woocommerce
	"$SITE_SH" up

	local woo="WooCommerce contract fixture (a TEST STAND-IN for WooCommerce, not WooCommerce)"
	local api_path="/wp-json/wc/v3/keysmith-test"
	if use_real_woocommerce "$woo_src"; then
		woo="real WooCommerce from ${WOOCOMMERCE_DIR:-$WOOCOMMERCE_ZIP} (the contract fixture is unlinked)"
		api_path="/wp-json/wc/v3/products?per_page=1"
	fi

	step "Creating demo keys through Keysmith's KeyService"
	local keys ck cs
	keys="$(demo_php keys)" || die "could not create demo keys"
	ck="$(php -r 'echo json_decode($argv[1], true)["consumer_key"];' "$keys")"
	cs="$(php -r 'echo json_decode($argv[1], true)["consumer_secret"];' "$keys")"

	local mode oauth_url
	mode="$(served_mode)"
	[ -n "$mode" ] || mode="unknown (Site Health > Info did not answer)"
	oauth_url="$(demo_php oauth-url "$HOME_URL$api_path" "$ck" <<<"$cs")"

	step "Proving the printed requests work"
	prove "Basic over HTTPS" curl -k -u "$ck:$cs" "$TLS_URL$api_path"
	prove "OAuth 1.0a over HTTP" curl "$oauth_url"
	# A signed URL is good for one request (its nonce); print a fresh one, not the one just used.
	oauth_url="$(demo_php oauth-url "$HOME_URL$api_path" "$ck" <<<"$cs")"

	cat <<-EOF

		Keysmith demo is up ($((SECONDS - t0))s)
		  Admin:        $HOME_URL/wp-admin/admin.php?page=wc-settings&tab=advanced&section=keysmith
		  Log in as:    admin / password   (also: shopmanager / password)
		  WooCommerce:  $woo
		  Crypto:       $mode   (Tools > Site Health shows the keysmith test and Info section)
		  Demo keys:    $(php -r '$k = json_decode($argv[1], true); echo $k["description"], " and ", implode(", ", $k["others"]);' "$keys")

		  Secrets of "$(php -r 'echo json_decode($argv[1], true)["description"];' "$keys")", shown once, as Keysmith's screen does:
		    consumer key:     $ck
		    consumer secret:  $cs

		  A request with that key (HTTP Basic over the self-signed HTTPS port), ready to run:
		    curl -sk -u '$ck:$cs' '$TLS_URL$api_path'

		  The same key with OAuth 1.0a over plain HTTP, signed by the extension's functions from PHP
		  (its nonce makes it good for one request, within 15 minutes; the demo ran another like it):
		    curl -s '$oauth_url'

		  Stop it with: make demo-stop
	EOF
}

cmd_down() {
	if [ ! -d "$KEYSMITH_HARNESS_DIR" ]; then
		say "no demo state in $KEYSMITH_HARNESS_DIR: nothing to stop"
		return 0
	fi
	"$SITE_SH" down
	say "demo stopped (its data stays in target/demo; delete that directory to start from scratch)"
}

case "${1:-}" in
up) cmd_up ;;
down) cmd_down ;;
*)
	sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
