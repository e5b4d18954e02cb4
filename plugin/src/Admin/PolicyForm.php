<?php
/**
 * The key-lifetime policy form of Keysmith's section: its fields, what they show, and saving them
 * through Store\KeyPolicy (which validates; durations as `wp keysmith rotate --grace` takes them).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use Keysmith\Store\KeyPolicy;
use WP_Error;

final class PolicyForm {

	public const NONCE_ACTION = 'keysmith-policy';

	/**
	 * The form's values: the submitted ones (shown again after an error), else the policy in force,
	 * an empty field meaning "never" / "none".
	 *
	 * @param array<string, mixed> $fields Unslashed.
	 * @return array{ks_default_expiry: string, ks_max_lifetime: string}
	 */
	public static function values( array $fields ): array {
		$current = KeyPolicy::current()->to_display();
		$shown   = array(
			'ks_default_expiry' => 'never' === $current['default_expiry'] ? '' : $current['default_expiry'],
			'ks_max_lifetime'   => 'none' === $current['max_lifetime'] ? '' : $current['max_lifetime'],
		);
		foreach ( $shown as $name => $value ) {
			if ( isset( $fields[ $name ] ) && is_string( $fields[ $name ] ) ) {
				$shown[ $name ] = sanitize_text_field( $fields[ $name ] );
			}
		}
		return $shown;
	}

	/**
	 * Saves both settings at once (an empty field clears it).
	 *
	 * @param array<string, mixed> $fields Unslashed.
	 */
	public static function save( array $fields ): KeyPolicy|WP_Error {
		$values = self::values( $fields );
		$policy = ( new KeyPolicy() )->with( $values['ks_default_expiry'], $values['ks_max_lifetime'] );
		if ( $policy instanceof KeyPolicy ) {
			$policy->save();
		}
		return $policy;
	}
}
