#!/usr/bin/env bash
# Keysmith integration harness: a real WordPress site on a real MariaDB, served by php-fpm + nginx.
#
#   tests/harness/site.sh up        start everything (idempotent; a second call takes about a second)
#   tests/harness/site.sh down      stop what `up` started (by pid file, nothing else)
#   tests/harness/site.sh status    what is running
#   tests/harness/site.sh env       shell exports for tests: eval "$(tests/harness/site.sh env)"
#   tests/harness/site.sh reset     drop the database and reinstall WordPress + Keysmith (isolation)
#   tests/harness/site.sh restart-php   restart both php-fpm pools (e.g. after KEYSMITH_FORCE_FALLBACK changed)
#   tests/harness/site.sh logs      the last lines of every log
#
# Environment (all optional):
#   KEYSMITH_HARNESS_DIR      state directory             (default <repo>/target/harness)
#   KEYSMITH_FORCE_FALLBACK=1 php-fpm pools run with env KEYSMITH_FORCE_FALLBACK=1 (the PHP twin)
#   KEYSMITH_NO_EXTENSION=1   never load target/release/libkeysmith.so
#   KEYSMITH_EXTENSION=path   load this .so instead of <repo>/target/release/libkeysmith.so
#   KEYSMITH_HTTP_PORT / KEYSMITH_HTTPS_PORT / KEYSMITH_HTTP_PORT_2 / KEYSMITH_DB_PORT
#                             (defaults 8181 / 8443 / 8182 / 13306)
#   KEYSMITH_HTTPS_PORT_2     pool 2 over TLS (default KEYSMITH_HTTPS_PORT + 1)
#   KEYSMITH_FPM_CHILDREN     PHP workers per pool (default 8; pm = static)
#   KEYSMITH_OBJECT_CACHE=redis  a persistent object cache: starts Redis (127.0.0.1:KEYSMITH_REDIS_PORT,
#                             default 16379, state in <dir>/redis) and links tests/harness/object-cache.php
#                             into wp-content; unset, the drop-in link is removed (Redis keeps running
#                             until `down`). Redis is emptied whenever the drop-in is switched on, and
#                             on `reset`: entries from before would describe a database that has moved on.
#   KEYSMITH_OBJECT_CACHE_DROPIN=path  with KEYSMITH_OBJECT_CACHE=redis, link this drop-in instead
#                             (to try another one locally; never committed)
#   KEYSMITH_HARNESS_WC_AS_PLUGIN=1  the WooCommerce stand-in as a regular plugin at WooCommerce's
#                             path (tests/bench/woocommerce-plugin), not a must-use plugin (benchmarks)
#   KEYSMITH_BOOT_WORK_DIR    passed to the pools: class files that stand-in loads as boot work
#   KEYSMITH_WITHOUT_PLUGIN=1 the site gets no link to plugin/ and install does not activate
#                             Keysmith (tests/e2e installs the plugin zip into such a site)
#   KEYSMITH_SEALING_KEY_INI / KEYSMITH_SEALING_PREVIOUS_KEY_INI=path
#                             start the php-fpm masters with -d keysmith.sealing_key_file=path (and
#                             keysmith.sealing_previous_key_file): the extension reads the sealing
#                             key at start-up, as on a host with the line in php.ini
#   KEYSMITH_REAL_WC_AUTH / KEYSMITH_REAL_WC_FUNCTIONS
#                             passed to the pools: the fixture loads real WooCommerce files
#                             (tests/fixture/REAL-WOOCOMMERCE.md)
#
# `up` also makes three sealing keys for tests, once: $H/sealing/{current,previous,other}.key. A
# file $H/wp-config-local.php, when it exists, is loaded by wp-config.php (tests define the twin's
# KEYSMITH_SEALING_KEY_FILE there).
#
# Runtime state lives only under the state directory; nothing is written to /etc or /var.
# Debian's /usr/share/wordpress/wp-config.php reads /etc/wordpress, and WordPress's entry points
# find wp-load.php through __DIR__ (which PHP resolves through symlinks), so the core files are
# hard-linked (or copied) into the site rather than symlinked; see build_site().

set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
H="${KEYSMITH_HARNESS_DIR:-$REPO/target/harness}"
WP_SRC=/usr/share/wordpress
SITE="$H/site"
HTTP_PORT="${KEYSMITH_HTTP_PORT:-8181}"
HTTPS_PORT="${KEYSMITH_HTTPS_PORT:-8443}"
HTTP_PORT_2="${KEYSMITH_HTTP_PORT_2:-8182}"
# Pool 2 over TLS too: Basic authentication (and so the key-row cache) works only over HTTPS.
HTTPS_PORT_2="${KEYSMITH_HTTPS_PORT_2:-$((HTTPS_PORT + 1))}"
# Below Linux's ephemeral range (32768-60999): a port there can be taken at random by an outgoing
# connection, and MariaDB would then fail to start ("another server running on port").
DB_PORT="${KEYSMITH_DB_PORT:-13306}"
DB_NAME=keysmith_test
DB_USER=keysmith
DB_PASSWORD=keysmith
SITE_URL="http://127.0.0.1:$HTTP_PORT"
SITE_URL_TLS="https://127.0.0.1:$HTTPS_PORT"
SITE_URL_2="http://127.0.0.1:$HTTP_PORT_2"
SITE_URL_TLS_2="https://127.0.0.1:$HTTPS_PORT_2"
PHP_FPM="${PHP_FPM:-php-fpm8.2}"
REDIS_PORT="${KEYSMITH_REDIS_PORT:-16379}"
OBJECT_CACHE="${KEYSMITH_OBJECT_CACHE:-}"
DROPIN_SRC="${KEYSMITH_OBJECT_CACHE_DROPIN:-$REPO/tests/harness/object-cache.php}"
EXT_PATH="${KEYSMITH_EXTENSION:-$REPO/target/release/libkeysmith.so}"

