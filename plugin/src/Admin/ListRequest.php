<?php
/**
 * The key list's filters as plain GET query arguments (bookmarkable, no JavaScript needed), and
 * their translation into a Store\KeyFilter.
 *
 * Query arguments: s (description or key ending), ks_user (id, login or email), ks_permissions,
 * ks_source (where keys were made),
 * ks_usage (never | unused_since) + ks_unused_since (date), ks_expiry (expired | before) +
 * ks_expires_before (date), ks_failing (1: keys refused in the last 24 hours), orderby, order.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use Keysmith\Store\KeyFilter;
use Keysmith\Store\UserResolver;
use WP_Error;

final class ListRequest {

	/** Filter query arguments this screen understands, in the order they are shown. */
	public const ARGS = array( 's', 'ks_user', 'ks_permissions', 'ks_source', 'ks_usage', 'ks_unused_since', 'ks_expiry', 'ks_expires_before', 'ks_failing', 'orderby', 'order' );

	/** List columns that can be sorted, as column => KeyFilter orderby. */
	public const SORTABLE = array(
		'description' => 'description',
		'user'        => 'user_id',
		'permissions' => 'permissions',
		'created'     => 'created_at',
		'expires'     => 'expires_at',
		'last_access' => 'last_access',
	);

	/** The value of ks_failing that selects failing keys (any other value selects nothing). */
	public const FAILING = '1';

	/** @var array<string, string> Normalized filter values (only ARGS keys). */
	public readonly array $values;

	/** @param array<string, string> $values Filter values (only ARGS keys). */
	private function __construct( array $values ) {
		if ( self::FAILING !== ( $values['ks_failing'] ?? self::FAILING ) ) {
			unset( $values['ks_failing'] ); // Only "1" means something: anything else is no filter, and is not carried on.
		}
		$this->values = $values;
	}

	/** Reads the filters from the current request's query string. */
	public static function from_get(): self {
		$values = array();
		foreach ( self::ARGS as $arg ) {
			// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- read-only filters.
			$raw = isset( $_GET[ $arg ] ) && is_string( $_GET[ $arg ] ) ? sanitize_text_field( wp_unslash( $_GET[ $arg ] ) ) : '';
			if ( '' !== $raw ) {
				$values[ $arg ] = $raw;
			}
		}
		return new self( $values );
	}

	/**
	 * Reads filters from a submitted form (the Filter button posts WooCommerce's settings form; the
	 * screen then redirects to the GET URL these values make).
	 *
	 * @param array<string, mixed> $post Unslashed $_POST.
	 */
	public static function from_post( array $post ): self {
		$values = array();
		foreach ( self::ARGS as $arg ) {
			$raw = isset( $post[ $arg ] ) && is_string( $post[ $arg ] ) ? sanitize_text_field( $post[ $arg ] ) : '';
			if ( '' !== $raw ) {
				$values[ $arg ] = $raw;
			}
		}
		return new self( $values );
	}

	public function get( string $arg ): string {
		return $this->values[ $arg ] ?? '';
	}

	/** Whether only keys refused in the last 24 hours are listed. */
	public function failing(): bool {
		return self::FAILING === $this->get( 'ks_failing' );
	}

	/** The same filters with the failing-keys filter on or off (the list's views). */
	public function with_failing( bool $failing ): self {
		$values = $this->values;
		unset( $values['ks_failing'] );
		if ( $failing ) {
			$values['ks_failing'] = self::FAILING;
		}
		return new self( $values );
	}

	/** Whether any filter (not just ordering) narrows the list. */
	public function is_filtered(): bool {
		return array() !== array_diff_key( $this->values, array_flip( array( 'orderby', 'order' ) ) );
	}

	/**
	 * Query arguments that reproduce this list (for links, redirects and forms). Dates that only
	 * matter with their mode are dropped when the mode is not selected.
	 *
	 * @return array<string, string>
	 */
	public function query_args(): array {
		$args = $this->values;
		if ( 'unused_since' !== $this->get( 'ks_usage' ) ) {
			unset( $args['ks_unused_since'] );
		}
		if ( 'before' !== $this->get( 'ks_expiry' ) ) {
			unset( $args['ks_expires_before'] );
		}
		return $args;
	}

	/**
	 * The store filter for these values.
	 *
	 * @param array<string, mixed> $extra Merged in (e.g. ids, all).
	 */
	public function to_filter( array $extra = array() ): KeyFilter|WP_Error {
		$args = array();
		if ( '' !== $this->get( 's' ) ) {
			$args['search'] = $this->get( 's' );
		}
		if ( '' !== $this->get( 'ks_user' ) ) {
			$user = UserResolver::user( $this->get( 'ks_user' ) );
			if ( $user instanceof WP_Error ) {
				return $user;
			}
			$args['user_ids'] = array( (int) $user->ID );
		}
		if ( '' !== $this->get( 'ks_permissions' ) ) {
			$args['permissions'] = array( $this->get( 'ks_permissions' ) );
		}
		if ( '' !== $this->get( 'ks_source' ) ) {
			$args['sources'] = array( $this->get( 'ks_source' ) );
		}
		$usage = $this->get( 'ks_usage' );
		if ( 'never' === $usage ) {
			$args['never_used'] = true;
		} elseif ( 'unused_since' === $usage ) {
			$args['unused_since'] = $this->required_date( 'ks_unused_since' );
		}
		$expiry = $this->get( 'ks_expiry' );
		if ( 'expired' === $expiry ) {
			$args['expired'] = true;
		} elseif ( 'before' === $expiry ) {
			$args['expires_before'] = $this->required_date( 'ks_expires_before' );
		}
		if ( $this->failing() ) {
			$args['failing'] = true;
		}
		$orderby = self::SORTABLE[ $this->get( 'orderby' ) ] ?? 'key_id';
		$args   += array(
			'orderby' => $orderby,
			'order'   => 'asc' === strtolower( $this->get( 'order' ) ) ? 'asc' : 'desc',
		);
		foreach ( $args as $value ) {
			if ( $value instanceof WP_Error ) {
				return $value;
			}
		}
		return KeyFilter::from_array( $extra + $args );
	}

	/** A date the chosen mode needs; an error when it is missing (else the filter would silently match everything). */
	private function required_date( string $arg ): string|WP_Error {
		if ( '' === $this->get( $arg ) ) {
			return new WP_Error( 'keysmith_invalid_filter', __( 'Choose a date for this filter.', 'keysmith' ) );
		}
		return $this->get( $arg );
	}
}
