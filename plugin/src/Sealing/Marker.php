<?php
/**
 * What WooCommerce's `consumer_secret` column holds in place of a sealed secret.
 *
 * The column is char(43) and a sealed value needs about 100 characters, so the sealed value lives
 * in Keysmith's metadata table and WooCommerce's column gets a marker: `ks1` and 40 lowercase hex
 * digits from the CSPRNG, a new one per key. It can never be taken for a WooCommerce secret (those
 * start with `cs_`), and nobody can guess it, so WooCommerce on its own (Keysmith removed without
 * unsealing) accepts no secret for the key rather than one anybody could present. Whoever reads
 * the database sees it; README, "Sealed secrets", says what that means.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Sealing;

final class Marker {

	public const PREFIX = 'ks1';

	/** A new marker: 43 characters, like the secret it stands in for. */
	public static function create(): string {
		return self::PREFIX . bin2hex( random_bytes( 20 ) );
	}
}
