<?php
/**
 * Refused requests are cheap: Keysmith decides a request WooCommerce would authenticate with an API
 * key while its own plugin file loads (plugins load in the order of their paths, so `keysmith/`
 * comes before `woocommerce/`), and answers a refusal right there, before WooCommerce, the other
 * plugins and the theme load.
 *
 * The decision is the same one the later path makes (Authenticator::decide_now(): same checks,
 * same nonce store, same throttle), and it is made early only when that is safe (EarlyContext:
 * nothing loaded later changes what it reads) and the answer does not depend on what is not
 * loaded yet: a logged-in cookie, JSONP / envelope / pretty-printed responses, a Basic key nobody
 * knows (WooCommerce sets no error then; the route answers), another authenticator or error
 * filter running before Keysmith's, and a site language other than English (translations load
 * only with the theme) are all left to the later path.
 * An accepted request continues as before, and the later hooks reuse the early decision instead
 * of deciding again (its nonce is already claimed). The answer is the REST server's: the same
 * status and JSON body, the same headers as far as they are known this early (README, "Early
 * refusals", lists the difference), and never cached.
 *
 * Off with the setting `keysmith_settings['early_refusals']` or the filter
 * `keysmith_early_refusals` (added in a must-use plugin: it has to exist this early).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use Keysmith\Store\Schema;
use WP_Error;

final class EarlyGate {

	/** Runs while keysmith.php loads. Answers and exits on a refusal; otherwise returns. */
	public static function run(): void {
		$context = self::safe_context();
		if ( null === $context || ! RestScope::is_wc_request( $context['route_resolution'] ) ) {
			return;
		}
		list( $decision, $error ) = self::as_wordpress_will_see_it(
			static function (): array {
				$decision = Authenticator::instance()->decide_now();
				return array( $decision, self::answer( $decision ) );
			}
		);
		if ( null !== $error ) {
			self::send( $error, $decision->retry_after );
		}
	}

	/**
	 * Runs $decide with the request variables slashed as wp_magic_quotes() will slash them after
	 * plugins_loaded, so the early decision reads exactly what the later one would (WooCommerce,
	 * and so Keysmith, reads some of them still slashed: the path it signs, Basic credentials);
	 * then puts them back for WordPress to slash once.
	 *
	 * @template T
	 * @param callable(): T $decide
	 * @return T
	 */
	private static function as_wordpress_will_see_it( callable $decide ): mixed {
		$saved    = array( $_GET, $_POST, $_COOKIE, $_SERVER, $_REQUEST );
		$_GET     = add_magic_quotes( $_GET );
		$_POST    = add_magic_quotes( $_POST );
		$_COOKIE  = add_magic_quotes( $_COOKIE );
		$_SERVER  = add_magic_quotes( $_SERVER );
		$_REQUEST = array_merge( $_GET, $_POST );
		try {
			return $decide();
		} finally {
			list( $_GET, $_POST, $_COOKIE, $_SERVER, $_REQUEST ) = $saved;
		}
	}

	/** Setting key in keysmith_settings (default true). */
	public const SETTING = 'early_refusals';

	/** Whether early refusals are on (setting, then filter). */
	public static function enabled(): bool {
		/**
		 * Filters whether Keysmith answers refused API requests before WooCommerce loads. Add it
		 * in a must-use plugin: regular plugins load too late for it.
		 *
		 * @param bool $enabled From keysmith_settings['early_refusals'] (default true).
		 */
		return (bool) apply_filters( 'keysmith_early_refusals', self::setting_on() );
	}

	/** The admin's setting alone, without the filter (what Keysmith's screen shows and changes). */
	public static function setting_on(): bool {
		$settings = get_option( Settings::OPTION, array() );
		return ! is_array( $settings ) || ! array_key_exists( self::SETTING, $settings ) || (bool) $settings[ self::SETTING ];
	}

	/** Turns early refusals on or off (the setting; the filter still has the last word). */
	public static function set_enabled( bool $on ): void {
		$settings                   = get_option( Settings::OPTION, array() );
		$settings                   = is_array( $settings ) ? $settings : array();
		$settings[ self::SETTING ] = $on;
		update_option( Settings::OPTION, $settings );
	}

	/**
	 * The recorded context when an early decision is safe for this request, else null.
	 *
	 * @return array{route_resolution: bool}|null
	 */
	private static function safe_context(): ?array {
		// phpcs:disable WordPress.Security.NonceVerification, WordPress.Security.ValidatedSanitizedInput -- read, never output.
		$uri = $_SERVER['REQUEST_URI'] ?? '';
		if ( ! is_string( $uri ) || ( ! str_contains( $uri, rest_get_url_prefix() ) && ! str_contains( $uri, 'rest_route' ) && ! isset( $_POST['rest_route'] ) ) ) {
			return null; // Not a REST request: the common case, decided in microseconds.
		}
		if ( isset( $_GET['_jsonp'] ) || isset( $_GET['_envelope'] ) || isset( $_GET['_pretty'] ) ) {
			return null; // The REST server would shape the answer differently.
		}
		if ( isset( $_GET['_for'] ) ) {
			return null; // A Jetpack-signed request (the connection WooCommerce bundles judges those).
		}
		foreach ( array_keys( $_COOKIE ) as $cookie ) {
			foreach ( array( LOGGED_IN_COOKIE, AUTH_COOKIE, SECURE_AUTH_COOKIE ) as $login ) {
				if ( str_starts_with( (string) $cookie, $login ) ) {
					return null; // A logged-in user would be asked for first.
				}
			}
		}
		// phpcs:enable
		if ( ! self::woocommerce_will_load() || ! self::enabled() || ! Settings::auth_enabled() ) {
			return null;
		}
		if ( Schema::VERSION !== get_option( Schema::VERSION_OPTION ) || EarlyContext::others_judge_first() ) {
			return null; // Tables not upgraded yet (that happens on plugins_loaded); another authenticator.
		}
		if ( 'en_US' !== determine_locale() ) {
			return null; // Messages are translated only once the theme has loaded (WordPress 6.7+ warns earlier).
		}
		return EarlyContext::verified();
	}

	/** WooCommerce is already loaded (a must-use stand-in) or active, so it will load after Keysmith. */
	private static function woocommerce_will_load(): bool {
		if ( defined( 'WC_VERSION' ) ) {
			return true;
		}
		$plugin = 'woocommerce/woocommerce.php';
		if ( in_array( $plugin, (array) get_option( 'active_plugins', array() ), true ) ) {
			return true;
		}
		return is_multisite() && isset( ( (array) get_site_option( 'active_sitewide_plugins', array() ) )[ $plugin ] );
	}

	/**
	 * The error to answer now, or null to let the request continue (accepted, nothing to judge,
	 * or an answer the later path must give).
	 */
	private static function answer( Decision $decision ): ?WP_Error {
		if ( null !== $decision->error ) {
			return $decision->error;
		}
		if ( null === $decision->key ) {
			return null;
		}
		// An accepted key that may not use this method (a read key writing) is refused on
		// rest_pre_dispatch; this early only when the request surely dispatches the route its URI
		// names (no rest_route elsewhere, so WooCommerce 11.1's scope guard agrees) and that is not
		// an OPTIONS request (always allowed).
		$method = Credentials::rest_method();
		if ( null === $method || 'OPTIONS' === $method || ! self::route_is_in_the_path() ) {
			return null;
		}
		$allowed = AccessLog::check_permission( $decision->key->permissions, $method );
		if ( true === $allowed ) {
			return null;
		}
		Authenticator::instance()->count_permission_refusal( $allowed );
		return $allowed;
	}

	/**
	 * The URI's path names a WooCommerce route and nothing else names another one: WordPress will
	 * dispatch that route as the main request (so rest_pre_dispatch runs, and WooCommerce 11.1's
	 * scope guard lets it through).
	 */
	private static function route_is_in_the_path(): bool {
		// phpcs:ignore WordPress.Security.NonceVerification -- read only.
		if ( isset( $_GET['rest_route'] ) || isset( $_POST['rest_route'] ) ) {
			return false;
		}
		return RestScope::is_wc_namespace( RestScope::route_from_request_uri() );
	}

	/**
	 * Answers as WP_REST_Server::serve_request() answers an authentication error, then exits.
	 */
	private static function send( WP_Error $error, int $retry_after ): void {
		$response = rest_convert_error_to_response( $error );
		status_header( $response->get_status() );
		header( 'Content-Type: application/json; charset=' . get_option( 'blog_charset' ) );
		header( 'X-Robots-Tag: noindex' );
		// WordPress creates the rewrite object after the plugins load; get_rest_url() needs one
		// (this request ends here, so nothing else sees it).
		$GLOBALS['wp_rewrite'] ??= new \WP_Rewrite();
		$api_root                = get_rest_url();
		if ( ! empty( $api_root ) ) {
			header( 'Link: <' . sanitize_url( $api_root ) . '>; rel="https://api.w.org/"' );
		}
		header( 'X-Content-Type-Options: nosniff' );
		/** This filter is documented in wp-includes/rest-api/class-wp-rest-server.php */
		header( 'Access-Control-Expose-Headers: ' . implode( ', ', apply_filters( 'rest_exposed_cors_headers', array( 'X-WP-Total', 'X-WP-TotalPages', 'Link' ) ) ) );
		/** This filter is documented in wp-includes/rest-api/class-wp-rest-server.php */
		header( 'Access-Control-Allow-Headers: ' . implode( ', ', apply_filters( 'rest_allowed_cors_headers', array( 'Authorization', 'X-WP-Nonce', 'Content-Disposition', 'Content-MD5', 'Content-Type' ) ) ) );
		foreach ( RequestGuard::refusal_headers( $retry_after ) as $name => $value ) {
			header( "$name: $value" );
		}
		self::send_cors_headers();
		if ( 'HEAD' !== ( $_SERVER['REQUEST_METHOD'] ?? '' ) ) { // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- compared only.
			echo wp_json_encode( $response->get_data() ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- JSON, as the REST server prints it.
		}
		exit;
	}

	/**
	 * rest_send_cors_headers(), for a visitor known not to be logged in (pluggable functions such
	 * as is_user_logged_in() are not loaded yet).
	 */
	private static function send_cors_headers(): void {
		$origin = get_http_origin();
		if ( $origin ) {
			// Requests from file:// and data: URLs send "Origin: null".
			header( 'Access-Control-Allow-Origin: ' . ( 'null' !== $origin ? sanitize_url( $origin ) : $origin ) );
			header( 'Access-Control-Allow-Methods: OPTIONS, GET, POST, PUT, PATCH, DELETE' );
			header( 'Access-Control-Allow-Credentials: true' );
			header( 'Vary: Origin', false );
		} elseif ( 'GET' === ( $_SERVER['REQUEST_METHOD'] ?? '' ) ) { // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- compared only.
			header( 'Vary: Origin', false );
		}
	}
}
