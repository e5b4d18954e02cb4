<?php
/**
 * Which keys an operation applies to, plus list ordering. Immutable; build it with from_array(),
 * which validates everything and returns a WP_Error on bad input.
 *
 * Destructive operations (revoke, update, rotate) refuse an empty filter unless it was built with
 * `'all' => true`, so a forgotten flag never revokes every key.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

use WP_Error;

final class KeyFilter {

	public const PERMISSIONS = array( 'read', 'write', 'read_write' );
	public const ORDERBY     = array( 'key_id', 'description', 'user_id', 'permissions', 'last_access', 'created_at', 'expires_at' );

	/** Keys from_array() understands. */
	private const KEYS = array( 'ids', 'user_ids', 'permissions', 'sources', 'search', 'never_used', 'unused_since', 'created_after', 'created_before', 'expires_before', 'expired', 'failing', 'all', 'orderby', 'order' );

	/**
	 * @param list<int>    $ids            Only these key ids.
	 * @param list<int>    $user_ids       Only keys owned by these users.
	 * @param list<string> $permissions    Only keys with one of these permissions.
	 * @param list<string> $sources        Only keys made this way (KeySource values).
	 * @param string       $search         Substring of the description, or of the key ending (truncated_key).
	 * @param bool         $never_used     Only keys with last_access NULL.
	 * @param string|null  $unused_since   UTC: keys never used or last used before this instant.
	 * @param string|null  $created_after  UTC: keys created at or after (keys without metadata never match).
	 * @param string|null  $created_before UTC: keys created before (keys without metadata never match).
	 * @param string|null  $expires_before UTC: keys with an expiry before this instant (includes expired).
	 * @param bool         $expired        Only keys whose expiry has passed.
	 * @param bool         $failing        Only keys refused in the last 24 hours (KeyFailures).
	 * @param bool         $all            Explicitly every key (required for a destructive op without criteria).
	 * @param string       $orderby        One of self::ORDERBY.
	 * @param string       $order          'ASC' | 'DESC'.
	 */
	private function __construct(
		public readonly array $ids,
		public readonly array $user_ids,
		public readonly array $permissions,
		public readonly array $sources,
		public readonly string $search,
		public readonly bool $never_used,
		public readonly ?string $unused_since,
		public readonly ?string $created_after,
		public readonly ?string $created_before,
		public readonly ?string $expires_before,
		public readonly bool $expired,
		public readonly bool $failing,
		public readonly bool $all,
		public readonly string $orderby,
		public readonly string $order
	) {}

	/**
	 * Validates and builds a filter.
	 *
	 * Keys: ids int[]|int, user_ids int[]|int, permissions string|string[], sources string|string[]
	 * (KeySource values), search string,
	 * never_used bool, unused_since/created_after/created_before/expires_before date strings
	 * (see Dates::parse_utc), expired bool, failing bool, all bool, orderby, order (asc|desc).
	 * Numeric strings are accepted for ids (they arrive from forms and the CLI); unknown keys are an error.
	 *
	 * @param array<string, mixed> $args
	 */
	public static function from_array( array $args ): self|WP_Error {
		$unknown = array_diff( array_keys( $args ), self::KEYS );
		if ( array() !== $unknown ) {
			/* translators: %s: comma-separated filter names. */
			return self::error( sprintf( __( 'Unknown filter: %s.', 'keysmith' ), implode( ', ', $unknown ) ) );
		}
		// Every part is checked; the first error in this order is the one reported.
		$parts = array(
			'ids'         => self::id_list( $args['ids'] ?? array(), 'ids' ),
			'user_ids'    => self::id_list( $args['user_ids'] ?? array(), 'user_ids' ),
			'permissions' => self::permission_list( $args['permissions'] ?? array() ),
			'sources'     => self::source_list( $args['sources'] ?? array() ),
			'dates'       => self::dates( $args ),
			'search'      => is_string( $args['search'] ?? '' ) ? trim( $args['search'] ?? '' ) : self::error( __( 'The search filter must be a string.', 'keysmith' ) ),
			'order'       => self::ordering( $args ),
			'flags'       => self::flags( $args ),
		);
		foreach ( $parts as $part ) {
			if ( $part instanceof WP_Error ) {
				return $part;
			}
		}
		list( 'dates' => $dates, 'order' => $order, 'flags' => $flags ) = $parts;
		return new self(
			$parts['ids'],
			$parts['user_ids'],
			$parts['permissions'],
			$parts['sources'],
			$parts['search'],
			$flags['never_used'],
			$dates['unused_since'],
			$dates['created_after'],
			$dates['created_before'],
			$dates['expires_before'],
			$flags['expired'],
			$flags['failing'],
			$flags['all'],
			$order['orderby'],
			$order['order']
		);
	}

	/**
	 * The date filters, parsed to UTC (null when absent).
	 *
	 * @param array<string, mixed> $args
	 * @return array{unused_since:?string, created_after:?string, created_before:?string, expires_before:?string}|WP_Error
	 */
	private static function dates( array $args ): array|WP_Error {
		$dates = array();
		foreach ( array( 'unused_since', 'created_after', 'created_before', 'expires_before' ) as $field ) {
			$dates[ $field ] = null;
			if ( ! isset( $args[ $field ] ) || '' === $args[ $field ] ) {
				continue;
			}
			if ( ! is_string( $args[ $field ] ) ) {
				/* translators: %s: filter name. */
				return self::error( sprintf( __( 'The %s filter must be a date string.', 'keysmith' ), $field ) );
			}
			$dates[ $field ] = Dates::parse_utc( $args[ $field ], $field );
			if ( $dates[ $field ] instanceof WP_Error ) {
				return $dates[ $field ];
			}
		}
		return $dates;
	}

	/**
	 * orderby (default key_id) and order (default DESC: newest keys first).
	 *
	 * @param array<string, mixed> $args
	 * @return array{orderby:string, order:string}|WP_Error
	 */
	private static function ordering( array $args ): array|WP_Error {
		$orderby = $args['orderby'] ?? 'key_id';
		if ( ! is_string( $orderby ) || ! in_array( $orderby, self::ORDERBY, true ) ) {
			/* translators: %s: allowed values. */
			return self::error( sprintf( __( 'Invalid orderby; expected one of %s.', 'keysmith' ), implode( ', ', self::ORDERBY ) ) );
		}
		$order = strtoupper( is_string( $args['order'] ?? null ) ? $args['order'] : 'DESC' );
		if ( ! in_array( $order, array( 'ASC', 'DESC' ), true ) ) {
			return self::error( __( 'Invalid order; expected asc or desc.', 'keysmith' ) );
		}
		return array(
			'orderby' => $orderby,
			'order'   => $order,
		);
	}

	/**
	 * The boolean filters never_used, expired, failing and all.
	 *
	 * @param array<string, mixed> $args
	 * @return array{never_used:bool, expired:bool, failing:bool, all:bool}|WP_Error
	 */
	private static function flags( array $args ): array|WP_Error {
		$flags = array();
		foreach ( array( 'never_used', 'expired', 'failing', 'all' ) as $flag ) {
			$flags[ $flag ] = self::flag( $args[ $flag ] ?? false );
			if ( null === $flags[ $flag ] ) {
				/* translators: %s: filter name. */
				return self::error( sprintf( __( 'The %s filter must be true or false.', 'keysmith' ), $flag ) );
			}
		}
		return $flags;
	}

	/** A filter matching only the given key ids. */
	public static function by_ids( array $ids ): self|WP_Error {
		return self::from_array( array( 'ids' => $ids ) );
	}

	/** Whether any criterion narrows the selection (else it is the whole table). */
	public function has_criteria(): bool {
		return array() !== $this->ids || array() !== $this->user_ids || array() !== $this->permissions || array() !== $this->sources
			|| '' !== $this->search || $this->never_used || $this->expired || $this->failing
			|| null !== $this->unused_since || null !== $this->created_after
			|| null !== $this->created_before || null !== $this->expires_before;
	}

	/**
	 * Positive integer ids from an int, a list, or a comma-separated string ("3,5,8" from a CLI flag).
	 *
	 * @return list<int>|WP_Error
	 */
	private static function id_list( mixed $value, string $field ): array|WP_Error {
		if ( is_string( $value ) ) {
			$value = '' === trim( $value ) ? array() : explode( ',', $value );
		} elseif ( is_int( $value ) ) {
			$value = array( $value );
		}
		if ( ! is_array( $value ) ) {
			/* translators: %s: filter name. */
			return self::error( sprintf( __( 'The %s filter must be a list of ids.', 'keysmith' ), $field ) );
		}
		$ids = array();
		foreach ( $value as $id ) {
			if ( is_string( $id ) && 1 === preg_match( '/^\s*\d+\s*$/', $id ) ) {
				$id = (int) $id;
			}
			if ( ! is_int( $id ) || $id < 1 ) {
				/* translators: %s: filter name. */
				return self::error( sprintf( __( 'The %s filter must contain positive integer ids only.', 'keysmith' ), $field ) );
			}
			$ids[ $id ] = $id;
		}
		return array_values( $ids );
	}

	/** @return list<string>|WP_Error */
	private static function permission_list( mixed $value ): array|WP_Error {
		if ( is_string( $value ) ) {
			$value = '' === $value ? array() : explode( ',', $value );
		}
		if ( ! is_array( $value ) ) {
			return self::error( __( 'The permissions filter must be read, write or read_write.', 'keysmith' ) );
		}
		foreach ( $value as $permission ) {
			if ( ! in_array( $permission, self::PERMISSIONS, true ) ) {
				/* translators: %s: the value given. */
				return self::error( sprintf( __( 'Invalid permissions "%s": expected read, write or read_write.', 'keysmith' ), is_scalar( $permission ) ? (string) $permission : gettype( $permission ) ) );
			}
		}
		return array_values( array_unique( $value ) );
	}

	/** @return list<string>|WP_Error KeySource values, from a list or a comma-separated string. */
	private static function source_list( mixed $value ): array|WP_Error {
		if ( is_string( $value ) ) {
			$value = '' === $value ? array() : explode( ',', $value );
		}
		if ( ! is_array( $value ) ) {
			return self::invalid_source( gettype( $value ) );
		}
		foreach ( $value as $source ) {
			if ( ! in_array( $source, KeySource::ALL, true ) ) {
				return self::invalid_source( is_scalar( $source ) ? (string) $source : gettype( $source ) );
			}
		}
		return array_values( array_unique( $value ) );
	}

	private static function invalid_source( string $given ): WP_Error {
		/* translators: 1: the value given, 2: allowed values. */
		return self::error( sprintf( __( 'Invalid source "%1$s": expected %2$s.', 'keysmith' ), $given, implode( ', ', KeySource::ALL ) ) );
	}

	/** true/false, 1/0 and their string forms (CLI and form input); null when it is anything else. */
	private static function flag( mixed $value ): ?bool {
		if ( is_bool( $value ) ) {
			return $value;
		}
		$map = array( '1' => true, '0' => false, 'true' => true, 'false' => false, '' => false );
		$key = is_int( $value ) || is_string( $value ) ? strtolower( (string) $value ) : null;
		return null !== $key && array_key_exists( $key, $map ) ? $map[ $key ] : null;
	}

	private static function error( string $message ): WP_Error {
		return new WP_Error( 'keysmith_invalid_filter', $message, array( 'status' => 400 ) );
	}
}
