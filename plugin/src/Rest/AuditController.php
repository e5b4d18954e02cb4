<?php
/**
 * REST controller for the audit trail: GET keysmith/v1/audit, newest first, paged.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Rest;

use Keysmith\Store\Actor;
use Keysmith\Store\AuditLog;
use Keysmith\Store\Dates;
use WP_Error;
use WP_REST_Controller;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

final class AuditController extends WP_REST_Controller {

	/** REST parameter => AuditLog::query() filter. */
	private const FILTERS = array(
		'key'    => 'key_id',
		'owner'  => 'key_owner',
		'actor'  => 'actor_id',
		'action' => 'action',
		'source' => 'source',
		'since'  => 'since',
		'until'  => 'until',
	);

	public function __construct() {
		$this->namespace = RestModule::NAMESPACE;
		$this->rest_base = 'audit';
	}

	public function register_routes(): void {
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base,
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_items' ),
					'permission_callback' => array( $this, 'get_items_permissions_check' ),
					'args'                => $this->get_collection_params(),
				),
				'schema' => array( $this, 'get_public_item_schema' ),
			)
		);
	}

	/**
	 * @param WP_REST_Request $request
	 * @return true|WP_Error
	 */
	public function get_items_permissions_check( $request ): bool|WP_Error {
		return RestModule::check_permission();
	}

	/** @param WP_REST_Request $request */
	public function get_items( $request ): WP_REST_Response|WP_Error {
		$filters = array();
		foreach ( self::FILTERS as $param => $filter ) {
			if ( null !== $request[ $param ] ) {
				$filters[ $filter ] = in_array( $param, array( 'since', 'until' ), true ) ? Dates::parse_utc( (string) $request[ $param ], $param ) : $request[ $param ];
			}
		}
		$per_page = (int) $request['per_page'];
		$found    = AuditLog::query( $filters, (int) $request['page'], $per_page );
		$items    = array();
		foreach ( $found['items'] as $event ) {
			$items[] = $this->prepare_response_for_collection( $this->prepare_item_for_response( $event, $request ) );
		}
		return RestModule::collection( $items, $request, $found['total'], $per_page, $this->namespace . '/' . $this->rest_base );
	}

	/**
	 * @param array<string, mixed> $item
	 * @param WP_REST_Request      $request
	 */
	public function prepare_item_for_response( $item, $request ): WP_REST_Response {
		$item['occurred_at'] = gmdate( 'Y-m-d\TH:i:s\Z', (int) strtotime( $item['occurred_at'] . ' UTC' ) );
		$item['details']     = (object) $item['details'];
		$fields              = $this->get_fields_for_response( $request );
		$data                = array_filter( $item, static fn( string $name ): bool => rest_is_field_included( $name, $fields ), ARRAY_FILTER_USE_KEY );
		$response            = rest_ensure_response( $this->filter_response_by_context( $data, $request['context'] ?? 'view' ) );
		if ( RestModule::links_wanted( $fields ) ) {
			$response->add_link( 'about', rest_url( RestModule::NAMESPACE . '/keys/' . (int) $item['key_id'] ) );
		}
		return $response;
	}

	public function get_item_schema(): array {
		if ( ! $this->schema ) {
			$this->schema = Schema::audit_event();
		}
		return $this->add_additional_fields_schema( $this->schema );
	}

	public function get_collection_params(): array {
		$id   = static fn( string $description, int $minimum = 1 ): array => array(
			'description' => $description,
			'type'        => 'integer',
			'minimum'     => $minimum,
		);
		$date = static fn( string $description ): array => array(
			'description'       => $description,
			'type'              => 'string',
			'validate_callback' => static function ( $value, $request, string $param ) {
				$valid = rest_validate_request_arg( $value, $request, $param );
				$date  = true === $valid ? Dates::parse_utc( (string) $value, $param ) : $valid;
				return $date instanceof WP_Error ? $date : true;
			},
		);
		return array(
			'context'  => $this->get_context_param( array( 'default' => 'view' ) ),
			'page'     => Params::page(),
			'per_page' => array(
				'description' => __( 'Maximum number of events per page.', 'keysmith' ),
				'type'        => 'integer',
				'default'     => 50,
				'minimum'     => 1,
				'maximum'     => Params::MAX_PER_PAGE,
			),
			'key'      => $id( __( 'Only events about this key ID.', 'keysmith' ) ),
			'owner'    => $id( __( 'Only events about keys of this user ID.', 'keysmith' ) ),
			'actor'    => $id( __( 'Only events done by this user ID (0: the system, e.g. expiry or WP-CLI without --user).', 'keysmith' ), 0 ),
			'action'   => array(
				'description' => __( 'Only this action (create, update, rotate, revoke, expire, user_deleted, ...).', 'keysmith' ),
				'type'        => 'string',
				'pattern'     => '^[a-z_]{1,32}$',
			),
			'source'   => array(
				'description' => __( 'Only events from this front end.', 'keysmith' ),
				'type'        => 'string',
				'enum'        => Actor::SOURCES,
			),
			'since'    => $date( __( 'Only events at or after this date (UTC, or relative such as -7 days).', 'keysmith' ) ),
			'until'    => $date( __( 'Only events before this date.', 'keysmith' ) ),
		);
	}
}
