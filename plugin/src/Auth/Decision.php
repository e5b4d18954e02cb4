<?php
/**
 * What Keysmith decided for the current request, kept until the request ends so the later hooks
 * (rest_authentication_errors, rest_pre_dispatch) act on the same decision.
 *
 * Mirrors the state WooCommerce keeps in WC_REST_Authentication: the user id returned on
 * determine_current_user, the error reported on rest_authentication_errors (which can coexist with
 * a user id, as in WooCommerce when Basic failed and OAuth then succeeded), and the key row that
 * authenticated.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use WP_Error;

final class Decision {

	public function __construct(
		public readonly int|false $user_id,
		public readonly ?WP_Error $error,
		public readonly ?KeyRow $key
	) {}

	public static function nothing(): self {
		return new self( false, null, null );
	}

	public static function refuse( WP_Error $error ): self {
		return new self( false, $error, null );
	}

	public static function accept( KeyRow $key ): self {
		return new self( $key->user_id, null, $key );
	}

	/** WooCommerce keeps an earlier error when a later method succeeds. */
	public function with_earlier_error( ?WP_Error $earlier ): self {
		return null === $earlier || null !== $this->error ? $this : new self( $this->user_id, $earlier, $this->key );
	}
}
