<?php
/**
 * Argument schemas of keysmith/v1 and the little glue that turns validated arguments into store
 * input. WordPress validates these before a handler runs, so a wrong type, value or date answers
 * 400 rest_invalid_param with per-field details and nothing runs at all.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Rest;

use Keysmith\Store\Dates;
use Keysmith\Store\KeyFilter;
use Keysmith\Store\KeySource;
use Keysmith\Store\KeySpec;
use WP_Error;
use WP_REST_Request;

final class Params {

	/** Largest page (WordPress core collections allow 100). */
	public const MAX_PER_PAGE = 100;

	/** Fields a change (PATCH /keys/<id>, batch update `changes`) may carry: REST name => store name. */
	private const CHANGE_FIELDS = array(
		'permissions' => 'permissions',
		'owner'       => 'user_id',
		'description' => 'description',
		'expires_at'  => 'expires_at',
	);

	/** GET /keys. */
	public static function collection( array $context ): array {
		return array(
			'context'  => $context,
			'page'     => self::page(),
			'per_page' => array(
				'description' => __( 'Maximum number of keys per page.', 'keysmith' ),
				'type'        => 'integer',
				'default'     => 20,
				'minimum'     => 1,
				'maximum'     => self::MAX_PER_PAGE,
			),
			'orderby'  => array(
				'description' => __( 'Sort keys by this field.', 'keysmith' ),
				'type'        => 'string',
				'default'     => 'key_id',
				'enum'        => KeyFilter::ORDERBY,
			),
			'order'    => array(
				'description' => __( 'Sort direction.', 'keysmith' ),
				'type'        => 'string',
				'default'     => 'desc',
				'enum'        => array( 'asc', 'desc' ),
			),
		) + self::filters();
	}

	/** `page` of a paged collection (GET /keys, GET /audit). */
	public static function page(): array {
		return array(
			'description' => __( 'Current page of the collection.', 'keysmith' ),
			'type'        => 'integer',
			'default'     => 1,
			'minimum'     => 1,
		);
	}

	/** The key filters shared by GET /keys and the batch `filter` object. */
	public static function filters(): array {
		return array(
			'owner'          => array(
				'description' => __( 'Only keys of these user IDs.', 'keysmith' ),
				'type'        => 'array',
				'items'       => array(
					'type'    => 'integer',
					'minimum' => 1,
				),
			),
			'permissions'    => array(
				'description' => __( 'Only keys with these permissions.', 'keysmith' ),
				'type'        => 'array',
				'items'       => array(
					'type' => 'string',
					'enum' => KeyFilter::PERMISSIONS,
				),
			),
			'source'         => array(
				'description' => __( 'Only keys made this way: keysmith, woocommerce (WooCommerce\'s Add key screen), wc-auth (app authorization) or unknown.', 'keysmith' ),
				'type'        => 'array',
				'items'       => array(
					'type' => 'string',
					'enum' => KeySource::ALL,
				),
			),
			'search'         => array(
				'description' => __( 'Only keys whose description or last 7 key characters contain this text.', 'keysmith' ),
				'type'        => 'string',
			),
			'unused_since'   => self::date( __( 'Only keys never used, or last used before this date.', 'keysmith' ) ),
			'never_used'     => array(
				'description' => __( 'Only keys never used.', 'keysmith' ),
				'type'        => 'boolean',
			),
			'expired'        => array(
				'description' => __( 'Only keys whose expiry has passed.', 'keysmith' ),
				'type'        => 'boolean',
			),
			'failing'        => array(
				'description' => __( 'Only keys with requests refused in the last 24 hours.', 'keysmith' ),
				'type'        => 'boolean',
			),
			'expires_before' => self::date( __( 'Only keys expiring before this date (expired ones included).', 'keysmith' ) ),
			'created_after'  => self::date( __( 'Only keys created at or after this date.', 'keysmith' ) ),
			'created_before' => self::date( __( 'Only keys created before this date.', 'keysmith' ) ),
		);
	}

	/** POST /keys. */
	public static function create(): array {
		return array(
			'owner'       => array(
				'description' => __( 'User ID (or IDs) the keys act as; each gets `count` keys. Assigning to another user needs edit_user on them.', 'keysmith' ),
				'type'        => 'array',
				'items'       => array(
					'type'    => 'integer',
					'minimum' => 1,
				),
				'minItems'    => 1,
				'required'    => true,
			),
			'count'       => array(
				'description' => __( 'Keys per owner.', 'keysmith' ),
				'type'        => 'integer',
				'default'     => 1,
				'minimum'     => 1,
				'maximum'     => KeySpec::MAX_CREATE,
			),
			'permissions' => array(
				'description' => __( 'What the keys may do.', 'keysmith' ),
				'type'        => 'string',
				'default'     => 'read',
				'enum'        => KeyFilter::PERMISSIONS,
			),
			'description' => array(
				'description' => __( 'Description template: {n} = 1..count, {user} = owner login, {date} = today (UTC).', 'keysmith' ),
				'type'        => 'string',
				'default'     => KeySpec::DEFAULT_DESCRIPTION,
				'minLength'   => 1,
			),
			'expires_at'  => self::date( __( 'When the keys stop working (null: never; left out: the key-lifetime policy\'s default). Refused beyond the policy\'s maximum lifetime.', 'keysmith' ), true ),
		);
	}

	/** PATCH /keys/<id> (also the properties of the batch `changes` object). */
	public static function changes(): array {
		return array(
			'permissions' => array(
				'description' => __( 'New permissions.', 'keysmith' ),
				'type'        => 'string',
				'enum'        => KeyFilter::PERMISSIONS,
			),
			'owner'       => array(
				'description' => __( 'New owner (user ID).', 'keysmith' ),
				'type'        => 'integer',
				'minimum'     => 1,
			),
			'description' => array(
				'description' => __( 'New description.', 'keysmith' ),
				'type'        => 'string',
				'minLength'   => 1,
				'maxLength'   => KeySpec::MAX_DESCRIPTION,
			),
			'expires_at'  => self::date( __( 'New expiry; null removes it.', 'keysmith' ), true ),
		);
	}

	/** POST /keys/batch. */
	public static function batch(): array {
		$filter        = self::as_properties( self::filters() );
		$filter['all'] = array(
			'description' => __( 'Explicitly every key (needed when no other filter is given).', 'keysmith' ),
			'type'        => 'boolean',
		);
		$changes = self::as_properties( self::changes() );
		return array(
			'action'  => array(
				'description' => __( 'What to do with the keys.', 'keysmith' ),
				'type'        => 'string',
				'enum'        => array( 'revoke', 'update', 'rotate' ),
				'required'    => true,
			),
			'ids'     => array(
				'description' => __( 'Key IDs (give either ids or filter).', 'keysmith' ),
				'type'        => 'array',
				'items'       => array(
					'type'    => 'integer',
					'minimum' => 1,
				),
				'minItems'    => 1,
			),
			'filter'  => array(
				'description'          => __( 'Which keys, as in GET /keys (give either ids or filter).', 'keysmith' ),
				'type'                 => 'object',
				'properties'           => $filter,
				'additionalProperties' => false,
			),
			'changes' => array(
				'description'          => __( 'For action=update: the new values.', 'keysmith' ),
				'type'                 => 'object',
				'properties'           => $changes,
				'additionalProperties' => false,
			),
			'grace'   => array(
				'description' => __( 'For action=rotate, required: seconds the old keys keep working (0: revoked at once).', 'keysmith' ),
				'type'        => 'integer',
				'minimum'     => 0,
				'maximum'     => KeySpec::MAX_GRACE_SECONDS,
			),
			'dry_run' => array(
				'description' => __( 'Make every check of the action and report which keys it would change; change nothing.', 'keysmith' ),
				'type'        => 'boolean',
				'default'     => false,
			),
		);
	}

	/**
	 * Top-level argument schemas reused as properties of an object argument, without their
	 * validate_callback: WordPress never calls one on a property, and a closure has no place in the
	 * published schema. The store checks those values (dates); Errors maps its refusal to a 400.
	 *
	 * @param array<string, array<string, mixed>> $args
	 * @return array<string, array<string, mixed>>
	 */
	private static function as_properties( array $args ): array {
		return array_map(
			static function ( array $arg ): array {
				unset( $arg['validate_callback'] );
				return $arg;
			},
			$args
		);
	}

	/**
	 * The store's changes from request fields; only fields present count (null expiry = remove it).
	 *
	 * @param array<string, mixed> $params
	 * @param string               $blame  Field named in the error when there is no change at all.
	 * @return array<string, mixed>|WP_Error
	 */
	public static function changes_from( array $params, string $blame ): array|WP_Error {
		$changes = array();
		foreach ( self::CHANGE_FIELDS as $name => $store_name ) {
			if ( array_key_exists( $name, $params ) ) {
				$changes[ $store_name ] = 'expires_at' === $name && '' === $params[ $name ] ? null : $params[ $name ];
			}
		}
		if ( array() === $changes ) {
			$message = __( 'Give at least one change: permissions, owner, description or expires_at.', 'keysmith' );
			return Errors::invalid_param( $blame, $message, 'keysmith_invalid_changes' );
		}
		return $changes;
	}

	/**
	 * The keys a batch applies to: exactly one of `ids` and `filter`; and the field its action
	 * cannot do without (changes for update; grace for rotate, which has no default so that
	 * leaving it out never revokes the old keys at once).
	 */
	public static function batch_filter( WP_REST_Request $request ): KeyFilter|WP_Error {
		$has_ids    = null !== $request['ids'];
		$has_filter = null !== $request['filter'];
		if ( $has_ids === $has_filter ) {
			return Errors::invalid_param( 'ids', __( 'Give either ids or filter (exactly one).', 'keysmith' ), 'keysmith_invalid_selection' );
		}
		if ( 'update' === $request['action'] && null === $request['changes'] ) {
			return Errors::invalid_param( 'changes', __( 'action=update needs changes.', 'keysmith' ), 'keysmith_invalid_changes' );
		}
		if ( 'rotate' === $request['action'] && null === $request['grace'] ) {
			return Errors::invalid_param( 'grace', __( 'action=rotate needs grace: the seconds the old keys keep working (0 revokes them at once).', 'keysmith' ), 'keysmith_invalid_grace' );
		}
		$filter = $has_ids ? KeyFilter::by_ids( (array) $request['ids'] ) : KeysController::filter_from( (array) $request['filter'] );
		return $filter instanceof WP_Error ? Errors::bad_filter( $filter, $has_ids ? 'ids' : 'filter' ) : $filter;
	}

	/** A date argument: the formats Store\Dates accepts, checked before the handler runs. */
	private static function date( string $description, bool $nullable = false ): array {
		return array(
			'description'       => $description . ' ' . __( 'YYYY-MM-DD, YYYY-MM-DD HH:MM:SS (UTC), ISO 8601, or relative such as +30 days.', 'keysmith' ),
			'type'              => $nullable ? array( 'string', 'null' ) : 'string',
			'validate_callback' => static function ( $value, $request, string $param ) {
				$valid = rest_validate_request_arg( $value, $request, $param );
				if ( true !== $valid || null === $value || '' === $value ) {
					return $valid;
				}
				$date = Dates::parse_utc( (string) $value, $param );
				return $date instanceof WP_Error ? $date : true;
			},
		);
	}
}
