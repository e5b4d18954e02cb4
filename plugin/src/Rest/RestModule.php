<?php
/**
 * Registers the keysmith/v1 REST API and holds what its controllers share: the capability
 * check and WordPress's paging headers.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Rest;

use Keysmith\Store\Paging;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;

final class RestModule {

	public const NAMESPACE = 'keysmith/v1';

	/** Who may use the API: the capability WooCommerce's own key screens require. */
	public const CAPABILITY = 'manage_woocommerce';

	public static function register(): void {
		add_action( 'rest_api_init', array( self::class, 'register_routes' ) );
	}

	public static function register_routes(): void {
		( new KeysController() )->register_routes();
		( new AuditController() )->register_routes();
	}

	/**
	 * 401 when nobody is logged in, 403 without manage_woocommerce (rest_authorization_required_code).
	 * Declared bool: `true` is a type only from PHP 8.2, and the plugin supports 8.1.
	 *
	 * @return true|WP_Error
	 */
	public static function check_permission(): bool|WP_Error {
		if ( current_user_can( self::CAPABILITY ) ) {
			return true;
		}
		return new WP_Error( 'keysmith_rest_forbidden', __( 'Sorry, you are not allowed to manage API keys.', 'keysmith' ), array( 'status' => rest_authorization_required_code() ) );
	}

	/**
	 * Whether a response gets its links: as in WordPress core's controllers (e.g. the posts
	 * controller), only when `_fields` leaves `_links` (or `_embedded`) in. WordPress applies
	 * `_fields` to the body itself, but adds `_links` after that, from the links the controller set.
	 *
	 * @param list<string> $fields WP_REST_Controller::get_fields_for_response().
	 */
	public static function links_wanted( array $fields ): bool {
		return rest_is_field_included( '_links', $fields ) || rest_is_field_included( '_embedded', $fields );
	}

	/** Cache-Control of responses that carry secrets: never stored by a browser or proxy. */
	public const NO_STORE = 'no-store, no-cache, must-revalidate, max-age=0, private';

	/**
	 * Marks the response as never cacheable. WordPress sends its own no-cache headers after the
	 * handler's (WP_REST_Server::serve_request), so they are adjusted too, for this request only.
	 */
	public static function no_store( WP_REST_Response $response ): WP_REST_Response {
		$response->header( 'Cache-Control', self::NO_STORE );
		$response->header( 'Pragma', 'no-cache' );
		add_filter(
			'nocache_headers',
			static function ( array $headers ): array {
				$headers['Cache-Control'] = self::NO_STORE;
				return $headers;
			}
		);
		return $response;
	}

	/**
	 * A page of a collection (GET /keys, GET /audit) as WordPress core answers one: the items with
	 * X-WP-Total, X-WP-TotalPages and prev/next Link headers; or, for a page past the last one
	 * (Store\Paging's rule, also for page numbers too large to compute), core's 400.
	 *
	 * @param list<array<string, mixed>> $items Prepared for the collection.
	 */
	public static function collection( array $items, WP_REST_Request $request, int $total, int $per_page, string $route ): WP_REST_Response|WP_Error {
		if ( Paging::of( (int) $request['page'], $per_page )->is_past_last( $total ) ) {
			return new WP_Error( 'keysmith_rest_invalid_page_number', __( 'The page number requested is larger than the number of pages available.', 'keysmith' ), array( 'status' => 400 ) );
		}
		return self::paginate( rest_ensure_response( $items ), $request, $total, $per_page, $route );
	}

	/** Adds X-WP-Total, X-WP-TotalPages and prev/next Link headers, as WordPress core collections do. */
	private static function paginate( WP_REST_Response $response, WP_REST_Request $request, int $total, int $per_page, string $route ): WP_REST_Response {
		$page  = (int) $request['page'];
		$pages = Paging::of( $page, $per_page )->pages( $total );
		$response->header( 'X-WP-Total', (string) $total );
		$response->header( 'X-WP-TotalPages', (string) $pages );
		$base = add_query_arg( urlencode_deep( $request->get_query_params() ), rest_url( $route ) );
		if ( $page > 1 ) {
			$response->link_header( 'prev', add_query_arg( 'page', min( $page - 1, max( 1, $pages ) ), $base ) );
		}
		if ( $page < $pages ) {
			$response->link_header( 'next', add_query_arg( 'page', $page + 1, $base ) );
		}
		return $response;
	}
}
