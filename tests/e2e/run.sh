#!/usr/bin/env bash
# End-to-end tests against the served harness site (real HTTP, real clients). Brings the harness
# up itself and installs the npm / PyPI clients (scripts/install-deps.sh reads package.json and
# requirements.txt here). One line per suite below; the last one installs the plugin zip on a
# second harness site.
set -euo pipefail
cd "$(dirname "$0")/../.."

scripts/install-deps.sh
# Stop the site at the end only if this run started it (like run-integration.sh), so `make test`
# leaves no servers behind but never stops a site someone else is using.
was_up=0
tests/harness/site.sh status >/dev/null 2>&1 && was_up=1
stop_if_started() { [[ $was_up == 1 || "${KEYSMITH_KEEP_SITE:-0}" == 1 ]] || tests/harness/site.sh down >/dev/null 2>&1 || true; }
trap stop_if_started EXIT
tests/harness/site.sh up
eval "$(tests/harness/site.sh env)"
PHP_EXT=()
[[ -f "${KEYSMITH_EXTENSION_PATH:-}" ]] && PHP_EXT=(-d "extension=$KEYSMITH_EXTENSION_PATH")

# --- auth: official npm + PyPI clients, oauthlib, nonce races on one and two servers; native,
# twin, and native with every secret sealed -------------------------------------------------------
KEYSMITH_E2E_KEYS="$(php "${PHP_EXT[@]}" tests/e2e/auth/make-keys.php)" && export KEYSMITH_E2E_KEYS
# The races replay one nonce 19 times a round on purpose: the failure throttle stays out of it.
php "${PHP_EXT[@]}" tests/e2e/auth/throttle.php off
trap 'php "${PHP_EXT[@]}" tests/e2e/auth/throttle.php on >/dev/null 2>&1 || true; stop_if_started' EXIT
auth_suites() {
	(cd tests/e2e && node --test auth/)
	.venv/bin/python -W ignore::DeprecationWarning -m unittest discover -s tests/e2e/auth -p 'test_*.py' -v
}
auth_suites
# Again with the served site on the PHP twin (no extension): the same answers.
KEYSMITH_FORCE_FALLBACK=1 tests/harness/site.sh up
auth_suites
# Again with every secret sealed, the key in the extension's ini (PHP-FPM's masters, and the CLI
# that seals): the same answers.
sealing_key="$KEYSMITH_HARNESS_DIR/sealing/current.key"
KEYSMITH_SEALING_KEY_INI="$sealing_key" tests/harness/site.sh up
KEYSMITH_SEALING_KEY_INI="$sealing_key" tests/cli/wp keysmith sealing on
auth_suites
KEYSMITH_SEALING_KEY_INI="$sealing_key" tests/cli/wp keysmith sealing off
tests/harness/site.sh up # back to the extension, no sealing key
php "${PHP_EXT[@]}" tests/e2e/auth/throttle.php on

# --- admin: the bulk key management screen in headless Chromium (playwright-core) --------------
(cd tests/e2e && node --test admin/)
# --- policy: the key-lifetime policy and a key from WooCommerce's own Add key screen (alone: the
# policy is site-wide)
(cd tests/e2e && node --test policy/)
# --- protection: failing keys and the Protection view (alone: its settings and the throttle reset
# are site-wide)
(cd tests/e2e && node --test protection/)

# --- dist: the plugin zip (make dist) through Plugins > Add New > Upload Plugin, on a second site
# without Keysmith (its own state dir and ports: the main site's +10, its database port +1), which
# is reset before and stopped after.
zip="$(scripts/build-dist.sh | tail -n1)"
dist_env=(
	KEYSMITH_HARNESS_DIR="${KEYSMITH_HARNESS_DIR:-$PWD/target/harness}-dist"
	KEYSMITH_HTTP_PORT="$((${KEYSMITH_HTTP_PORT:-8181} + 10))" KEYSMITH_HTTPS_PORT="$((${KEYSMITH_HTTPS_PORT:-8443} + 10))"
	KEYSMITH_HTTP_PORT_2="$((${KEYSMITH_HTTP_PORT_2:-8182} + 10))" KEYSMITH_HTTPS_PORT_2="$((${KEYSMITH_HTTPS_PORT_2:-$((${KEYSMITH_HTTPS_PORT:-8443} + 1))} + 10))"
	KEYSMITH_DB_PORT="$((${KEYSMITH_DB_PORT:-13306} + 1))"
	KEYSMITH_WITHOUT_PLUGIN=1
)
stop_dist_site() { env "${dist_env[@]}" tests/harness/site.sh down >/dev/null 2>&1 || true; }
trap 'stop_dist_site; stop_if_started' EXIT
env "${dist_env[@]}" tests/harness/site.sh up
dist_plugin="$(env "${dist_env[@]}" tests/harness/site.sh env | sed -n 's/^export KEYSMITH_SITE_DIR=//p')/wp-content/plugins/keysmith"
if [[ -e "$dist_plugin" && ! -L "$dist_plugin" ]]; then rm -rf "$dist_plugin"; fi # the last run's upload
env "${dist_env[@]}" tests/harness/site.sh reset
(
	eval "$(env "${dist_env[@]}" tests/harness/site.sh env)"
	cd tests/e2e && KEYSMITH_DIST_ZIP="$zip" node --test dist/
)
stop_dist_site

echo "e2e: all suites passed"
