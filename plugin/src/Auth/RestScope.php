<?php
/**
 * Which requests an API key may authenticate, exactly as the installed WooCommerce decides it
 * (docs/woocommerce-compatibility.md §3.2): the route named by the raw request URI
 * (WooCommerce 11.1+) or the legacy substring test (up to 10.x), the route WordPress resolved,
 * filter `woocommerce_rest_is_request_to_rest_api`, and the 11.1+ scope guard.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

final class RestScope {

	/**
	 * WooCommerce 11.1 added route resolution and the scope guard in one change; its
	 * reject_out_of_scope_route() method is the reliable sign (version numbers lie on backports).
	 */
	public static function wc_has_route_resolution(): bool {
		return class_exists( 'WC_REST_Authentication', false )
			&& method_exists( 'WC_REST_Authentication', 'reject_out_of_scope_route' );
	}

	/**
	 * WooCommerce's is_request_to_rest_api(), filter included.
	 *
	 * @param bool|null $route_resolution Which WooCommerce generation to follow; null: the one
	 *                                    loaded (EarlyGate passes what a late request recorded).
	 */
	public static function is_wc_request( ?bool $route_resolution = null ): bool {
		if ( empty( $_SERVER['REQUEST_URI'] ) ) {
			return false;
		}
		if ( $route_resolution ?? self::wc_has_route_resolution() ) {
			$resolved = self::resolved_route();
			$is_wc    = self::is_wc_namespace( self::route_from_request_uri() )
				|| ( null !== $resolved && self::is_wc_namespace( $resolved ) );
		} else {
			$is_wc = self::legacy_uri_match();
		}

		/** This filter is documented in WooCommerce's class-wc-rest-authentication.php. */
		return (bool) apply_filters( 'woocommerce_rest_is_request_to_rest_api', $is_wc );
	}

	public static function is_wc_namespace( string $route ): bool {
		return str_starts_with( $route, 'wc/' ) || str_starts_with( $route, 'wc-' );
	}

	/** The route WordPress resolved (trimmed), or null while the request is not parsed yet. */
	public static function resolved_route(): ?string {
		global $wp;
		if ( ! $wp instanceof \WP || ! isset( $wp->query_vars['rest_route'] ) || ! is_string( $wp->query_vars['rest_route'] ) ) {
			return null;
		}
		return trim( $wp->query_vars['rest_route'], '/' );
	}

	/**
	 * The REST route the raw request URI names, without prefix or surrounding slashes; '' when the
	 * URI is not a REST request. Reads the URI unescaped, as WordPress routes on it.
	 */
	public static function route_from_request_uri(): string {
		if ( empty( $_SERVER['REQUEST_URI'] ) || ! is_string( $_SERVER['REQUEST_URI'] ) ) {
			return '';
		}
		$uri = wp_unslash( $_SERVER['REQUEST_URI'] ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- compared, never output.
		if ( str_starts_with( $uri, '//' ) ) {
			// wp_parse_url() would read a leading '//' as a host.
			$uri = '/' . ltrim( $uri, '/' );
		}

		$query = wp_parse_url( $uri, PHP_URL_QUERY );
		$vars  = array();
		if ( is_string( $query ) ) {
			parse_str( $query, $vars );
		}
		if ( isset( $vars['rest_route'] ) && is_string( $vars['rest_route'] ) ) {
			return trim( $vars['rest_route'], '/' );
		}

		$path = wp_parse_url( $uri, PHP_URL_PATH );
		if ( ! is_string( $path ) ) {
			return '';
		}
		$path = self::strip_home_path( trim( $path, '/' ) );
		if ( str_starts_with( $path, 'index.php/' ) ) {
			$path = substr( $path, strlen( 'index.php/' ) );
		}
		$prefix = trailingslashit( rest_get_url_prefix() );
		if ( ! str_starts_with( $path, $prefix ) ) {
			return '';
		}
		return trim( substr( $path, strlen( $prefix ) ), '/' );
	}

	/**
	 * The 11.1+ scope guard: a key-authenticated request whose resolved route left the wc
	 * namespaces passes only if the URI named that exact route (raw or urldecoded).
	 */
	public static function resolved_route_in_scope(): bool {
		$resolved = self::resolved_route();
		if ( null === $resolved || self::is_wc_namespace( $resolved ) ) {
			return true;
		}
		$uri_route = self::route_from_request_uri();
		return $resolved === $uri_route || trim( urldecode( $uri_route ), '/' ) === $resolved;
	}

	/** Up to WooCommerce 10.x: a substring test on the escaped URI, query string included. */
	private static function legacy_uri_match(): bool {
		$prefix = trailingslashit( rest_get_url_prefix() );
		$uri    = esc_url_raw( wp_unslash( (string) $_SERVER['REQUEST_URI'] ) ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized
		return str_contains( $uri, $prefix . 'wc/' ) || str_contains( $uri, $prefix . 'wc-' );
	}

	/** Strips the home path case-insensitively, as WP::parse_request() does. */
	private static function strip_home_path( string $path ): string {
		$home_path = wp_parse_url( home_url(), PHP_URL_PATH );
		if ( is_string( $home_path ) && '' !== $home_path ) {
			$home_path = trim( $home_path, '/' );
			if ( 0 === stripos( $path, $home_path ) ) {
				$path = trim( substr( $path, strlen( $home_path ) ), '/' );
			}
		}
		return $path;
	}
}
