<?php
/**
 * The demo's in-WordPress steps, for scripts/demo.sh (not shipped with the plugin):
 *
 *   php scripts/demo-site.php <site dir> <home url> keys                  create demo keys (KeyService)
 *   php scripts/demo-site.php <site dir> <home url> woocommerce on|off    use the real WooCommerce, or the fixture
 *   php scripts/demo-site.php <site dir> <home url> woocommerce install   run WooCommerce's installer (after "on")
 *   php scripts/demo-site.php <site dir> <home url> oauth-url <url> <consumer key>   (secret on stdin)
 *
 * "keys" prints JSON: the secrets of ONE demo key (shown once, as Keysmith's screen shows a new key)
 * and the truncated keys of the others. Nothing here writes a secret anywhere but stdout.
 *
 * @package Keysmith
 */

declare(strict_types=1);

if ( PHP_SAPI !== 'cli' || $argc < 4 ) {
	fwrite( STDERR, "usage: php scripts/demo-site.php <site dir> <home url> keys|woocommerce on|off|install|oauth-url <url> <ck>\n" );
	exit( 2 );
}

$keysmith_demo_site = rtrim( $argv[1], '/' );
$keysmith_demo_home = rtrim( $argv[2], '/' );
$keysmith_demo_url  = parse_url( $keysmith_demo_home );

// What WordPress reads in CLI as if a request had reached the demo site.
$_SERVER['HTTP_HOST']      = $keysmith_demo_url['host'] . ( isset( $keysmith_demo_url['port'] ) ? ':' . $keysmith_demo_url['port'] : '' );
$_SERVER['SERVER_NAME']    = $keysmith_demo_url['host'];
$_SERVER['SERVER_PORT']    = (string) ( $keysmith_demo_url['port'] ?? 80 );
$_SERVER['REQUEST_URI']    = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
putenv( 'KEYSMITH_WP_HOME=' . $keysmith_demo_home );
define( 'DISABLE_WP_CRON', true );
// Switching WooCommerce on or off must not load any plugin (neither WooCommerce nor the fixture).
if ( 'woocommerce' === $argv[3] && in_array( $argv[4] ?? '', array( 'on', 'off' ), true ) ) {
	define( 'SHORTINIT', true );
}

require $keysmith_demo_site . '/wp-load.php';
if ( ! SHORTINIT ) {
	require_once ABSPATH . 'wp-admin/includes/plugin.php';
}

/** Prints a message to stderr and exits non-zero. */
function keysmith_demo_fail( string $message ): void {
	fwrite( STDERR, "demo-site.php: $message\n" );
	exit( 1 );
}

/** Revokes earlier demo keys, creates three for the admin, prints one key's secrets as JSON. */
function keysmith_demo_keys(): void {
	if ( ! class_exists( \Keysmith\Store\KeyService::class ) || ! \Keysmith\Plugin::woocommerce_is_active() ) {
		keysmith_demo_fail( 'Keysmith or WooCommerce is not active on the demo site' );
	}
	$admin = get_user_by( 'login', 'admin' );
	if ( ! $admin instanceof WP_User ) {
		keysmith_demo_fail( 'the demo admin user is missing' );
	}
	wp_set_current_user( $admin->ID );
	$actor   = \Keysmith\Store\Actor::current( 'cli' );
	$service = new \Keysmith\Store\KeyService();

	$earlier = \Keysmith\Store\KeyFilter::from_array( array( 'search' => 'Keysmith demo key' ) );
	if ( ! is_wp_error( $earlier ) && $service->count( $earlier ) > 0 ) {
		$service->revoke( $earlier, $actor );
	}
	$created = $service->create(
		array(
			'user_ids'    => array( $admin->ID ),
			'count'       => 3,
			'permissions' => 'read_write',
			'description' => 'Keysmith demo key {n}',
		),
		$actor
	);
	if ( is_wp_error( $created ) ) {
		keysmith_demo_fail( 'creating demo keys failed: ' . $created->get_error_message() );
	}
	echo wp_json_encode(
		array(
			'user_id'         => $admin->ID,
			'key_id'          => $created[0]['key_id'],
			'description'     => $created[0]['description'],
			'consumer_key'    => $created[0]['consumer_key'],
			'consumer_secret' => $created[0]['consumer_secret'],
			'others'          => array_map( static fn ( array $key ): string => $key['description'] . ' (…' . $key['truncated_key'] . ')', array_slice( $created, 1 ) ),
			'mode'            => \Keysmith\Crypto\Crypto::mode(),
		)
	), "\n";
}

/**
 * Lists the real WooCommerce as active or not ("on"/"off", with SHORTINIT: no plugin loads), or
 * runs its installer ("install": a full load, with WooCommerce active and the fixture unlinked;
 * the fixture declares WC() and class WooCommerce at compile time, so the two cannot share a process).
 */
function keysmith_demo_woocommerce( string $state ): void {
	$plugin = 'woocommerce/woocommerce.php';
	if ( 'install' === $state ) {
		if ( ! class_exists( 'WC_Install' ) ) {
			keysmith_demo_fail( 'WooCommerce did not load from wp-content/plugins/woocommerce' );
		}
		WC_Install::install();
		echo 'WooCommerce ', esc_html( WC_VERSION ), " installed\n";
		return;
	}
	$active = (array) get_option( 'active_plugins', array() );
	$active = 'on' === $state ? array_values( array_unique( array_merge( array( $plugin ), $active ) ) ) : array_values( array_diff( $active, array( $plugin ) ) );
	sort( $active );
	update_option( 'active_plugins', $active );
}

/** A URL signed with OAuth 1.0a one-legged (HMAC-SHA256) by the extension's own functions. */
function keysmith_demo_oauth_url( string $url, string $consumer_key ): void {
	$secret = trim( (string) fgets( STDIN ) );
	$parts  = wp_parse_url( $url );
	$base   = $parts['scheme'] . '://' . $parts['host'] . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' ) . $parts['path'];
	$params = array();
	wp_parse_str( $parts['query'] ?? '', $params );
	$params += array(
		'oauth_consumer_key'     => $consumer_key,
		'oauth_nonce'            => bin2hex( random_bytes( 16 ) ),
		'oauth_signature_method' => 'HMAC-SHA256',
		'oauth_timestamp'        => (string) time(),
	);
	$native    = extension_loaded( 'keysmith' );
	$to_sign   = $native ? \Keysmith\oauth_base_string( 'GET', $base, $params ) : \Keysmith\Fallback\oauth_base_string( 'GET', $base, $params );
	$signature = $native ? \Keysmith\oauth_signature( $to_sign, $secret, 'HMAC-SHA256' ) : \Keysmith\Fallback\oauth_signature( $to_sign, $secret, 'HMAC-SHA256' );

	$params['oauth_signature'] = $signature;
	echo $base, '?', http_build_query( $params, '', '&', PHP_QUERY_RFC3986 ), "\n";
}

switch ( $argv[3] ) {
	case 'keys':
		keysmith_demo_keys();
		break;
	case 'woocommerce':
		keysmith_demo_woocommerce( $argv[4] ?? '' );
		break;
	case 'oauth-url':
		keysmith_demo_oauth_url( $argv[4] ?? '', $argv[5] ?? '' );
		break;
	default:
		keysmith_demo_fail( "unknown step {$argv[3]}" );
}
