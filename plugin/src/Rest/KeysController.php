<?php
/**
 * REST controller for WooCommerce API keys: keysmith/v1/keys, keys/<id> and keys/batch.
 *
 * Shaped like WordPress core's application-passwords controller: argument schemas validate input
 * before anything runs (400 rest_invalid_param with per-field details), a permission callback
 * asks for `manage_woocommerce` (401 logged out, 403 without it), and the store
 * (Store\KeyService) does the work and enforces `edit_user` for owners. Every write is one
 * transaction in the store, so a refused request changes nothing.
 *
 * Secrets appear only in the responses that create them (POST /keys, rotate), sent with
 * `Cache-Control: no-store`.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Rest;

use Keysmith\Store\Actor;
use Keysmith\Store\KeyFilter;
use Keysmith\Store\KeyRecord;
use Keysmith\Store\KeyService;
use WP_Error;
use WP_REST_Controller;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

final class KeysController extends WP_REST_Controller {

	/** Filters GET /keys and batch `filter` understand: REST name => KeyFilter key. */
	private const FILTERS = array(
		'owner'          => 'user_ids',
		'permissions'    => 'permissions',
		'source'         => 'sources',
		'search'         => 'search',
		'unused_since'   => 'unused_since',
		'never_used'     => 'never_used',
		'expired'        => 'expired',
		'failing'        => 'failing',
		'expires_before' => 'expires_before',
		'created_after'  => 'created_after',
		'created_before' => 'created_before',
		'orderby'        => 'orderby',
		'order'          => 'order',
		'all'            => 'all',
	);

	private KeyService $service;

	public function __construct() {
		$this->namespace = RestModule::NAMESPACE;
		$this->rest_base = 'keys';
		$this->service   = new KeyService();
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
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'create_item' ),
					'permission_callback' => array( $this, 'create_item_permissions_check' ),
					'args'                => Params::create(),
				),
				'schema' => array( $this, 'get_public_item_schema' ),
			)
		);
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base . '/batch',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'batch_items' ),
					'permission_callback' => array( $this, 'update_item_permissions_check' ),
					'args'                => Params::batch(),
				),
			)
		);
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base . '/(?P<id>[\d]+)',
			array(
				'args'   => array(
					'id' => array(
						'description' => __( 'Unique identifier of the key (WooCommerce key_id).', 'keysmith' ),
						'type'        => 'integer',
					),
				),
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_item' ),
					'permission_callback' => array( $this, 'get_item_permissions_check' ),
					'args'                => array( 'context' => $this->get_context_param( array( 'default' => 'view' ) ) ),
				),
				array(
					'methods'             => WP_REST_Server::EDITABLE,
					'callback'            => array( $this, 'update_item' ),
					'permission_callback' => array( $this, 'update_item_permissions_check' ),
					'args'                => Params::changes(),
				),
				array(
					'methods'             => WP_REST_Server::DELETABLE,
					'callback'            => array( $this, 'delete_item' ),
					'permission_callback' => array( $this, 'delete_item_permissions_check' ),
				),
				'schema' => array( $this, 'get_public_item_schema' ),
			)
		);
	}

	// ----------------------------------------------------------------------------------------------
	// Permissions: every route needs manage_woocommerce, as WooCommerce's own key screens do.

	/**
	 * @param WP_REST_Request $request
	 * @return true|WP_Error
	 */
	public function get_items_permissions_check( $request ): bool|WP_Error {
		return RestModule::check_permission();
	}

	/**
	 * @param WP_REST_Request $request
	 * @return true|WP_Error
	 */
	public function get_item_permissions_check( $request ): bool|WP_Error {
		return RestModule::check_permission();
	}

	/**
	 * @param WP_REST_Request $request
	 * @return true|WP_Error
	 */
	public function create_item_permissions_check( $request ): bool|WP_Error {
		return RestModule::check_permission();
	}

	/**
	 * @param WP_REST_Request $request
	 * @return true|WP_Error
	 */
	public function update_item_permissions_check( $request ): bool|WP_Error {
		return RestModule::check_permission();
	}

	/**
	 * @param WP_REST_Request $request
	 * @return true|WP_Error
	 */
	public function delete_item_permissions_check( $request ): bool|WP_Error {
		return RestModule::check_permission();
	}

	// ----------------------------------------------------------------------------------------------
	// Handlers.

	/**
	 * GET /keys: one page of keys, with X-WP-Total and X-WP-TotalPages.
	 *
	 * @param WP_REST_Request $request
	 */
	public function get_items( $request ): WP_REST_Response|WP_Error {
		$filter = self::filter_from( $request->get_params() );
		if ( $filter instanceof WP_Error ) {
			return Errors::bad_filter( $filter );
		}
		$per_page = (int) $request['per_page'];
		$found    = $this->service->query( $filter, (int) $request['page'], $per_page );
		$items    = array();
		foreach ( $found['items'] as $record ) {
			$items[] = $this->prepare_response_for_collection( $this->prepare_item_for_response( $record, $request ) );
		}
		return RestModule::collection( $items, $request, $found['total'], $per_page, $this->namespace . '/' . $this->rest_base );
	}

	/**
	 * GET /keys/<id>.
	 *
	 * @param WP_REST_Request $request
	 */
	public function get_item( $request ): WP_REST_Response|WP_Error {
		$record = $this->find( (int) $request['id'] );
		return $record instanceof WP_Error ? $record : $this->prepare_item_for_response( $record, $request );
	}

	/**
	 * POST /keys: creates keys in bulk (201). The response is the only place the secrets appear.
	 *
	 * @param WP_REST_Request $request
	 */
	public function create_item( $request ): WP_REST_Response|WP_Error {
		$spec = array(
			'user_ids'    => $request['owner'],
			'count'       => $request['count'],
			'permissions' => $request['permissions'],
			'description' => $request['description'],
		);
		// Without expires_at the store applies the key-lifetime policy's default; null is "never".
		if ( $request->has_param( 'expires_at' ) ) {
			$spec['expires_at'] = '' === $request['expires_at'] ? null : $request['expires_at'];
		}
		$created = $this->service->create( $spec, Actor::current( 'rest' ) );
		if ( $created instanceof WP_Error ) {
			return Errors::from_store( $created );
		}
		$response = $this->new_keys_response( $created, $request );
		$response->set_status( 201 );
		return $response;
	}

	/**
	 * PATCH /keys/<id>: changes permissions, owner, description or expiry.
	 *
	 * @param WP_REST_Request $request
	 */
	public function update_item( $request ): WP_REST_Response|WP_Error {
		$record = $this->find( (int) $request['id'] );
		if ( $record instanceof WP_Error ) {
			return $record;
		}
		$changes = Params::changes_from( $request->get_params(), 'permissions' );
		if ( $changes instanceof WP_Error ) {
			return $changes;
		}
		$result = $this->service->update( KeyFilter::by_ids( array( $record->key_id ) ), $changes, Actor::current( 'rest' ) );
		if ( $result instanceof WP_Error ) {
			return Errors::from_store( $result );
		}
		// Read again for the new state; another request may have revoked the key since (404).
		$updated = $this->find( $record->key_id );
		if ( $updated instanceof WP_Error ) {
			return $updated;
		}
		$request->set_param( 'context', 'edit' );
		return $this->prepare_item_for_response( $updated, $request );
	}

	/**
	 * DELETE /keys/<id>: revokes the key (WooCommerce deletes revoked keys).
	 *
	 * @param WP_REST_Request $request
	 */
	public function delete_item( $request ): WP_REST_Response|WP_Error {
		$record = $this->find( (int) $request['id'] );
		if ( $record instanceof WP_Error ) {
			return $record;
		}
		$result = $this->service->revoke( KeyFilter::by_ids( array( $record->key_id ) ), Actor::current( 'rest' ) );
		if ( $result instanceof WP_Error ) {
			return Errors::from_store( $result );
		}
		return rest_ensure_response(
			array(
				'deleted'  => 1 === $result->changed,
				'previous' => $this->prepare_item_for_response( $record, self::nested_request() )->get_data(),
			)
		);
	}

	/**
	 * POST /keys/batch: revoke, update or rotate the keys given by `ids` or matching `filter`.
	 *
	 * @param WP_REST_Request $request
	 */
	public function batch_items( $request ): WP_REST_Response|WP_Error {
		$filter = Params::batch_filter( $request );
		if ( $filter instanceof WP_Error ) {
			return $filter;
		}
		$action  = (string) $request['action'];
		$changes = 'update' === $action ? Params::changes_from( (array) $request['changes'], 'changes' ) : array();
		if ( $changes instanceof WP_Error ) {
			return $changes;
		}
		$actor = Actor::current( 'rest' );
		if ( $request['dry_run'] ) {
			return $this->dry_run( $action, $filter, $changes, (int) $request['grace'], $actor );
		}
		if ( 'rotate' === $action ) {
			return $this->rotate( $filter, $actor, (int) $request['grace'], $request );
		}
		$result = 'revoke' === $action ? $this->service->revoke( $filter, $actor ) : $this->service->update( $filter, $changes, $actor );
		return $result instanceof WP_Error ? Errors::from_store( $result, 'update' === $action ? 'changes' : null ) : rest_ensure_response( $result->to_array() );
	}

	// ----------------------------------------------------------------------------------------------
	// Responses and schema.

	/**
	 * One key as the API shows it: dates in ISO 8601 (created_at / expires_at in UTC, with "Z";
	 * last_access as WooCommerce stores it, site-local), secrets only when just created.
	 *
	 * @param KeyRecord|array<string, mixed> $item
	 * @param WP_REST_Request                $request
	 */
	public function prepare_item_for_response( $item, $request ): WP_REST_Response {
		$data   = $item instanceof KeyRecord ? $item->to_array() : $item;
		$fields = $this->get_fields_for_response( $request );
		$out    = array();
		foreach ( array_keys( $this->get_item_schema()['properties'] ) as $name ) {
			if ( array_key_exists( $name, $data ) && rest_is_field_included( $name, $fields ) ) {
				$out[ $name ] = self::format_field( $name, $data[ $name ] );
			}
		}
		$context  = ! empty( $request['context'] ) ? (string) $request['context'] : 'view';
		$response = rest_ensure_response( $this->filter_response_by_context( $out, $context ) );
		if ( RestModule::links_wanted( $fields ) ) {
			$response->add_links( $this->prepare_links( (int) $data['key_id'], (int) $data['user_id'], isset( $data['rotated_from'] ) ? (int) $data['rotated_from'] : null ) );
		}
		return $response;
	}

	public function get_item_schema(): array {
		if ( $this->schema ) {
			return $this->add_additional_fields_schema( $this->schema );
		}
		$this->schema = Schema::key();
		return $this->add_additional_fields_schema( $this->schema );
	}

	public function get_collection_params(): array {
		return Params::collection( $this->get_context_param( array( 'default' => 'view' ) ) );
	}

	// ----------------------------------------------------------------------------------------------
	// Helpers.

	private function find( int $key_id ): KeyRecord|WP_Error {
		$record = $this->service->find( $key_id );
		return $record ?? new WP_Error( 'keysmith_rest_key_invalid_id', __( 'Invalid key ID.', 'keysmith' ), array( 'status' => 404 ) );
	}

	/**
	 * Keys just created or rotated, with their secrets, never cached.
	 *
	 * @param list<array<string, mixed>> $created
	 * @param array<string, mixed>       $extra   Fields merged into the body (batch summary).
	 */
	private function new_keys_response( array $created, WP_REST_Request $request, ?array $extra = null ): WP_REST_Response {
		// Nested keys ignore the top-level _fields (WordPress applies it to the whole body later).
		$request = null === $extra ? $request : self::nested_request();
		$request->set_param( 'context', 'edit' );
		$keys = array();
		foreach ( $created as $key ) {
			$keys[] = $this->prepare_response_for_collection( $this->prepare_item_for_response( $key, $request ) );
		}
		return RestModule::no_store( rest_ensure_response( null === $extra ? $keys : $extra + array( 'keys' => $keys ) ) );
	}

	private function rotate( KeyFilter $filter, Actor $actor, int $grace, WP_REST_Request $request ): WP_REST_Response|WP_Error {
		$rotation = $this->service->rotate( $filter, $actor, $grace );
		if ( $rotation instanceof WP_Error ) {
			return Errors::from_store( $rotation );
		}
		return $this->new_keys_response( $rotation->keys, $request, $rotation->to_array() );
	}

	/** A request for items shown inside another response: edit context, no _fields of its own. */
	private static function nested_request(): WP_REST_Request {
		$request = new WP_REST_Request();
		$request->set_param( 'context', 'edit' );
		return $request;
	}

	/**
	 * A batch dry run: the store makes every check the action would make (owner rule, dates,
	 * grace period, rotatable keys) and answers which keys it would change, writing nothing.
	 *
	 * @param array<string, mixed> $changes
	 */
	private function dry_run( string $action, KeyFilter $filter, array $changes, int $grace, Actor $actor ): WP_REST_Response|WP_Error {
		$probe = match ( $action ) {
			'update' => $this->service->update( $filter, $changes, $actor, true ),
			'rotate' => $this->service->rotate( $filter, $actor, $grace, dry_run: true ),
			default  => $this->service->revoke( $filter, $actor, true ),
		};
		return $probe instanceof WP_Error ? Errors::from_store( $probe, 'update' === $action ? 'changes' : null ) : rest_ensure_response( $probe->to_array() );
	}

	/**
	 * A KeyFilter from REST parameters (GET /keys query, or a batch `filter` object).
	 *
	 * @param array<string, mixed> $params
	 */
	public static function filter_from( array $params ): KeyFilter|WP_Error {
		$spec = array();
		foreach ( self::FILTERS as $param => $key ) {
			if ( isset( $params[ $param ] ) && array() !== $params[ $param ] ) {
				$spec[ $key ] = $params[ $param ];
			}
		}
		if ( isset( $params['ids'] ) ) {
			$spec['ids'] = $params['ids'];
		}
		return KeyFilter::from_array( $spec );
	}

	private static function format_field( string $name, mixed $value ): mixed {
		if ( null === $value ) {
			return null;
		}
		if ( in_array( $name, array( 'created_at', 'expires_at', 'last_failure' ), true ) ) {
			return gmdate( 'Y-m-d\TH:i:s\Z', (int) strtotime( $value . ' UTC' ) );
		}
		return 'last_access' === $name ? mysql_to_rfc3339( (string) $value ) : $value;
	}

	/** @return array<string, array<string, mixed>> */
	private function prepare_links( int $key_id, int $user_id, ?int $rotated_from ): array {
		$base  = $this->namespace . '/' . $this->rest_base;
		$links = array(
			'self'       => array( 'href' => rest_url( "$base/$key_id" ) ),
			'collection' => array( 'href' => rest_url( $base ) ),
			'author'     => array(
				'href'       => rest_url( 'wp/v2/users/' . $user_id ),
				'embeddable' => true,
			),
		);
		if ( null !== $rotated_from ) {
			$links['predecessor-version'] = array( 'href' => rest_url( "$base/$rotated_from" ) );
		}
		return $links;
	}
}
