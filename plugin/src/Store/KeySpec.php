<?php
/**
 * What the store accepts as input: the fields of a create spec and of an update's changes, their
 * limits, and their validation with WooCommerce's rules (docs/woocommerce-compatibility.md §2.5.1)
 * where Keysmith does not deliberately differ. Every error is a WP_Error with status 400 (403 for
 * the ownership rule), so a front end can show it as it is.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

use Keysmith\Keys\Expiry;
use WP_Error;

final class KeySpec {

	/** Most keys one create() or rotate() call makes (create: count per user × number of users). */
	public const MAX_CREATE = 10000;

	/** Longest description WooCommerce's column holds (varchar(200)). */
	public const MAX_DESCRIPTION = 200;

	/** Description template used when the spec gives none. */
	public const DEFAULT_DESCRIPTION = 'Keysmith {date} #{n}';

	/** Longest rotation grace period: one year. */
	public const MAX_GRACE_SECONDS = 31536000;

	/** Fields a create spec may have. */
	private const CREATE_FIELDS = array( 'user_ids', 'user_id', 'count', 'permissions', 'description', 'expires_at' );

	/** Fields an update may change. */
	private const CHANGE_FIELDS = array( 'permissions', 'user_id', 'description', 'expires_at' );

	/**
	 * Validates a create spec (see KeyService::create()) and expands it into one row per key to
	 * create, without key material, owner by owner then in {n} order.
	 *
	 * @param array<string, mixed> $spec
	 * @return list<array{user_id:int, description:string, permissions:string, expires_at:?string, rotated_from:null}>|WP_Error
	 */
	public static function plan_create( array $spec, Actor $actor ): array|WP_Error {
		$unknown = array_diff( array_keys( $spec ), self::CREATE_FIELDS );
		if ( array() !== $unknown ) {
			/* translators: %s: comma-separated field names. */
			return self::error( 'keysmith_invalid_spec', sprintf( __( 'Unknown field: %s.', 'keysmith' ), implode( ', ', $unknown ) ) );
		}
		$owners = self::owners( $spec['user_ids'] ?? ( $spec['user_id'] ?? null ), $actor );
		if ( $owners instanceof WP_Error ) {
			return $owners;
		}
		$count       = self::create_count( $spec['count'] ?? 1, count( $owners ) );
		$permissions = self::permissions( $spec['permissions'] ?? null );
		$expires_at  = self::new_key_expiry( $spec );
		$template    = $spec['description'] ?? self::DEFAULT_DESCRIPTION;
		if ( ! is_string( $template ) || '' === sanitize_text_field( $template ) ) {
			$template = self::error( 'keysmith_invalid_description', __( 'Description is missing.', 'keysmith' ) );
		}
		foreach ( array( $count, $permissions, $expires_at, $template ) as $value ) {
			if ( $value instanceof WP_Error ) {
				return $value; // The first error in the order the fields are documented.
			}
		}
		return self::expand_rows( $owners, $template, $count, $permissions, $expires_at );
	}

	/**
	 * Validates an update's changes (see KeyService::update()).
	 *
	 * @param array<string, mixed> $changes
	 * @return array<string, mixed>|WP_Error The changes as they will be written.
	 */
	public static function changes( array $changes, Actor $actor ): array|WP_Error {
		$unknown = array_diff( array_keys( $changes ), self::CHANGE_FIELDS );
		if ( array() !== $unknown || array() === $changes ) {
			return self::error(
				'keysmith_invalid_changes',
				/* translators: %s: allowed field names. */
				sprintf( __( 'Give at least one change, among: %s.', 'keysmith' ), implode( ', ', self::CHANGE_FIELDS ) )
			);
		}
		$valid = array();
		if ( array_key_exists( 'permissions', $changes ) ) {
			$valid['permissions'] = self::permissions( $changes['permissions'] );
		}
		if ( array_key_exists( 'user_id', $changes ) ) {
			$owners           = self::owners( $changes['user_id'], $actor );
			$valid['user_id'] = $owners instanceof WP_Error ? $owners : (int) array_key_first( $owners );
			if ( is_array( $changes['user_id'] ) && count( $changes['user_id'] ) > 1 ) {
				$valid['user_id'] = self::error( 'keysmith_invalid_user', __( 'Give one new owner.', 'keysmith' ) );
			}
		}
		if ( array_key_exists( 'description', $changes ) ) {
			$valid['description'] = self::description( $changes['description'] );
		}
		if ( array_key_exists( 'expires_at', $changes ) ) {
			$valid['expires_at'] = self::allowed_date( $changes['expires_at'] );
		}
		foreach ( $valid as $value ) {
			if ( $value instanceof WP_Error ) {
				return $value;
			}
		}
		return $valid;
	}

	/** A rotation's grace period: null when it is valid (0 seconds to one year). */
	public static function refuse_grace( int $seconds ): ?WP_Error {
		if ( $seconds >= 0 && $seconds <= self::MAX_GRACE_SECONDS ) {
			return null;
		}
		return self::error( 'keysmith_invalid_grace', __( 'The grace period must be between 0 seconds and one year.', 'keysmith' ) );
	}

	/** WooCommerce's refusal when the actor may not give keys to a user (Actor::can_assign_to()). */
	public static function cannot_assign(): WP_Error {
		return self::error( 'keysmith_cannot_assign', __( 'You do not have permission to assign API Keys to the selected user.', 'keysmith' ), 403 );
	}

	/** Keys per owner: 1 or more, and at most MAX_CREATE over all owners. */
	private static function create_count( mixed $value, int $owners ): int|WP_Error {
		$count = self::int_value( $value );
		if ( null !== $count && $count >= 1 && $count * $owners <= self::MAX_CREATE ) {
			return $count;
		}
		if ( $owners <= 1 ) {
			/* translators: %d: maximum number of keys. */
			return self::error( 'keysmith_invalid_count', sprintf( __( 'The number of keys must be between 1 and %d.', 'keysmith' ), self::MAX_CREATE ) );
		}
		return self::error(
			'keysmith_invalid_count',
			/* translators: 1: maximum number of keys, 2: number of users. */
			sprintf( _n( 'The number of keys must be between 1 and %1$d in all (count per user × %2$d user).', 'The number of keys must be between 1 and %1$d in all (count per user × %2$d users).', $owners, 'keysmith' ), self::MAX_CREATE, $owners )
		);
	}

	/**
	 * One row per key to create, owner by owner, with the description template expanded.
	 *
	 * @param array<int, string> $owners User id => login.
	 * @return list<array{user_id:int, description:string, permissions:string, expires_at:?string, rotated_from:null}>|WP_Error
	 */
	private static function expand_rows( array $owners, string $template, int $count, string $permissions, ?string $expires_at ): array|WP_Error {
		$rows = array();
		foreach ( $owners as $user_id => $login ) {
			$descriptions = self::expand( $template, $login, $count );
			if ( $descriptions instanceof WP_Error ) {
				return $descriptions;
			}
			foreach ( $descriptions as $description ) {
				$rows[] = array(
					'user_id'      => $user_id,
					'description'  => $description,
					'permissions'  => $permissions,
					'expires_at'   => $expires_at,
					'rotated_from' => null,
				);
			}
		}
		return $rows;
	}

	/**
	 * Owners that exist and that $actor may assign keys to, as user id => user_login.
	 *
	 * @return array<int, string>|WP_Error
	 */
	private static function owners( mixed $value, Actor $actor ): array|WP_Error {
		$filter = KeyFilter::from_array( array( 'user_ids' => $value ?? array() ) );
		if ( $filter instanceof WP_Error || array() === $filter->user_ids ) {
			return self::error( 'keysmith_invalid_user', __( 'User is missing.', 'keysmith' ) );
		}
		$ids    = $filter->user_ids;
		$found  = UserResolver::logins( $ids );
		$owners = array();
		foreach ( $ids as $id ) {
			if ( ! isset( $found[ $id ] ) ) {
				/* translators: %d: user id. */
				return self::error( 'keysmith_unknown_user', sprintf( __( 'User %d does not exist.', 'keysmith' ), $id ) );
			}
			if ( ! $actor->can_assign_to( $id ) ) {
				return self::cannot_assign();
			}
			$owners[ $id ] = $found[ $id ];
		}
		return $owners;
	}

	/**
	 * The descriptions of one owner's keys: {n} = 1..count, {user} = the owner's login, {date} =
	 * today's UTC date. The template is sanitized once per owner and {n} inserted afterwards (digits
	 * cannot change what sanitize_text_field does), except when it holds a '%', where the inserted
	 * digits could form a %xx octet that sanitize_text_field strips.
	 *
	 * @return list<string>|WP_Error
	 */
	private static function expand( string $template, string $login, int $count ): array|WP_Error {
		$base    = str_replace( array( '{user}', '{date}' ), array( $login, gmdate( 'Y-m-d' ) ), $template );
		$clean   = sanitize_text_field( $base );
		$slow    = str_contains( $clean, '%' );
		$longest = $slow ? sanitize_text_field( str_replace( '{n}', (string) $count, $base ) ) : str_replace( '{n}', (string) $count, $clean );
		if ( mb_strlen( $longest ) > self::MAX_DESCRIPTION ) {
			return self::description_too_long();
		}
		$out = array();
		for ( $n = 1; $n <= $count; $n++ ) {
			$out[] = $slow ? sanitize_text_field( str_replace( '{n}', (string) $n, $base ) ) : str_replace( '{n}', (string) $n, $clean );
		}
		return $out;
	}

	/** Exactly read, write or read_write: where WooCommerce's form stores "read" for anything else, the store refuses. */
	private static function permissions( mixed $value ): string|WP_Error {
		if ( null === $value || '' === $value ) {
			return self::error( 'keysmith_invalid_permissions', __( 'Permissions is missing.', 'keysmith' ) );
		}
		if ( ! in_array( $value, KeyFilter::PERMISSIONS, true ) ) {
			/* translators: %s: the value given. */
			return self::error( 'keysmith_invalid_permissions', sprintf( __( 'Invalid permissions "%s": expected read, write or read_write.', 'keysmith' ), is_scalar( $value ) ? (string) $value : gettype( $value ) ) );
		}
		return $value;
	}

	private static function description( mixed $value ): string|WP_Error {
		if ( ! is_string( $value ) || '' === sanitize_text_field( $value ) ) {
			return self::error( 'keysmith_invalid_description', __( 'Description is missing.', 'keysmith' ) );
		}
		$clean = sanitize_text_field( $value );
		return mb_strlen( $clean ) > self::MAX_DESCRIPTION ? self::description_too_long() : $clean;
	}

	private static function description_too_long(): WP_Error {
		/* translators: %d: maximum length. */
		return self::error( 'keysmith_description_too_long', sprintf( __( 'The description is longer than %d characters.', 'keysmith' ), self::MAX_DESCRIPTION ) );
	}

	/**
	 * The expiry of new keys: the one asked for, within the key-lifetime policy's maximum, or, when
	 * the spec has no `expires_at` at all, the policy's default (KeyPolicy).
	 *
	 * @param array<string, mixed> $spec
	 */
	private static function new_key_expiry( array $spec ): string|null|WP_Error {
		return array_key_exists( 'expires_at', $spec ) ? self::allowed_date( $spec['expires_at'] ) : KeyPolicy::current()->expiry_for_new_key( time() );
	}

	/** An expiry asked for (null or '' = never): a valid future date within the policy's maximum. */
	private static function allowed_date( mixed $value ): string|null|WP_Error {
		$date = self::future_date( $value );
		return $date instanceof WP_Error ? $date : ( KeyPolicy::current()->refuse( $date, time() ) ?? $date );
	}

	/**
	 * Null stays null (never expires), and so does '' (an empty form field); anything else must be
	 * a valid date (Dates::parse_utc) that has not passed (Expiry).
	 */
	private static function future_date( mixed $value ): string|null|WP_Error {
		if ( null === $value || '' === $value ) {
			return null;
		}
		if ( ! is_string( $value ) ) {
			return self::error( 'keysmith_invalid_date', __( 'The expiry must be a date string or null.', 'keysmith' ) );
		}
		$date = Dates::parse_utc( $value, 'expires_at' );
		if ( is_string( $date ) && Expiry::has_passed( $date, time() ) ) {
			/* translators: %s: the date given. */
			return self::error( 'keysmith_invalid_date', sprintf( __( 'The expiry %s is not in the future.', 'keysmith' ), $value ) );
		}
		return $date;
	}

	/** An int, or a string of digits (CLI and form input); null otherwise. */
	private static function int_value( mixed $value ): ?int {
		if ( is_int( $value ) ) {
			return $value;
		}
		return is_string( $value ) && 1 === preg_match( '/^\d{1,9}$/', $value ) ? (int) $value : null;
	}

	private static function error( string $code, string $message, int $status = 400 ): WP_Error {
		return new WP_Error( $code, $message, array( 'status' => $status ) );
	}
}
