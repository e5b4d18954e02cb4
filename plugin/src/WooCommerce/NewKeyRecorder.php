<?php
/**
 * Records a key WooCommerce just made (its Add key screen, app authorization) with Keysmith's
 * record: the acting user as creator, the source, and the expiry the key-lifetime policy gives
 * new keys, shown in the `create` event (WooCommerce's screens show the user nothing new); then,
 * when sealing is on, seals it, so a key WooCommerce made is in the clear only until the end of
 * the request that made it.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\WooCommerce;

use Keysmith\Sealing\SealingService;
use Keysmith\Store\Actor;
use Keysmith\Store\KeyPolicy;
use Keysmith\Store\KeySource;
use Keysmith\Store\Reconciler;

final class NewKeyRecorder {

	/**
	 * @param string      $source   KeySource::WOOCOMMERCE or KeySource::WC_AUTH; also the event's source.
	 * @param string|null $app_name The app's name (wc-auth).
	 */
	public static function record( int $key_id, string $source, ?string $app_name ): void {
		$actor   = Actor::current( KeySource::WC_AUTH === $source ? 'wc-auth' : 'woocommerce' );
		$policy  = KeyPolicy::current();
		$details = $policy->is_set() ? array( 'policy' => $policy->to_details() ) : array();
		( new Reconciler() )->adopt( array( $key_id ), $actor, $source, $app_name, $policy->expiry_for_new_key( time() ), $details );
		// Whether or not recording worked: a key left unrecorded is recorded by the hourly job, but
		// its secret must not wait that long in the clear. catch_up() does nothing when sealing is off.
		SealingService::catch_up();
	}
}
