<?php
/**
 * When deciding early is safe: everything an authentication decision depends on that plugins and
 * the theme loaded after Keysmith could change.
 *
 * An early decision (EarlyGate) is made while Keysmith's plugin file loads, before WooCommerce, the
 * plugins after it and the theme. It gives the same answer as the later path only if none of them
 * hooks into what the decision reads: the home URL (the OAuth base string), the REST prefix, which
 * requests WooCommerce authenticates, the client address, the filters that turn Keysmith's checks
 * on or off, other authenticators that run before Keysmith's, other authentication errors, the
 * response headers. So a normal (late) request records this context as it sees it with everything
 * loaded, and an early decision is made only when the context seen early is the same and was
 * confirmed by a late request within the last hour. Anything else means "decide later, as always".
 *
 * The record is dropped when a plugin is activated or deactivated, the theme switched or code
 * updated, so the next request re-learns it late. The hourly confirmation bounds how long a change
 * this does not notice (a filter added only during rest_api_init, say) can go unseen.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

final class EarlyContext {

	public const OPTION = 'keysmith_early_context';

	/** A recorded context is trusted for this long after a late request last confirmed it. */
	public const CONFIRMED_FOR = 3600;

	/** Hosts remembered at most (a site served under several home URLs). */
	private const MAX_RECORDS = 8;

	/** Hooks whose callbacks change what an early decision would answer. */
	private const HOOKS = array(
		'home_url',
		'option_home',
		'pre_option_home',
		'rest_url_prefix',
		'rest_url',
		'woocommerce_rest_is_request_to_rest_api',
		'keysmith_auth_enabled',
		'keysmith_early_refusals',
		'keysmith_client_ip',
		'keysmith_nonce_prune_one_in',
		'rest_authentication_errors',
		'rest_pre_dispatch',
		'rest_jsonp_enabled',
		'rest_exposed_cors_headers',
		'rest_allowed_cors_headers',
		'http_origin',
		'allowed_http_origins',
		'determine_current_user',
	);

	/**
	 * Callbacks WooCommerce hooks in after Keysmith loads that cannot change an API-key request's
	 * answer: its REST authenticator (the one Keysmith stands in for, hidden from every request
	 * Keysmith decides), and the Jetpack connection's REST authentication it bundles, which acts
	 * only on requests with `_for=jetpack` (EarlyGate leaves those to the later path).
	 */
	private const KNOWN = array( 'WC_REST_Authentication', 'Automattic\\Jetpack\\Connection\\Rest_Authentication' );

	/**
	 * The context now (early: as far as things are loaded).
	 *
	 * @return array<string, mixed>
	 */
	public static function current(): array {
		$hooks = array();
		foreach ( self::HOOKS as $hook ) {
			$hooks[ $hook ] = self::callbacks( $hook );
		}
		return array(
			'home_http'   => get_home_url( null, '/', 'http' ),
			'home_https'  => get_home_url( null, '/', 'https' ),
			'rest_prefix' => rest_get_url_prefix(),
			'locale'      => determine_locale(), // The value, not the filters: core's locale switcher filters it late.
			// The option WooCommerce keeps its installed version in (WC_VERSION is not defined early).
			'woocommerce' => (string) get_option( 'woocommerce_version', '' ),
			'hooks'       => $hooks,
		);
	}

	/**
	 * Late, with everything loaded: records the context (a write only when it changed, or to
	 * confirm it once an hour). One record per home URL pair: a site served under several hosts
	 * (WP_HOME set per server) has one context per host, and they must not overwrite each other.
	 */
	public static function remember(): void {
		$context = self::current();
		$slot    = self::slot( $context );
		$records = self::records();
		$record  = $records[ $slot ] ?? null;
		$fresh   = is_array( $record ) && ( $record['confirmed_at'] ?? 0 ) > time() - self::CONFIRMED_FOR / 2;
		if ( $fresh && ( $record['context'] ?? null ) === $context && ( $record['route_resolution'] ?? null ) === RestScope::wc_has_route_resolution() ) {
			return;
		}
		$records[ $slot ] = array(
			'context'          => $context,
			'route_resolution' => RestScope::wc_has_route_resolution(),
			'confirmed_at'     => time(),
		);
		uasort( $records, static fn( array $a, array $b ): int => $b['confirmed_at'] <=> $a['confirmed_at'] );
		update_option( self::OPTION, array_slice( $records, 0, self::MAX_RECORDS, true ), true );
	}

	/**
	 * Early: whether the context recorded for this host holds now. Returns what the early decision
	 * needs to know of the later world (whether WooCommerce resolves routes), or null: decide later.
	 *
	 * @return array{route_resolution: bool}|null
	 */
	public static function verified(): ?array {
		$context = self::current();
		$record  = self::records()[ self::slot( $context ) ] ?? null;
		if ( ! is_array( $record ) || ( $record['confirmed_at'] ?? 0 ) <= time() - self::CONFIRMED_FOR ) {
			return null;
		}
		if ( ( $record['context'] ?? null ) !== $context ) {
			return null;
		}
		return array( 'route_resolution' => (bool) ( $record['route_resolution'] ?? false ) );
	}

	/** @return array<string, array{context: array<string, mixed>, route_resolution: bool, confirmed_at: int}> */
	private static function records(): array {
		$records = get_option( self::OPTION );
		return is_array( $records ) ? array_filter( $records, 'is_array' ) : array();
	}

	/** @param array<string, mixed> $context */
	private static function slot( array $context ): string {
		return md5( $context['home_http'] . ' ' . $context['home_https'] );
	}

	/**
	 * Whether something other than WordPress itself can answer before Keysmith: another
	 * authenticator on determine_current_user before Keysmith's 14, another authentication error
	 * before Keysmith reports its own (15), or another rest_pre_dispatch before the permission check
	 * (10). Their answer would win later; early, Keysmith cannot know it, so it decides later.
	 */
	public static function others_judge_first(): bool {
		global $wp_filter;
		$firsts = array(
			'determine_current_user'     => array( 14, array( 'wp_validate_auth_cookie' ) ),
			'rest_authentication_errors' => array( 15, array() ),
			'rest_pre_dispatch'          => array( 10, array() ),
		);
		foreach ( $firsts as $hook => list( $before, $core ) ) {
			foreach ( $wp_filter[ $hook ]->callbacks ?? array() as $priority => $callbacks ) {
				if ( $priority >= $before ) {
					continue;
				}
				foreach ( $callbacks as $callback ) {
					$name = self::identify( $callback['function'] );
					if ( null !== $name && ! in_array( $name, $core, true ) ) {
						return true;
					}
				}
			}
		}
		return false;
	}

	/** Something changed what runs: the next request re-learns the context late. */
	public static function forget(): void {
		delete_option( self::OPTION );
		// With a persistent object cache, a request that read the option while another added it
		// can have left a copy outside 'alloptions', which delete_option() leaves alone for an
		// autoloaded option: it would keep answering with the context just forgotten.
		wp_cache_delete( self::OPTION, 'options' );
	}

	/**
	 * The callbacks on a hook as "priority identity", Keysmith's own and WooCommerce's REST
	 * authenticator left out; for determine_current_user only those that run before Keysmith
	 * (priority below 14) matter.
	 *
	 * @return list<string>
	 */
	private static function callbacks( string $hook ): array {
		global $wp_filter;
		if ( ! isset( $wp_filter[ $hook ] ) ) {
			return array();
		}
		$found = array();
		foreach ( $wp_filter[ $hook ]->callbacks as $priority => $callbacks ) {
			if ( 'determine_current_user' === $hook && $priority >= 14 ) {
				continue;
			}
			foreach ( $callbacks as $callback ) {
				$name = self::identify( $callback['function'] );
				if ( null !== $name ) {
					$found[] = $priority . ' ' . $name;
				}
			}
		}
		sort( $found );
		return $found;
	}

	/** A stable name for a callback; null for Keysmith's own and WooCommerce's authenticator. */
	private static function identify( mixed $callback ): ?string {
		if ( is_string( $callback ) ) {
			return str_starts_with( ltrim( $callback, '\\' ), 'Keysmith\\' ) ? null : $callback;
		}
		if ( is_array( $callback ) && isset( $callback[0], $callback[1] ) ) {
			$class = is_object( $callback[0] ) ? get_class( $callback[0] ) : (string) $callback[0];
			if ( str_starts_with( $class, 'Keysmith\\' ) || in_array( $class, self::KNOWN, true ) ) {
				return null;
			}
			return $class . '::' . $callback[1];
		}
		return $callback instanceof \Closure ? self::closure_name( $callback ) : get_debug_type( $callback );
	}

	/** Where a closure was written: closures of Keysmith's own files are Keysmith's. */
	private static function closure_name( \Closure $closure ): ?string {
		$reflection = new \ReflectionFunction( $closure );
		$file       = (string) $reflection->getFileName();
		if ( str_starts_with( $file, KEYSMITH_DIR . '/' ) ) {
			return null;
		}
		return 'closure ' . $file . ':' . $reflection->getStartLine();
	}
}
