<?php
/**
 * WooCommerce's perform_basic_authentication() (docs/woocommerce-compatibility.md §3.3.1), plus
 * Keysmith's rules once the secret is proven, and its throttle before anything is verified.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use Keysmith\Keys\PairCheck;

final class BasicAuthentication {

	/**
	 * Keysmith's verdict on the request's Basic credentials (tried only over TLS, as WooCommerce
	 * does): nothing when there are none or the key is unknown (WooCommerce sets no error then;
	 * a user name shaped like a consumer key still counts as a failure), else accepted or refused.
	 *
	 * @throws AuthUnavailable When the key cannot be looked up.
	 * @throws \Keysmith\Sealing\SealingUnavailable When the key is sealed and this server cannot open it.
	 */
	public static function decide( int $now ): Decision {
		$credentials = Credentials::basic();
		if ( null === $credentials ) {
			return Decision::nothing();
		}
		list( $consumer_key, $secret ) = $credentials;
		$hash                          = PairCheck::lookup_hash( $consumer_key );
		$key                           = KeyLookup::cached_or_db( $hash );
		if ( null === $key ) {
			list( $counted_as, $reason ) = Throttle::unknown_subject( $hash );
			if ( Throttle::UNKNOWN === $counted_as && ( ! is_string( $consumer_key ) || ! str_starts_with( $consumer_key, 'ck_' ) ) ) {
				return Decision::nothing(); // A user name and password, for WordPress to judge.
			}
			$retry = Throttle::retry_after( $counted_as, $now );
			return $retry > 0 ? Decision::throttled( $retry ) : Decision::unknown_key( $counted_as, $reason );
		}
		$retry = Throttle::retry_after( $key->key_id, $now, $key->failures );
		if ( $retry > 0 ) {
			return Decision::throttled( $retry );
		}
		// A secret sent as an array (consumer_secret[]=…) makes WooCommerce's hash_equals() throw a
		// TypeError, a PHP fatal error; Keysmith answers as for any other wrong secret. The pair
		// check proves the secret before it looks at expiry: a guesser learns nothing about it.
		$verdict = is_string( $secret ) ? $key->judge_pair( $secret, $now ) : PairCheck::WRONG_SECRET;
		if ( PairCheck::WRONG_SECRET === $verdict ) {
			return Decision::refuse( Errors::secret_invalid(), $key->key_id );
		}
		$violation = KeyRules::violation( $key, $now );
		return null === $violation ? Decision::accept( $key ) : Decision::refuse( $violation, $key->key_id );
	}
}
