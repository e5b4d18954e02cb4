<?php
/**
 * What turning sealing on or off, or re-sealing under a new key, did: how many secrets it changed
 * and which keys it could not (their sealed value opens with no key this server holds), in
 * sentences the screen and WP-CLI show as they are.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Sealing;

final class SealingResult {

	/**
	 * @param string    $action 'on', 'off' or 'rotate'.
	 * @param list<int> $failed Keys left as they were.
	 */
	public function __construct(
		public readonly string $action,
		public readonly int $changed,
		public readonly array $failed,
		public readonly ?string $fingerprint = null
	) {}

	public function complete(): bool {
		return array() === $this->failed;
	}

	public function message(): string {
		switch ( $this->action ) {
			case 'on':
				/* translators: %s: number of secrets. */
				return sprintf( _n( 'Sealing is on: sealed %s secret; every secret is now sealed.', 'Sealing is on: sealed %s secrets; every secret is now sealed.', $this->changed, 'keysmith' ), number_format_i18n( $this->changed ) );
			case 'rotate':
				if ( ! $this->complete() ) {
					return sprintf(
						/* translators: 1: number of secrets re-sealed, 2: number of keys that failed, 3: key ids. */
						__( 'Re-sealed %1$s secrets under the new key; %2$s could not be opened with the configured keys and stay as they are (key IDs %3$s).', 'keysmith' ),
						number_format_i18n( $this->changed ),
						number_format_i18n( count( $this->failed ) ),
						self::ids( $this->failed )
					);
				}
				return sprintf(
					/* translators: 1: number of secrets, 2: key fingerprint. */
					_n( 'Re-sealed %1$s secret under the key %2$s. No secret needs the previous key now: remove it from the configuration.', 'Re-sealed %1$s secrets under the key %2$s. No secret needs the previous key now: remove it from the configuration.', $this->changed, 'keysmith' ),
					number_format_i18n( $this->changed ),
					(string) $this->fingerprint
				);
			default:
				if ( ! $this->complete() ) {
					return sprintf(
						/* translators: 1: number of secrets unsealed, 2: number of keys that failed, 3: key ids. */
						__( 'Unsealed %1$s secrets, but %2$s could not be opened with the configured keys (key IDs %3$s): they stay sealed, and Keysmith keeps checking them. Configure the key they were sealed with (see `wp keysmith sealing status`) and run this again, or revoke those keys.', 'keysmith' ),
						number_format_i18n( $this->changed ),
						number_format_i18n( count( $this->failed ) ),
						self::ids( $this->failed )
					);
				}
				/* translators: %s: number of secrets. */
				return sprintf( _n( 'Sealing is off: unsealed %s secret; WooCommerce can verify every key on its own again.', 'Sealing is off: unsealed %s secrets; WooCommerce can verify every key on its own again.', $this->changed, 'keysmith' ), number_format_i18n( $this->changed ) );
		}
	}

	/** @param list<int> $ids At most 20 shown. */
	private static function ids( array $ids ): string {
		$shown = implode( ', ', array_slice( $ids, 0, 20 ) );
		return count( $ids ) > 20 ? $shown . ', …' : $shown;
	}
}
