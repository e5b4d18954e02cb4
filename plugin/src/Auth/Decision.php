<?php
/**
 * What Keysmith decided for the current request, kept until the request ends so the later hooks
 * (rest_authentication_errors, rest_pre_dispatch) act on the same decision.
 *
 * Mirrors the state WooCommerce keeps in WC_REST_Authentication: the user id returned on
 * determine_current_user, the error reported on rest_authentication_errors (which can coexist with
 * a user id, as in WooCommerce when Basic failed and OAuth then succeeded), and the key row that
 * authenticated. Keysmith adds what it counts (the failure, for Throttle) and, for a throttled
 * client, when it may try again.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use WP_Error;

final class Decision {

	/** Set once the failure was counted (a request counts at most once). */
	public bool $failure_counted = false;

	/** Set when the accepted key was refused the request's method (rest_pre_dispatch). */
	public bool $refused_at_dispatch = false;

	/**
	 * @param int|null $failed_key_id A failure to count: the key it concerns (Throttle::UNKNOWN for
	 *                                a key nobody knows), or null when there is nothing to count.
	 */
	public function __construct(
		public readonly int|false $user_id,
		public readonly ?WP_Error $error,
		public readonly ?KeyRow $key,
		public readonly ?int $failed_key_id = null,
		public readonly int $retry_after = 0,
		private readonly ?string $reason = null
	) {}

	public static function nothing(): self {
		return new self( false, null, null );
	}

	/**
	 * A refusal, counted against the key it concerns.
	 *
	 * @param int|null $key_id The key refused, Throttle::UNKNOWN for an unknown key, null not to count.
	 */
	public static function refuse( WP_Error $error, ?int $key_id = Throttle::UNKNOWN, ?string $reason = null ): self {
		return new self( false, $error, null, $key_id, 0, $reason );
	}

	public static function accept( KeyRow $key ): self {
		return new self( $key->user_id, null, $key );
	}

	/**
	 * No user and no error of Keysmith's (as WooCommerce for an unknown Basic key), but a failure to
	 * count: against the key it once was (Throttle::unknown_subject()), else as unknown.
	 */
	public static function unknown_key( int $key_id = Throttle::UNKNOWN, ?string $reason = null ): self {
		return new self( false, null, null, $key_id, 0, $reason );
	}

	/** The client keeps failing with this key: 429 until $retry_after seconds have passed; not counted. */
	public static function throttled( int $retry_after ): self {
		return new self( false, Errors::too_many_failures( $retry_after ), null, null, $retry_after );
	}

	/** WooCommerce keeps an earlier error when a later method succeeds. */
	public function with_earlier_error( ?WP_Error $earlier ): self {
		return null === $earlier || null !== $this->error ? $this : new self( $this->user_id, $earlier, $this->key, $this->failed_key_id, $this->retry_after, $this->reason );
	}

	/** The reason shown to admins for the failure counted (never a credential). */
	public function failure_reason(): string {
		return $this->reason ?? ( null !== $this->error ? $this->error->get_error_message() : __( 'Unknown consumer key.', 'keysmith' ) );
	}
}
