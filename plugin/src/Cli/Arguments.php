<?php
/**
 * Turns WP-CLI's $args / $assoc_args into what the store understands. Validation of values
 * (dates, permissions, ids) stays in the store (KeyFilter, KeyService); this only renames
 * dashed options and resolves users and durations, which only people type. Dates are also read
 * here first, with the store's own rule (Store\Dates), only so that an error names the option
 * that was typed (--expires) rather than the store's field (expires_at).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

use Keysmith\Store\Dates;
use Keysmith\Store\Durations;
use Keysmith\Store\KeyFilter;
use Keysmith\Store\UserResolver;
use WP_CLI\Utils;
use WP_Error;

final class Arguments {

	/** Filter options that take a date. */
	private const DATE_OPTIONS = array( 'unused-since', 'expires-before', 'created-after', 'created-before' );

	/** CLI option => KeyFilter key, for options passed through unchanged. */
	private const FILTER_OPTIONS = array(
		'permissions'    => 'permissions',
		'source'         => 'sources',
		'search'         => 'search',
		'unused-since'   => 'unused_since',
		'never-used'     => 'never_used',
		'expired'        => 'expired',
		'failing'        => 'failing',
		'expires-before' => 'expires_before',
		'created-after'  => 'created_after',
		'created-before' => 'created_before',
		'orderby'        => 'orderby',
		'order'          => 'order',
		'all'            => 'all',
	);

	/**
	 * A KeyFilter from positional key IDs and the filter options of list / revoke.
	 *
	 * @param list<string>         $ids        Positional key IDs.
	 * @param array<string, mixed> $assoc_args
	 */
	public static function filter( array $ids, array $assoc_args ): KeyFilter|WP_Error {
		$spec = array();
		if ( array() !== $ids ) {
			$spec['ids'] = $ids;
		}
		$owner = Utils\get_flag_value( $assoc_args, 'owner' );
		if ( null !== $owner ) {
			$owners = UserResolver::ids( (string) $owner );
			if ( $owners instanceof WP_Error ) {
				return $owners;
			}
			$spec['user_ids'] = $owners;
		}
		foreach ( self::FILTER_OPTIONS as $option => $key ) {
			$value = Utils\get_flag_value( $assoc_args, $option );
			if ( null === $value ) {
				continue;
			}
			$date = in_array( $option, self::DATE_OPTIONS, true ) ? self::date( $value, $option ) : null;
			if ( $date instanceof WP_Error ) {
				return $date;
			}
			$spec[ $key ] = $value;
		}
		return KeyFilter::from_array( $spec );
	}

	/**
	 * The owners of new keys: --owner (IDs, emails or logins, comma-separated), else the acting
	 * user (WP-CLI's global --user, which WP-CLI resolves itself).
	 *
	 * @return list<int>|WP_Error
	 */
	public static function owners( array $assoc_args ): array|WP_Error {
		$owner = Utils\get_flag_value( $assoc_args, 'owner' );
		if ( null !== $owner ) {
			return UserResolver::ids( (string) $owner );
		}
		if ( get_current_user_id() > 0 ) {
			return array( get_current_user_id() );
		}
		return new WP_Error( 'keysmith_invalid_user', __( 'Give --owner=<user>, or run the command as a user: wp --user=<user> keysmith create.', 'keysmith' ) );
	}

	/** Seconds in a duration as --grace takes it ("0", "3600", "90s", "15m", "12h", "7d", "2w", "36 hours", "1 day"). */
	public static function duration( string $value ): int|WP_Error {
		return Durations::parse( $value, 'keysmith_invalid_grace' );
	}

	/**
	 * The expiry part of a create spec: nothing without --expires (the store then applies the
	 * key-lifetime policy's default), else the expiry asked for (null for "never").
	 *
	 * @return array{expires_at?: ?string}|WP_Error
	 */
	public static function new_key_expiry( array $assoc_args ): array|WP_Error {
		$given = Utils\get_flag_value( $assoc_args, 'expires' );
		if ( null === $given ) {
			return array();
		}
		$expiry = self::expiry( $given );
		return $expiry instanceof WP_Error ? $expiry : array( 'expires_at' => $expiry );
	}

	/**
	 * An --expires value as the store takes it: null for "never", else the date string as typed
	 * (the store checks that it is in the future and says so with the date as typed).
	 */
	public static function expiry( mixed $value ): string|null|WP_Error {
		if ( null === $value || true === $value ) {
			return null;
		}
		$value = trim( (string) $value );
		if ( in_array( strtolower( $value ), array( '', 'never', 'none' ), true ) ) {
			return null;
		}
		$date = self::date( $value, 'expires' );
		return $date instanceof WP_Error ? $date : $value;
	}

	/** Whether a date option is one Store\Dates reads: null when it is, else the error naming --$option. */
	private static function date( mixed $value, string $option ): ?WP_Error {
		$date = Dates::parse_utc( (string) $value, '--' . $option );
		return $date instanceof WP_Error ? $date : null;
	}

	/**
	 * A positive count from a CLI option.
	 */
	public static function positive_int( mixed $value, string $option ): int|WP_Error {
		if ( is_string( $value ) && 1 === preg_match( '/^\d{1,9}$/', $value ) && (int) $value > 0 ) {
			return (int) $value;
		}
		if ( is_int( $value ) && $value > 0 ) {
			return $value;
		}
		/* translators: %s: option name. */
		return new WP_Error( 'keysmith_invalid_number', sprintf( __( '--%s must be a positive whole number.', 'keysmith' ), $option ) );
	}

	/**
	 * The KeyService::update() changes `wp keysmith update`'s options ask for.
	 *
	 * @return array<string, mixed>|WP_Error
	 */
	public static function changes( array $assoc_args ): array|WP_Error {
		$changes = array();
		foreach ( array( 'permissions', 'description' ) as $field ) {
			if ( isset( $assoc_args[ $field ] ) ) {
				$changes[ $field ] = (string) $assoc_args[ $field ];
			}
		}
		if ( isset( $assoc_args['owner'] ) ) {
			$owner = UserResolver::ids( (string) $assoc_args['owner'] );
			if ( $owner instanceof WP_Error ) {
				return $owner;
			}
			$changes['user_id'] = $owner;
		}
		$expiry = self::expiry_change( $assoc_args );
		if ( $expiry instanceof WP_Error ) {
			return $expiry;
		}
		$changes += $expiry;
		if ( array() === $changes ) {
			return new WP_Error( 'keysmith_invalid_changes', __( 'Nothing to change: give --permissions, --owner, --description, --expires or --no-expiry.', 'keysmith' ) );
		}
		return $changes;
	}

	/**
	 * The expiry part of an update: --expires=<date> sets it, --no-expiry removes it. WP-CLI parses
	 * --no-expiry as expiry => false (hence the [--[no-]expiry] synopsis), so a bare --expiry is
	 * refused rather than guessed at.
	 *
	 * @return array{expires_at?: ?string}|WP_Error Empty when the expiry does not change.
	 */
	private static function expiry_change( array $assoc_args ): array|WP_Error {
		$expires = isset( $assoc_args['expires'] ) ? array( 'expires_at' => self::expiry( $assoc_args['expires'] ) ) : array();
		if ( isset( $expires['expires_at'] ) && $expires['expires_at'] instanceof WP_Error ) {
			return $expires['expires_at'];
		}
		if ( ! array_key_exists( 'expiry', $assoc_args ) ) {
			return $expires;
		}
		if ( false !== $assoc_args['expiry'] ) {
			return new WP_Error( 'keysmith_invalid_changes', __( 'Use --expires=<date> to set an expiry, or --no-expiry to remove it.', 'keysmith' ) );
		}
		if ( array() !== $expires ) {
			return new WP_Error( 'keysmith_invalid_changes', __( 'Give either --expires or --no-expiry, not both.', 'keysmith' ) );
		}
		return array( 'expires_at' => null );
	}

}
