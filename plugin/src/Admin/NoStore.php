<?php
/**
 * Cache-Control for the admin responses that carry new secrets (the one-time views, the create and
 * rotate AJAX answers): no browser or proxy may store them.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

final class NoStore {

	public const CACHE_CONTROL = 'no-store, no-cache, must-revalidate, max-age=0, private';

	/**
	 * Sends the header now and keeps it when WordPress sends its no-cache headers again later in the
	 * request: the AJAX die handler behind wp_send_json() calls nocache_headers() after the handler
	 * ran, which would replace a plain header() with "no-cache" (cacheable to disk).
	 */
	public static function send(): void {
		add_filter( 'nocache_headers', array( self::class, 'filter_headers' ) );
		nocache_headers();
	}

	/**
	 * Filter `nocache_headers`.
	 *
	 * @param mixed $headers Header name => value.
	 * @return array<string, string>
	 */
	public static function filter_headers( $headers ): array {
		$headers                  = is_array( $headers ) ? $headers : array();
		$headers['Cache-Control'] = self::CACHE_CONTROL;
		return $headers;
	}
}
