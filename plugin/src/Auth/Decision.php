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

	/** Set when the nonce write also stored last_access (consumed by the first matching dispatch). */
	public bool $access_folded = false;

	/**
	 * The answer woocommerce_disable_rest_api_access_log already gave for this request when the
	 * access was predicted, so the filter runs once per access as in WooCommerce.
	 *
	 * @var array{input: bool, answer: bool}|null
	 */
	public ?array $prefiltered = null;

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
		if ( null === $earlier || null !== $this->error ) {
			return $this;
		}
		$copy                = new self( $this->user_id, $earlier, $this->key );
		$copy->access_folded = $this->access_folded;
		$copy->prefiltered   = $this->prefiltered;
		return $copy;
	}
}