log() { printf 'site.sh: %s\n' "$*" >&2; }
die() { printf 'site.sh: error: %s\n' "$*" >&2; exit 1; }

# Print the last lines of each log given, so a failure explains itself.
tail_logs() {
	local f
	for f in "$@"; do
		[[ -s "$f" ]] || continue
		printf -- '----- last lines of %s -----\n' "$f" >&2
		tail -n 25 "$f" >&2
	done
}

pid_alive() { # pidfile
	[[ -s "$1" ]] && kill -0 "$(cat "$1" 2>/dev/null)" 2>/dev/null
}

wait_for() { # description timeout_seconds command...
	local what="$1" timeout="$2" i
	shift 2
	for ((i = 0; i < timeout * 10; i++)); do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.1
	done
	log "timed out after ${timeout}s waiting for $what"
	return 1
}

port_open() { # port
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# --- MariaDB -----------------------------------------------------------------------------------

mysql_root() { mariadb --no-defaults --socket="$H/mysql.sock" -uroot "$@"; }

db_answers_or_died() { # server pid
	! kill -0 "$1" 2>/dev/null || mysql_root -e 'SELECT 1'
}

db_up() {
	if pid_alive "$H/mysql.pid" && mysql_root -e 'SELECT 1' >/dev/null 2>&1; then
		return 0
	fi
	mkdir -p "$H"
	if [[ ! -d "$H/mysql/mysql" ]]; then
		log "initialising MariaDB data directory $H/mysql"
		rm -rf "$H/mysql"
		mariadb-install-db --no-defaults --datadir="$H/mysql" --user=root \
			--auth-root-authentication-method=socket --skip-test-db --skip-name-resolve \
			>"$H/mysql-install.log" 2>&1 || { tail_logs "$H/mysql-install.log"; die "mariadb-install-db failed"; }
	fi
	port_open "$DB_PORT" && die "port $DB_PORT is already in use (another MariaDB? set KEYSMITH_DB_PORT)"
	log "starting MariaDB on 127.0.0.1:$DB_PORT and $H/mysql.sock"
	rm -f "$H/mysql.sock"
	setsid mariadbd --no-defaults --user=root --datadir="$H/mysql" \
		--socket="$H/mysql.sock" --port="$DB_PORT" --bind-address=127.0.0.1 \
		--pid-file="$H/mysql.pid" --log-error="$H/mysql.err" --skip-name-resolve \
		--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_520_ci \
		--innodb-buffer-pool-size=256M --innodb-log-file-size=128M \
		--innodb-flush-log-at-trx-commit=2 --max-connections=500 \
		</dev/null >/dev/null 2>&1 9>&- &
	local server=$!
	# Stop waiting as soon as the server gives up (bad datadir, port taken, ...).
	if ! wait_for "MariaDB" 60 db_answers_or_died "$server" || ! kill -0 "$server" 2>/dev/null; then
		tail_logs "$H/mysql.err"
		die "MariaDB did not start"
	fi
	# The pid file appears a moment after the socket answers on some runs.
	wait_for "MariaDB pid file" 5 test -s "$H/mysql.pid" || true
}

db_ensure_schema() {
	mysql_root <<-SQL
		CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci;
		CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
		CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
		GRANT ALL PRIVILEGES ON \`keysmith\\_%\`.* TO '$DB_USER'@'localhost';
		GRANT ALL PRIVILEGES ON \`keysmith\\_%\`.* TO '$DB_USER'@'127.0.0.1';
	SQL
}

# --- Redis (the persistent object cache, KEYSMITH_OBJECT_CACHE=redis) ---------------------------

object_cache_on() {
	case "$OBJECT_CACHE" in
		"" | 0 | off | none) return 1 ;;
		redis) return 0 ;;
		*) die "KEYSMITH_OBJECT_CACHE=$OBJECT_CACHE: the harness knows only 'redis'" ;;
	esac
}

redis_cli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }

redis_answers() { [[ "$(redis_cli ping 2>/dev/null)" == PONG ]]; }

redis_up() {
	if pid_alive "$H/redis/redis.pid" && redis_answers; then
		return 0
	fi
	command -v redis-server >/dev/null || die "redis-server not found (apt-get install redis-server)"
	php -r 'exit(class_exists("Redis") ? 0 : 1);' || die "PHP has no Redis class (apt-get install php8.2-redis)"
	port_open "$REDIS_PORT" && die "port $REDIS_PORT is already in use (another Redis? set KEYSMITH_REDIS_PORT)"
	mkdir -p "$H/redis"
	log "starting Redis on 127.0.0.1:$REDIS_PORT ($H/redis)"
	# No persistence: the cache must never outlive the database it describes. No eviction: a full
	# cache fails loudly instead of quietly dropping entries a test relies on.
	redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$H/redis" --daemonize yes \
		--pidfile "$H/redis/redis.pid" --logfile "$H/redis/redis.log" --save '' --appendonly no \
		--maxmemory 512mb --maxmemory-policy noeviction 9>&- ||
		{ tail_logs "$H/redis/redis.log"; die "Redis failed to start"; }
	wait_for "Redis" 15 redis_answers || { tail_logs "$H/redis/redis.log"; die "Redis did not answer"; }
	wait_for "Redis pid file" 5 test -s "$H/redis/redis.pid" || true
}

redis_flush() {
	if pid_alive "$H/redis/redis.pid" && redis_answers; then
		log "emptying the object cache (Redis :$REDIS_PORT)"
		redis_cli flushall >/dev/null
	fi
}

# Links the drop-in when the cache is on, removes the link when it is off. Only a symlink is ever
# removed: a real file someone put into wp-content by hand stays (with a warning).
object_cache_link() {
	local dropin="$SITE/wp-content/object-cache.php"
	if object_cache_on; then
		[[ -f "$DROPIN_SRC" ]] || die "object-cache drop-in $DROPIN_SRC not found"
		if [[ "$(readlink "$dropin" 2>/dev/null)" != "$DROPIN_SRC" ]]; then
			redis_flush
			ln -sfn "$DROPIN_SRC" "$dropin"
		fi
	elif [[ -L "$dropin" ]]; then
		rm -f "$dropin"
	elif [[ -e "$dropin" ]]; then
		log "warning: $dropin is not the harness's link; left in place"
	fi
}

# --- WordPress site ----------------------------------------------------------------------------

wp_version() { sed -n "s/^\$wp_version = '\(.*\)';/\1/p" "$WP_SRC/wp-includes/version.php"; }

# Core files go in by hard link (same file system) or copy: WordPress entry points such as
# wp-admin/admin.php do `require dirname(__DIR__) . '/wp-load.php'`, and PHP resolves __DIR__
# through symlinks, so symlinked core would load Debian's wp-config.php (which reads
# /etc/wordpress/config-<host>.php and sets WP_CONTENT_DIR=/var/lib/wordpress/wp-content).
build_site() {
	local stamp="$SITE/.keysmith-core" want
	want="$(wp_version) $(stat -c %Y "$WP_SRC/wp-includes/version.php") links-resolved"
	if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
		log "laying out WordPress $(wp_version) from $WP_SRC into $SITE"
		mkdir -p "$SITE"
		local entry name
		for entry in "$WP_SRC"/*; do
			name="$(basename "$entry")"
			case "$name" in wp-config.php | wp-content) continue ;; esac
			rm -rf "${SITE:?}/$name"
			cp -a --link "$entry" "$SITE/$name" 2>/dev/null || cp -a "$entry" "$SITE/$name"
		done
		resolve_debian_links
		echo "$want" >"$stamp"
	fi
	mkdir -p "$SITE/wp-content/plugins" "$SITE/wp-content/mu-plugins" "$SITE/wp-content/uploads" \
		"$SITE/wp-content/themes"
	if [[ "${KEYSMITH_WITHOUT_PLUGIN:-0}" == 1 ]]; then
		# A site without this checkout's Keysmith, to install it as a store does (the plugin zip):
		# the link goes, a plugin installed into the site stays.
		if [[ -L "$SITE/wp-content/plugins/keysmith" ]]; then rm "$SITE/wp-content/plugins/keysmith"; fi
	else
		ln -sfn "$REPO/plugin" "$SITE/wp-content/plugins/keysmith"
	fi
	ln -sfn "$REPO/tests/harness/late-plugin" "$SITE/wp-content/plugins/zz-keysmith-harness-late"
	if [[ "${KEYSMITH_HARNESS_WC_AS_PLUGIN:-0}" == 1 ]]; then
		# The refusal benchmark: WooCommerce's stand-in as a regular plugin, loading after Keysmith.
		rm -f "$SITE/wp-content/mu-plugins/woocommerce-contract.php"
		ln -sfn "$REPO/tests/bench/woocommerce-plugin" "$SITE/wp-content/plugins/woocommerce"
	else
		rm -f "$SITE/wp-content/plugins/woocommerce"
		ln -sfn "$REPO/tests/fixture/woocommerce-contract.php" "$SITE/wp-content/mu-plugins/woocommerce-contract.php"
	fi
	ln -sfn "$REPO/tests/harness/judge.php" "$SITE/wp-content/mu-plugins/keysmith-harness-judge.php"
	# Debian ships no theme in the wordpress package; a tiny classic theme keeps the front end honest.
	ln -sfn "$REPO/tests/fixture/theme/keysmith-harness" "$SITE/wp-content/themes/keysmith-harness"
	write_wp_config
	object_cache_link
}

# Debian replaces bundled libraries (underscore.js, getID3, cropper) with relative symlinks into
# /usr/share/javascript and /usr/share/php; copied into the site they would dangle (and admin
# pages would fail with "_ is not defined"), so each is replaced by the file it points to.
resolve_debian_links() {
	local link rel
	while IFS= read -r link; do
		rel="${link#"$WP_SRC"/}"
		[[ -e "$link" ]] || continue
		rm -f "$SITE/$rel"
		cp -L "$link" "$SITE/$rel"
	done < <(find "$WP_SRC" -mindepth 2 -type l)
}

write_wp_config() {
	local salts="$H/salts.php"
	if [[ ! -s "$salts" ]]; then
		php -r '
			foreach (["AUTH_KEY","SECURE_AUTH_KEY","LOGGED_IN_KEY","NONCE_KEY","AUTH_SALT","SECURE_AUTH_SALT","LOGGED_IN_SALT","NONCE_SALT"] as $k) {
				printf("define( %s, %s );\n", var_export($k, true), var_export(bin2hex(random_bytes(32)), true));
			}' | sed '1i <?php' >"$salts.tmp"
		mv "$salts.tmp" "$salts"
	fi
	cat >"$SITE/wp-config.php.tmp" <<-PHP
		<?php
		/**
		 * Generated by tests/harness/site.sh for the Keysmith test harness. Do not edit: rewritten on every \`up\`.
		 */
		define( 'DB_NAME', '$DB_NAME' );
		define( 'DB_USER', '$DB_USER' );
		define( 'DB_PASSWORD', '$DB_PASSWORD' );
		define( 'DB_HOST', '127.0.0.1:$DB_PORT' );
		define( 'DB_CHARSET', 'utf8mb4' );
		define( 'DB_COLLATE', '' );
		require __DIR__ . '/../salts.php';
		\$table_prefix = 'wp_';

		define( 'KEYSMITH_HARNESS', true );
		define( 'KEYSMITH_HARNESS_DIR', '$H' );
		define( 'WP_DEBUG', true );
		define( 'WP_DEBUG_LOG', '$H/debug.log' );
		define( 'WP_DEBUG_DISPLAY', false );
		@ini_set( 'display_errors', '0' );
		// Served requests start WP-Cron as on any site, except under the test runner
		// (KEYSMITH_WP_CRON=manual): a due job (the hourly expiry job revokes expired keys) would run
		// in the middle of a test that set an expiry. Tests run jobs through /wp-cron.php instead.
		defined( 'DISABLE_WP_CRON' ) || define( 'DISABLE_WP_CRON', 'manual' === getenv( 'KEYSMITH_WP_CRON' ) );
		define( 'FS_METHOD', 'direct' );
		define( 'AUTOMATIC_UPDATER_DISABLED', true );
		define( 'WP_AUTO_UPDATE_CORE', false );
		define( 'WP_DEFAULT_THEME', 'keysmith-harness' );
		define( 'WP_ENVIRONMENT_TYPE', 'local' );

		// The object cache (used only when wp-content/object-cache.php is linked: KEYSMITH_OBJECT_CACHE=redis).
		define( 'KEYSMITH_HARNESS_REDIS_HOST', '127.0.0.1' );
		define( 'KEYSMITH_HARNESS_REDIS_PORT', $REDIS_PORT );
		define( 'WP_CACHE_KEY_SALT', 'keysmith_harness:' );
		// The same server under the names other Redis drop-ins read (to try one locally).
		define( 'WP_REDIS_HOST', '127.0.0.1' );
		define( 'WP_REDIS_PORT', $REDIS_PORT );

		// Each nginx server passes its own base URL (KEYSMITH_WP_HOME); the CLI reads the environment.
		\$keysmith_home = \$_SERVER['KEYSMITH_WP_HOME'] ?? ( getenv( 'KEYSMITH_WP_HOME' ) ?: '$SITE_URL' );
		define( 'WP_HOME', rtrim( \$keysmith_home, '/' ) );
		define( 'WP_SITEURL', rtrim( \$keysmith_home, '/' ) );
		unset( \$keysmith_home );

		// Test-owned settings (e.g. the twin's sealing key constants), read on every request.
		if ( is_file( '$H/wp-config-local.php' ) ) {
			require '$H/wp-config-local.php';
		}

		// Requests that arrive on a TLS port are HTTPS even if a proxy in front dropped the flag.
		if ( isset( \$_SERVER['SERVER_PORT'] ) && in_array( (string) \$_SERVER['SERVER_PORT'], array( '$HTTPS_PORT', '$HTTPS_PORT_2' ), true ) ) {
			\$_SERVER['HTTPS'] = 'on';
		}

		if ( ! defined( 'ABSPATH' ) ) {
			define( 'ABSPATH', __DIR__ . '/' );
		}
		require_once ABSPATH . 'wp-settings.php';
	PHP
	mv "$SITE/wp-config.php.tmp" "$SITE/wp-config.php"
}

# Extension flags for a PHP binary ($1 = php or php-fpm8.2), empty when it is absent or preloaded.
extension_flags() {
	local bin="$1"
	[[ "${KEYSMITH_NO_EXTENSION:-0}" == 1 ]] && return 0
	[[ -f "$EXT_PATH" ]] || return 0
	if "$bin" -m 2>/dev/null | grep -qx keysmith; then return 0; fi # installed system-wide
	printf -- '-d extension=%s' "$EXT_PATH"
}

# The extension's sealing key settings for the php-fpm masters (KEYSMITH_SEALING_KEY_INI, ...).
sealing_flags() {
	[[ -n "${KEYSMITH_SEALING_KEY_INI:-}" ]] && printf -- '-d keysmith.sealing_key_file=%s ' "$KEYSMITH_SEALING_KEY_INI"
	[[ -n "${KEYSMITH_SEALING_PREVIOUS_KEY_INI:-}" ]] && printf -- '-d keysmith.sealing_previous_key_file=%s ' "$KEYSMITH_SEALING_PREVIOUS_KEY_INI"
	return 0
}

# Three 32-byte sealing keys for tests, made once per state directory.
sealing_keys_ensure() {
	local name
	mkdir -p "$H/sealing"
	for name in current previous other; do
		[[ -s "$H/sealing/$name.key" ]] && continue
		head -c 32 /dev/urandom >"$H/sealing/$name.key.tmp"
		chmod 600 "$H/sealing/$name.key.tmp"
		mv "$H/sealing/$name.key.tmp" "$H/sealing/$name.key"
	done
}

php_cli() {
	# shellcheck disable=SC2046
	php $(extension_flags php) "$@"
}

# Bump when install.php sets up something new (an existing site is then brought up to date).
INSTALL_VERSION=2

wp_install() {
	log "installing WordPress into $DB_NAME (admin/password), activating Keysmith"
	KEYSMITH_HARNESS_INSTALL_VERSION="$INSTALL_VERSION" KEYSMITH_WP_HOME="$SITE_URL" php_cli "$REPO/tests/harness/install.php" "$SITE" \
		>"$H/install.log" 2>&1 || { cat "$H/install.log" >&2; tail_logs "$H/debug.log"; die "WordPress install failed"; }
}

wp_ensure_installed() {
	local n
	n="$(mysql_root -N -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='$DB_NAME' AND TABLE_NAME='wp_options'")"
	if [[ "$n" != 1 ]] || ! mysql_root -N -e "SELECT 1 FROM \`$DB_NAME\`.wp_options WHERE option_name='keysmith_harness_installed' AND option_value LIKE '$INSTALL_VERSION|%'" | grep -q 1; then
		wp_install
	fi
}

# --- TLS ---------------------------------------------------------------------------------------

tls_ensure() {
	[[ -s "$H/tls/cert.pem" && -s "$H/tls/key.pem" ]] && return 0
	mkdir -p "$H/tls"
	openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=127.0.0.1" \
		-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
		-keyout "$H/tls/key.pem" -out "$H/tls/cert.pem" >"$H/tls/openssl.log" 2>&1 ||
		{ tail_logs "$H/tls/openssl.log"; die "openssl could not create the self-signed certificate"; }
}

# --- php-fpm -----------------------------------------------------------------------------------

# What the pools were started with; a change (mode, rebuilt .so) means a restart.
fpm_mode() {
	local ext=none
	if [[ -n "$(extension_flags "$PHP_FPM")" ]]; then ext="$EXT_PATH@$(stat -c %Y "$EXT_PATH")"; fi
	local cache=""
	if object_cache_on; then cache=" object_cache=$DROPIN_SRC"; fi
	echo "fallback=${KEYSMITH_FORCE_FALLBACK:-0} ext=$ext children=${KEYSMITH_FPM_CHILDREN:-8}$cache${KEYSMITH_SEALING_KEY_INI:+ sealing_key=$KEYSMITH_SEALING_KEY_INI}${KEYSMITH_SEALING_PREVIOUS_KEY_INI:+ sealing_previous_key=$KEYSMITH_SEALING_PREVIOUS_KEY_INI}${KEYSMITH_REAL_WC_AUTH:+ real_wc=$KEYSMITH_REAL_WC_AUTH}${KEYSMITH_REAL_WC_FUNCTIONS:+ real_wc_functions=$KEYSMITH_REAL_WC_FUNCTIONS}${KEYSMITH_BOOT_WORK_DIR:+ boot_work=$KEYSMITH_BOOT_WORK_DIR}${KEYSMITH_WP_CRON:+ wp_cron=$KEYSMITH_WP_CRON}"
}

write_fpm_conf() { # n
	local n="$1" fallback_env=""
	[[ "${KEYSMITH_FORCE_FALLBACK:-0}" == 1 ]] && fallback_env="env[KEYSMITH_FORCE_FALLBACK] = 1"
	local real_wc_auth="${KEYSMITH_REAL_WC_AUTH:+env[KEYSMITH_REAL_WC_AUTH] = $KEYSMITH_REAL_WC_AUTH}"
	local real_wc_functions="${KEYSMITH_REAL_WC_FUNCTIONS:+env[KEYSMITH_REAL_WC_FUNCTIONS] = $KEYSMITH_REAL_WC_FUNCTIONS}"
	local boot_work="${KEYSMITH_BOOT_WORK_DIR:+env[KEYSMITH_BOOT_WORK_DIR] = $KEYSMITH_BOOT_WORK_DIR}"
	local wp_cron="${KEYSMITH_WP_CRON:+env[KEYSMITH_WP_CRON] = $KEYSMITH_WP_CRON}"
	mkdir -p "$H/fpm"
	cat >"$H/fpm/fpm$n.conf" <<-CONF
		; Generated by tests/harness/site.sh (pool $n of the Keysmith test harness).
		[global]
		pid = $H/fpm/fpm$n.pid
		error_log = $H/fpm/fpm$n.log
		daemonize = yes

		[keysmith$n]
		user = root
		group = root
		listen = $H/fpm/fpm$n.sock
		listen.mode = 0666
		pm = static
		pm.max_children = ${KEYSMITH_FPM_CHILDREN:-8}
		catch_workers_output = yes
		decorate_workers_output = no
		clear_env = yes
		env[PATH] = /usr/local/bin:/usr/bin:/bin
		env[KEYSMITH_HARNESS_POOL] = $n
		$fallback_env
		$real_wc_auth
		$real_wc_functions
		$boot_work
		$wp_cron
		request_terminate_timeout = 300
		php_admin_flag[log_errors] = on
		php_admin_value[error_log] = $H/php-errors.log
		php_value[memory_limit] = 512M
		php_value[opcache.revalidate_freq] = 0
	CONF
}

fpm_start() { # n
	local n="$1"
	write_fpm_conf "$n"
	rm -f "$H/fpm/fpm$n.sock"
	# shellcheck disable=SC2046
	"$PHP_FPM" -R -y "$H/fpm/fpm$n.conf" $(extension_flags "$PHP_FPM") $(sealing_flags) \
		>"$H/fpm/fpm$n.start.log" 2>&1 9>&- || { tail_logs "$H/fpm/fpm$n.start.log" "$H/fpm/fpm$n.log"; die "php-fpm pool $n failed to start"; }
	wait_for "php-fpm pool $n socket" 15 test -S "$H/fpm/fpm$n.sock" ||
		{ tail_logs "$H/fpm/fpm$n.log"; die "php-fpm pool $n did not open its socket"; }
}

stop_pidfile() { # pidfile name
	local pf="$1" what="$2" pid
	pid_alive "$pf" || { rm -f "$pf"; return 0; }
	# The server may remove its own pid file while quitting (nginx -s quit): then it is gone.
	pid="$(cat "$pf" 2>/dev/null)" || return 0
	kill -TERM "$pid" 2>/dev/null || true
	local i
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2>/dev/null || { rm -f "$pf"; return 0; }
		sleep 0.1
	done
	log "$what (pid $pid) did not stop after 30s; sending KILL"
	kill -KILL "$pid" 2>/dev/null || true
	rm -f "$pf"
}

fpm_up() {
	local mode n restart=()
	mode="$(fpm_mode)"
	for n in 1 2; do
		if pid_alive "$H/fpm/fpm$n.pid" && [[ -S "$H/fpm/fpm$n.sock" && "$(cat "$H/fpm/fpm$n.mode" 2>/dev/null)" == "$mode" ]]; then
			continue
		fi
		restart+=("$n")
	done
	[[ ${#restart[@]} -gt 0 ]] || return 0
	# php-fpm takes about two seconds to stop; stop the pools side by side.
	stop_pools "${restart[@]}"
	for n in "${restart[@]}"; do
		log "starting php-fpm pool $n ($mode)"
		fpm_start "$n"
		echo "$mode" >"$H/fpm/fpm$n.mode"
	done
}

# Stops pools side by side. Waits for exactly those stoppers: a bare `wait` would also wait for
# the MariaDB server this same run may have started in the background.
stop_pools() {
	local n pids=()
	for n in "$@"; do
		stop_pidfile "$H/fpm/fpm$n.pid" "php-fpm pool $n" &
		pids+=($!)
	done
	wait "${pids[@]}"
}

fpm_down() {
	stop_pools 1 2
	rm -f "$H/fpm/fpm1.mode" "$H/fpm/fpm2.mode"
}

# --- nginx -------------------------------------------------------------------------------------

nginx_server_block() { # listen home fpm_n
	cat <<-CONF
		    server {
		        listen $1;
		        server_name 127.0.0.1 localhost;
		        root $SITE;
		        index index.php;
		        client_max_body_size 64m;

		        location / {
		            try_files \$uri \$uri/ /index.php?\$args;
		        }
		        location ~ /\.(?!well-known) { deny all; }
		        location ~ [^/]\.php(/|\$) {
		            fastcgi_split_path_info ^(.+?\.php)(/.*)\$;
		            if (!-f \$document_root\$fastcgi_script_name) { return 404; }
		            include $H/nginx/fastcgi_params;
		            fastcgi_param KEYSMITH_WP_HOME $2;
		            fastcgi_pass unix:$H/fpm/fpm$3.sock;
		            fastcgi_read_timeout 300s;
		        }
		    }
	CONF
}

write_nginx_conf() {
	mkdir -p "$H/nginx/tmp"
	# Our own parameter list: Debian's passes HTTP_HOST as \$host (no port), which would make
	# WordPress build redirects to port 80.
	cat >"$H/nginx/fastcgi_params" <<-'CONF'
		fastcgi_param QUERY_STRING       $query_string;
		fastcgi_param REQUEST_METHOD     $request_method;
		fastcgi_param CONTENT_TYPE       $content_type;
		fastcgi_param CONTENT_LENGTH     $content_length;
		fastcgi_param SCRIPT_NAME        $fastcgi_script_name;
		fastcgi_param SCRIPT_FILENAME    $document_root$fastcgi_script_name;
		fastcgi_param PATH_INFO          $fastcgi_path_info;
		fastcgi_param REQUEST_URI        $request_uri;
		fastcgi_param DOCUMENT_URI       $document_uri;
		fastcgi_param DOCUMENT_ROOT      $document_root;
		fastcgi_param SERVER_PROTOCOL    $server_protocol;
		fastcgi_param REQUEST_SCHEME     $scheme;
		fastcgi_param HTTPS              $https if_not_empty;
		fastcgi_param GATEWAY_INTERFACE  CGI/1.1;
		fastcgi_param SERVER_SOFTWARE    nginx/$nginx_version;
		fastcgi_param REMOTE_ADDR        $remote_addr;
		fastcgi_param REMOTE_PORT        $remote_port;
		fastcgi_param SERVER_ADDR        $server_addr;
		fastcgi_param SERVER_PORT        $server_port;
		fastcgi_param SERVER_NAME        $server_name;
		fastcgi_param REDIRECT_STATUS    200;
		fastcgi_param HTTP_HOST          $http_host;
		fastcgi_param HTTP_AUTHORIZATION $http_authorization;
	CONF
	{
		cat <<-CONF
			# Generated by tests/harness/site.sh for the Keysmith test harness.
			user root;
			worker_processes 2;
			pid $H/nginx/nginx.pid;
			error_log $H/nginx/error.log warn;
			events { worker_connections 1024; }
			http {
			    include /etc/nginx/mime.types;
			    default_type application/octet-stream;
			    access_log $H/nginx/access.log;
			    sendfile on;
			    keepalive_timeout 65;
			    client_body_temp_path $H/nginx/tmp/body;
			    fastcgi_temp_path $H/nginx/tmp/fastcgi;
			    proxy_temp_path $H/nginx/tmp/proxy;
			    uwsgi_temp_path $H/nginx/tmp/uwsgi;
			    scgi_temp_path $H/nginx/tmp/scgi;
			    ssl_certificate $H/tls/cert.pem;
			    ssl_certificate_key $H/tls/key.pem;
			    ssl_protocols TLSv1.2 TLSv1.3;
		CONF
		nginx_server_block "127.0.0.1:$HTTP_PORT" "$SITE_URL" 1
		nginx_server_block "127.0.0.1:$HTTPS_PORT ssl" "$SITE_URL_TLS" 1
		nginx_server_block "127.0.0.1:$HTTP_PORT_2" "$SITE_URL_2" 2
		nginx_server_block "127.0.0.1:$HTTPS_PORT_2 ssl" "$SITE_URL_TLS_2" 2
		echo "}"
	} >"$H/nginx/nginx.conf.new"
}

nginx_up() {
	write_nginx_conf
	local changed=1
	if cmp -s "$H/nginx/nginx.conf.new" "$H/nginx/nginx.conf" 2>/dev/null; then changed=0; fi
	mv "$H/nginx/nginx.conf.new" "$H/nginx/nginx.conf"
	nginx -t -q -e "$H/nginx/error.log" -p "$H/nginx" -c "$H/nginx/nginx.conf" 2>"$H/nginx/test.log" ||
		{ cat "$H/nginx/test.log" >&2; die "nginx configuration test failed"; }
	if pid_alive "$H/nginx/nginx.pid"; then
		if [[ $changed == 1 ]]; then
			log "reloading nginx"
			kill -HUP "$(cat "$H/nginx/nginx.pid")"
		fi
	else
		local p
		for p in "$HTTP_PORT" "$HTTPS_PORT" "$HTTP_PORT_2" "$HTTPS_PORT_2"; do
			port_open "$p" && die "port $p is already in use by another process (not started by this harness)"
		done
		log "starting nginx on :$HTTP_PORT, :$HTTPS_PORT (TLS), :$HTTP_PORT_2 and :$HTTPS_PORT_2 (TLS)"
		nginx -e "$H/nginx/error.log" -p "$H/nginx" -c "$H/nginx/nginx.conf" 2>"$H/nginx/start.log" 9>&- ||
			{ tail_logs "$H/nginx/start.log" "$H/nginx/error.log"; die "nginx failed to start"; }
	fi
	local port
	for port in "$HTTP_PORT" "$HTTPS_PORT" "$HTTP_PORT_2" "$HTTPS_PORT_2"; do
		wait_for "nginx on port $port" 15 port_open "$port" || { tail_logs "$H/nginx/error.log"; die "nginx is not listening on $port"; }
	done
}

# --- checks ------------------------------------------------------------------------------------

http_check() {
	local url code
	for url in "$SITE_URL/wp-json/" "$SITE_URL_TLS/wp-json/" "$SITE_URL_2/wp-json/" "$SITE_URL_TLS_2/wp-json/"; do
		code="$(curl -ks -o "$H/last-check.out" -w '%{http_code}' --max-time 20 "$url" || true)"
		if [[ "$code" != 200 ]]; then
			log "GET $url answered HTTP $code"
			tail_logs "$H/last-check.out" "$H/nginx/error.log" "$H/php-errors.log" "$H/debug.log" "$H/fpm/fpm1.log"
			die "the served site is not healthy"
		fi
	done
}

# --- commands ----------------------------------------------------------------------------------

with_lock() {
	mkdir -p "$H"
	# Every daemon is started with 9>&- so none of them inherits (and holds) this lock.
	exec 9>"$H/.site.lock"
	flock -w 300 9 || die "another site.sh is busy with $H (lock $H/.site.lock) for more than 300s"
	"$@"
}

cmd_up() {
	local t0=$SECONDS
	command -v mariadbd >/dev/null || die "mariadbd not found (apt-get install mariadb-server)"
	command -v "$PHP_FPM" >/dev/null || die "$PHP_FPM not found (apt-get install php8.2-fpm)"
	command -v nginx >/dev/null || die "nginx not found (apt-get install nginx-light)"
	[[ -f "$WP_SRC/wp-settings.php" ]] || die "$WP_SRC not found (apt-get install wordpress)"
	db_up
	db_ensure_schema
	if object_cache_on; then redis_up; fi
	build_site
	sealing_keys_ensure
	wp_ensure_installed
	tls_ensure
	fpm_up
	nginx_up
	http_check
	cmd_env >"$H/env.sh"
	log "up in $((SECONDS - t0))s: $SITE_URL  $SITE_URL_TLS  $SITE_URL_2  $SITE_URL_TLS_2  (admin / password; $(cat "$H/fpm/fpm1.mode"))"
}

cmd_down() {
	if pid_alive "$H/nginx/nginx.pid"; then
		log "stopping nginx"
		nginx -e "$H/nginx/error.log" -p "$H/nginx" -c "$H/nginx/nginx.conf" -s quit 2>/dev/null || true
	fi
	stop_pidfile "$H/nginx/nginx.pid" nginx
	fpm_down
	if pid_alive "$H/redis/redis.pid"; then log "stopping Redis"; fi
	stop_pidfile "$H/redis/redis.pid" Redis
	if pid_alive "$H/mysql.pid"; then log "stopping MariaDB"; fi
	stop_pidfile "$H/mysql.pid" MariaDB
}

cmd_reset() {
	db_up
	log "resetting database $DB_NAME"
	mysql_root -e "DROP DATABASE IF EXISTS \`$DB_NAME\`"
	if object_cache_on; then redis_up; fi
	redis_flush
	db_ensure_schema
	build_site
	wp_install
}

cmd_restart_php() {
	fpm_down
	fpm_up
}

cmd_status() {
	local rc=0
	status_line() { # name pidfile
		if pid_alive "$2"; then printf '%-10s running (pid %s)\n' "$1" "$(cat "$2")"; else printf '%-10s stopped\n' "$1"; rc=1; fi
	}
	status_line mariadb "$H/mysql.pid"
	status_line php-fpm-1 "$H/fpm/fpm1.pid"
	status_line php-fpm-2 "$H/fpm/fpm2.pid"
	status_line nginx "$H/nginx/nginx.pid"
	# Redis counts only when the cache is on: without it, a stopped Redis is the normal state.
	if object_cache_on; then
		status_line redis "$H/redis/redis.pid"
	elif pid_alive "$H/redis/redis.pid"; then
		printf '%-10s running (pid %s; object cache off)\n' redis "$(cat "$H/redis/redis.pid")"
	fi
	[[ -f "$H/fpm/fpm1.mode" ]] && printf 'php mode   %s\n' "$(cat "$H/fpm/fpm1.mode")"
	return $rc
}

cmd_env() {
	local ext=""
	[[ "${KEYSMITH_NO_EXTENSION:-0}" != 1 && -f "$EXT_PATH" ]] && ext="$EXT_PATH"
	cat <<-ENV
		export KEYSMITH_SITE_URL=$SITE_URL
		export KEYSMITH_SITE_URL_TLS=$SITE_URL_TLS
		export KEYSMITH_SITE_URL_2=$SITE_URL_2
		export KEYSMITH_SITE_URL_TLS_2=$SITE_URL_TLS_2
		export KEYSMITH_SITE_DIR=$SITE
		export KEYSMITH_HARNESS_DIR=$H
		export KEYSMITH_TLS_CERT=$H/tls/cert.pem
		export KEYSMITH_DB_HOST=127.0.0.1
		export KEYSMITH_DB_PORT=$DB_PORT
		export KEYSMITH_DB_SOCKET=$H/mysql.sock
		export KEYSMITH_DB_NAME=$DB_NAME
		export KEYSMITH_DB_USER=$DB_USER
		export KEYSMITH_DB_PASSWORD=$DB_PASSWORD
		export KEYSMITH_ADMIN_USER=admin
		export KEYSMITH_ADMIN_PASSWORD=password
		export KEYSMITH_SHOP_MANAGER_USER=shopmanager
		export KEYSMITH_SHOP_MANAGER_PASSWORD=password
		export KEYSMITH_CUSTOMER_USER=customer
		export KEYSMITH_CUSTOMER_PASSWORD=password
		export KEYSMITH_EXTENSION_PATH=$ext
		export KEYSMITH_OBJECT_CACHE=$OBJECT_CACHE
		export KEYSMITH_OBJECT_CACHE_DROPIN=${KEYSMITH_OBJECT_CACHE_DROPIN:-}
		export KEYSMITH_REDIS_PORT=$REDIS_PORT
	ENV
}

# Everything runs from main(), which bash has fully read before it starts: editing this file
# while a long `up` runs cannot derail that run.
main() {
	case "${1:-}" in
		up) with_lock cmd_up ;;
		down) with_lock cmd_down ;;
		reset) with_lock cmd_reset ;;
		restart-php) with_lock cmd_restart_php ;;
		status) cmd_status ;;
		logs) tail_logs "$H/php-errors.log" "$H/debug.log" "$H/nginx/error.log" "$H/fpm/fpm1.log" "$H/fpm/fpm2.log" "$H/mysql.err" "$H/redis/redis.log" "$H/install.log" 2>&1 ;;
		env) cmd_env ;;
		*)
			sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'
			return 2
			;;
	esac
}

main "$@"
exit $?
