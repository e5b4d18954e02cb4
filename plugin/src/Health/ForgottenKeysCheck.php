<?php
/**
 * Site Health's `keysmith_forgotten_keys` check: recommended when keys that were revoked, rotated
 * out or expired are still being presented (a forgotten integration, polling with its old key),
 * naming the five most tried with where from; good otherwise. The figures come from the failure
 * counters of the authentication path (Store\KeyFailures): no credential is ever shown.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Health;

use Keysmith\Admin\Screen;
use Keysmith\Store\KeyFailures;

final class ForgottenKeysCheck {

	public const TEST = 'keysmith_forgotten_keys';

	/** Keys named in the result at most. */
	private const SHOWN = 5;

	/**
	 * Filter `site_status_tests`: adds the direct test.
	 *
	 * @param array<string,array<string,mixed>> $tests
	 * @return array<string,array<string,mixed>>
	 */
	public static function register_test( array $tests ): array {
		$tests['direct'][ self::TEST ] = array(
			'label' => __( 'Revoked or expired API keys still in use', 'keysmith' ),
			'test'  => array( self::class, 'run' ),
		);
		return $tests;
	}

	/** @return array{label: string, status: string, badge: array{label: string, color: string}, description: string, actions: string, test: string} */
	public static function run(): array {
		$in_use = KeyFailures::forgotten_keys( self::SHOWN );
		$result = array(
			'label'       => __( 'No revoked or expired API key is still being tried', 'keysmith' ),
			'status'      => 'good',
			'badge'       => array(
				'label' => __( 'Security', 'keysmith' ),
				'color' => 'blue',
			),
			'description' => '<p>' . esc_html__( 'In the last 24 hours, no client presented a WooCommerce REST API key that was revoked, rotated out or has expired.', 'keysmith' ) . '</p>',
			'actions'     => '',
			'test'        => self::TEST,
		);
		if ( array() === $in_use ) {
			return $result;
		}
		$items = '';
		foreach ( array_slice( $in_use, 0, self::SHOWN ) as $key ) {
			$items .= '<li>' . esc_html(
				sprintf(
					/* translators: 1: last 7 characters of the key, 2: revoke, expire, rotate or user_deleted, 3: when it ended (UTC), 4: failures, 5: client address, 6: time of the last failure (UTC). */
					_n( '…%1$s (%2$s, %3$s UTC): %4$d attempt, last from %5$s at %6$s UTC', '…%1$s (%2$s, %3$s UTC): %4$d attempts, last from %5$s at %6$s UTC', $key['failures_24h'], 'keysmith' ),
					$key['truncated_key'],
					$key['ended_by'],
					$key['ended_at'],
					$key['failures_24h'],
					$key['last_failure_ip'],
					$key['last_failure']
				)
			) . '</li>';
		}
		$result['status']      = 'recommended';
		$result['label']       = sprintf(
			/* translators: %d: number of keys. */
			_n( '%d revoked or expired API key is still being tried', '%d revoked or expired API keys are still being tried', count( $in_use ), 'keysmith' ),
			count( $in_use )
		);
		$result['badge']['color'] = 'orange';
		$result['description']    = '<p>' . esc_html__( 'Clients keep presenting keys that no longer work: usually an integration someone forgot to move to its new key after a rotation or revocation. Each attempt is refused, and clients that keep failing are throttled.', 'keysmith' ) . '</p><ul>' . $items . '</ul>';
		$result['actions']        = '<p><a href="' . esc_url( Screen::url() ) . '">' . esc_html__( 'Manage API keys', 'keysmith' ) . '</a></p>';
		return $result;
	}
}
