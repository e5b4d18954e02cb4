<?php
/**
 * The key-lifetime policy: a default expiry for new keys and a maximum lifetime, both optional
 * (option `keysmith_key_policy`, seconds or null). One rule, applied wherever a key is made:
 *
 * - a new key with no expiry asked for gets the default, capped by the maximum (no default but a
 *   maximum: the maximum);
 * - an expiry asked for (on create, update, or "never") may not lie beyond now + the maximum;
 * - keys WooCommerce makes (Add key, app authorization) and rotation's successors get the same
 *   default / cap, as no one asked them for one;
 * - existing keys are untouched until the policy is applied to them explicitly (apply_to()): each
 *   then expires when a new key made now would, unless it already expires sooner.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

use WP_Error;

final class KeyPolicy {

	public const OPTION = 'keysmith_key_policy';

	/** Shortest and longest duration either setting takes. */
	public const MIN_SECONDS = 60;
	public const MAX_SECONDS = 10 * 366 * DAY_IN_SECONDS;

	/**
	 * @param int|null $default_expiry Seconds a new key lives when no expiry is asked for; null = never expires.
	 * @param int|null $max_lifetime   Seconds no key made from now on may outlive; null = no maximum.
	 */
	public function __construct(
		public readonly ?int $default_expiry = null,
		public readonly ?int $max_lifetime = null
	) {}

	/** The policy in force. */
	public static function current(): self {
		$stored = get_option( self::OPTION, array() );
		$stored = is_array( $stored ) ? $stored : array();
		$read   = static fn( string $field ): ?int => isset( $stored[ $field ] ) && is_int( $stored[ $field ] ) && $stored[ $field ] > 0 ? $stored[ $field ] : null;
		return new self( $read( 'default_expiry' ), $read( 'max_lifetime' ) );
	}

	/**
	 * This policy with the given settings changed, from what people type: a duration (Durations),
	 * or "never" (default expiry) / "none" (maximum), or '' for either. Unchanged settings are null.
	 */
	public function with( ?string $default_expiry, ?string $max_lifetime ): self|WP_Error {
		$default = null === $default_expiry ? $this->default_expiry : self::setting( $default_expiry, 'default_expiry' );
		$max     = null === $max_lifetime ? $this->max_lifetime : self::setting( $max_lifetime, 'max_lifetime' );
		foreach ( array( $default, $max ) as $value ) {
			if ( $value instanceof WP_Error ) {
				return $value;
			}
		}
		if ( null !== $default && null !== $max && $default > $max ) {
			return self::error(
				'keysmith_invalid_policy',
				/* translators: 1: default expiry, 2: maximum lifetime. */
				sprintf( __( 'The default expiry (%1$s) is longer than the maximum lifetime (%2$s).', 'keysmith' ), Durations::describe( $default ), Durations::describe( $max ) )
			);
		}
		return new self( $default, $max );
	}

	public function save(): bool {
		update_option(
			self::OPTION,
			array(
				'default_expiry' => $this->default_expiry,
				'max_lifetime'   => $this->max_lifetime,
			),
			true
		);
		return true;
	}

	/** Whether there is anything to apply. */
	public function is_set(): bool {
		return null !== $this->default_expiry || null !== $this->max_lifetime;
	}

	/** Seconds a new key lives when no expiry is asked for (the default capped by the maximum); null = never expires. */
	public function new_key_lifetime(): ?int {
		if ( null === $this->default_expiry ) {
			return $this->max_lifetime;
		}
		return null === $this->max_lifetime ? $this->default_expiry : min( $this->default_expiry, $this->max_lifetime );
	}

	/** The expiry of a key made at $now with no expiry asked for: UTC 'Y-m-d H:i:s', or null. */
	public function expiry_for_new_key( int $now ): ?string {
		$lifetime = $this->new_key_lifetime();
		return null === $lifetime ? null : Dates::now_utc( $now + $lifetime );
	}

	/** The latest expiry a key made at $now may have; null = no limit. */
	public function latest_expiry( int $now ): ?string {
		return null === $this->max_lifetime ? null : Dates::now_utc( $now + $this->max_lifetime );
	}

	/** $expires_at (null = never) brought within the maximum, for keys nobody asked an expiry for. */
	public function cap( ?string $expires_at, int $now ): ?string {
		$latest = $this->latest_expiry( $now );
		if ( null === $latest ) {
			return $expires_at;
		}
		return null === $expires_at || $expires_at > $latest ? $latest : $expires_at;
	}

	/**
	 * Refuses an expiry asked for (null = never) that lies beyond the maximum: 400
	 * keysmith_expiry_over_policy, naming the latest allowed date.
	 */
	public function refuse( ?string $expires_at, int $now ): ?WP_Error {
		$latest = $this->latest_expiry( $now );
		if ( null === $latest || ( null !== $expires_at && $expires_at <= $latest ) ) {
			return null;
		}
		return self::error(
			'keysmith_expiry_over_policy',
			sprintf(
				/* translators: 1: maximum lifetime, 2: latest allowed expiry (UTC). */
				__( 'The key-lifetime policy lets keys live at most %1$s: choose an expiry no later than %2$s UTC.', 'keysmith' ),
				Durations::describe( (int) $this->max_lifetime ),
				$latest
			)
		);
	}

	/** One sentence for screens and events. */
	public function describe(): string {
		if ( ! $this->is_set() ) {
			return __( 'No key-lifetime policy: new keys never expire unless an expiry is chosen.', 'keysmith' );
		}
		$default = null === $this->new_key_lifetime()
			? __( 'New keys never expire unless an expiry is chosen.', 'keysmith' )
			/* translators: %s: a duration such as "90 days". */
			: sprintf( __( 'New keys expire after %s unless an expiry is chosen.', 'keysmith' ), Durations::describe( (int) $this->new_key_lifetime() ) );
		$max = null === $this->max_lifetime
			? __( 'There is no maximum lifetime.', 'keysmith' )
			/* translators: %s: a duration such as "1 year". */
			: sprintf( __( 'No key may be made to live longer than %s.', 'keysmith' ), Durations::describe( $this->max_lifetime ) );
		return $default . ' ' . $max;
	}

	/**
	 * The settings as typed back: durations in the --grace syntax, "never" / "none".
	 *
	 * @return array{default_expiry: string, max_lifetime: string}
	 */
	public function to_display(): array {
		return array(
			'default_expiry' => null === $this->default_expiry ? 'never' : Durations::format( $this->default_expiry ),
			'max_lifetime'   => null === $this->max_lifetime ? 'none' : Durations::format( $this->max_lifetime ),
		);
	}

	/** @return array{default_expiry: ?int, max_lifetime: ?int} For audit details: the settings in seconds. */
	public function to_details(): array {
		return array(
			'default_expiry' => $this->default_expiry,
			'max_lifetime'   => $this->max_lifetime,
		);
	}

	/** One setting from what was typed: null = never / none. */
	private static function setting( string $value, string $field ): int|null|WP_Error {
		$value = strtolower( trim( $value ) );
		if ( in_array( $value, array( '', 'never', 'none' ), true ) ) {
			return null;
		}
		$seconds = Durations::parse( $value, 'keysmith_invalid_policy' );
		if ( $seconds instanceof WP_Error ) {
			return $seconds;
		}
		if ( $seconds < self::MIN_SECONDS || $seconds > self::MAX_SECONDS ) {
			return self::error(
				'keysmith_invalid_policy',
				/* translators: 1: setting name, 2: the value given. */
				sprintf( __( 'The %1$s must be between one minute and ten years (got "%2$s").', 'keysmith' ), 'default_expiry' === $field ? __( 'default expiry', 'keysmith' ) : __( 'maximum lifetime', 'keysmith' ), $value )
			);
		}
		return $seconds;
	}

	private static function error( string $code, string $message ): WP_Error {
		return new WP_Error( $code, $message, array( 'status' => 400 ) );
	}
}
