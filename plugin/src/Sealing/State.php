<?php
/**
 * Whether sealing is on, and what a bulk run left unfinished (option `keysmith_sealing`).
 *
 * `enabled`: new secrets are sealed when keys are made, and existing ones once sealed stay so.
 * `pending`: 'seal', 'unseal' or 'rotate' while a bulk run has not finished (it resumes where
 * it stopped the next time it is started); null otherwise.
 *
 * While sealing is engaged (on, or sealed values may remain) WooCommerce alone cannot verify
 * every secret, so Keysmith's authentication path stays on whatever its setting and filter say
 * (Auth\Settings).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Sealing;

final class State {

	public const OPTION = 'keysmith_sealing';

	public const SEAL   = 'seal';
	public const UNSEAL = 'unseal';
	public const ROTATE = 'rotate';

	/** @return array{enabled: bool, pending: ?string} */
	public static function get(): array {
		$value = function_exists( 'get_option' ) ? get_option( self::OPTION, array() ) : array();
		$value = is_array( $value ) ? $value : array();
		$pend  = $value['pending'] ?? null;
		return array(
			'enabled' => (bool) ( $value['enabled'] ?? false ),
			'pending' => in_array( $pend, array( self::SEAL, self::UNSEAL, self::ROTATE ), true ) ? $pend : null,
		);
	}

	/** New secrets are sealed. */
	public static function enabled(): bool {
		return self::get()['enabled'];
	}

	/** Sealed secrets may exist: sealing is on, or turning it off has not finished. */
	public static function engaged(): bool {
		$state = self::get();
		return $state['enabled'] || null !== $state['pending'];
	}

	public static function pending(): ?string {
		return self::get()['pending'];
	}

	public static function save( bool $enabled, ?string $pending ): void {
		update_option(
			self::OPTION,
			array(
				'enabled' => $enabled,
				'pending' => $pending,
			),
			true
		);
	}
}
