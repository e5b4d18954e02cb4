<?php
/**
 * The audit view's filters as GET query arguments, translated for Store\AuditLog::query().
 *
 * Arguments: ks_audit_action, ks_source, ks_key_id, ks_actor (id, login or email; 0 = the system),
 * ks_since / ks_until (YYYY-MM-DD, UTC days, both inclusive).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use Keysmith\Store\Actor;
use Keysmith\Store\Dates;
use Keysmith\Store\UserResolver;
use WP_Error;

final class AuditRequest {

	public const ARGS = array( 'ks_audit_action', 'ks_source', 'ks_key_id', 'ks_actor', 'ks_since', 'ks_until' );

	/** Actions the store and the auth path write (AuditLog's header). */
	public const ACTIONS = array( 'create', 'revoke', 'update', 'rotate', 'expire', 'user_deleted', 'sealing_on', 'sealing_off', 'sealing_rotate' );

	/** @param array<string, string> $values */
	private function __construct( public readonly array $values ) {}

	public static function from_get(): self {
		return self::from_array( wp_unslash( $_GET ) ); // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- read-only filters.
	}

	/** @param array<string, mixed> $fields Unslashed. */
	public static function from_array( array $fields ): self {
		$values = array();
		foreach ( self::ARGS as $arg ) {
			$raw = isset( $fields[ $arg ] ) && is_string( $fields[ $arg ] ) ? trim( sanitize_text_field( $fields[ $arg ] ) ) : '';
			if ( '' !== $raw ) {
				$values[ $arg ] = $raw;
			}
		}
		return new self( $values );
	}

	public function get( string $arg ): string {
		return $this->values[ $arg ] ?? '';
	}

	/** @return array<string, mixed>|WP_Error Filters for AuditLog::query(). */
	public function to_query(): array|WP_Error {
		$query = array();
		if ( '' !== $this->get( 'ks_audit_action' ) ) {
			$query['action'] = sanitize_key( $this->get( 'ks_audit_action' ) );
		}
		if ( in_array( $this->get( 'ks_source' ), Actor::SOURCES, true ) ) {
			$query['source'] = $this->get( 'ks_source' );
		}
		if ( '' !== $this->get( 'ks_key_id' ) ) {
			if ( 1 !== preg_match( '/^\d+$/', $this->get( 'ks_key_id' ) ) ) {
				return new WP_Error( 'keysmith_invalid_filter', __( 'The key ID must be a number.', 'keysmith' ) );
			}
			$query['key_id'] = (int) $this->get( 'ks_key_id' );
		}
		if ( '0' === $this->get( 'ks_actor' ) ) {
			$query['actor_id'] = 0; // The system: expiry, user deletion, WP-CLI without --user.
		} elseif ( '' !== $this->get( 'ks_actor' ) ) {
			$user = UserResolver::user( $this->get( 'ks_actor' ) );
			if ( $user instanceof WP_Error ) {
				return $user;
			}
			$query['actor_id'] = (int) $user->ID;
		}
		foreach ( array( 'ks_since' => 'since', 'ks_until' => 'until' ) as $arg => $key ) {
			if ( '' === $this->get( $arg ) ) {
				continue;
			}
			$date = Dates::parse_utc( $this->get( $arg ), $arg );
			if ( $date instanceof WP_Error ) {
				return $date;
			}
			// "Until" a day includes that whole day.
			$query[ $key ] = 'until' === $key && 1 === preg_match( '/^\d{4}-\d{2}-\d{2}$/', $this->get( $arg ) ) ? gmdate( Dates::FORMAT, (int) strtotime( $date . ' UTC +1 day' ) ) : $date;
		}
		return $query;
	}
}
