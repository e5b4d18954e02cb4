<?php
/**
 * Keysmith's rules hold even on requests Keysmith did not judge itself: with its path switched off
 * (setting or filter), or when something else let WooCommerce's authenticator judge. WooCommerce
 * knows no expiry, so a key it accepted is checked here before the request is served.
 *
 * WooCommerce does not say which key it accepted, but it can only have accepted one of the keys
 * the request presents in the places it reads (docs/woocommerce-compatibility.md §3.3.1, §3.4):
 * so if one of those keys belongs to the request's user and Keysmith's rules refuse it, the
 * request is refused. Cost: nothing unless a user is set, Keysmith did not decide and the request
 * carries a consumer key; then one indexed lookup per presented key (at most two).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use Keysmith\Keys\PairCheck;

final class KeyRuleGuard {

	public function __construct( private Authenticator $authenticator ) {}

	/**
	 * Filter rest_authentication_errors (16, after WooCommerce reported its own error at 15).
	 *
	 * @param mixed $error Result of earlier callbacks.
	 * @return mixed
	 */
	public function enforce( $error ) {
		if ( is_wp_error( $error ) || null !== $this->authenticator->decision() ) {
			return $error;
		}
		$user_id = get_current_user_id();
		if ( 0 === $user_id ) {
			return $error;
		}
		$now = time();
		foreach ( Credentials::presented_consumer_keys() as $consumer_key ) {
			try {
				$key = KeyLookup::from_db( PairCheck::lookup_hash( $consumer_key ) );
			} catch ( AuthUnavailable $e ) {
				return Errors::unavailable();
			}
			if ( null !== $key && $key->user_id === $user_id ) {
				$violation = KeyRules::violation( $key, $now );
				if ( null !== $violation ) {
					Throttle::record_failure( $key->key_id, $violation->get_error_message(), $now );
					return $violation;
				}
			}
		}
		return $error;
	}
}
