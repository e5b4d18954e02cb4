<?php
/**
 * Site Health's `keysmith_sealing` check: critical when sealed keys cannot be verified on this
 * server (no usable key, or values sealed with a key it does not hold; Sealing\Report), a
 * recommendation when something is left to do, or when secrets are stored in plaintext (sealing
 * off), and good when every secret is sealed with a key this server holds.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Health;

use Keysmith\Sealing\Report;

final class SealingCheck {

	public const TEST = 'keysmith_sealing';

	/**
	 * Filter `site_status_tests`: adds the direct test.
	 *
	 * @param array<string,array<string,mixed>> $tests
	 * @return array<string,array<string,mixed>>
	 */
	public static function register_test( array $tests ): array {
		$tests['direct'][ self::TEST ] = array(
			'label' => __( 'Keysmith sealed secrets', 'keysmith' ),
			'test'  => array( self::class, 'run' ),
		);
		return $tests;
	}

	/** @return array{label: string, status: string, badge: array{label: string, color: string}, description: string, actions: string, test: string} */
	public static function run(): array {
		return self::result_for( Report::now() );
	}

	/** @return array{label: string, status: string, badge: array{label: string, color: string}, description: string, actions: string, test: string} */
	public static function result_for( Report $report ): array {
		$facts = '<ul><li>' . implode(
			'</li><li>',
			array(
				/* translators: %s: on or off. */
				esc_html( sprintf( __( 'Sealing: %s', 'keysmith' ), $report->state_label() ) ),
				/* translators: %s: where the sealing key comes from. */
				esc_html( sprintf( __( 'Key: %s', 'keysmith' ), $report->key_label() ) ),
				/* translators: %s: how many secrets are sealed and in plaintext. */
				esc_html( sprintf( __( 'Secrets: %s', 'keysmith' ), $report->counts_label() ) ),
			)
		) . '</li></ul>';
		$problems = '';
		foreach ( $report->problems() as $problem ) {
			/* translators: 1: what is wrong, 2: how to fix it. */
			$problems .= '<p>' . esc_html( sprintf( __( '%1$s Fix: %2$s', 'keysmith' ), $problem['message'], $problem['fix'] ) ) . '</p>';
		}
		$worst = $report->worst();
		if ( Report::CRITICAL === $worst ) {
			return self::result( 'critical', __( 'Keys with sealed secrets cannot be verified on this server', 'keysmith' ), $problems . $facts );
		}
		if ( null !== $worst ) {
			return self::result( 'recommended', __( 'Keysmith\'s sealed secrets need attention', 'keysmith' ), $problems . $facts );
		}
		if ( ! $report->state['enabled'] ) {
			return self::result(
				'recommended',
				__( 'REST API consumer secrets are stored in plaintext', 'keysmith' ),
				'<p>' . esc_html__( 'Every database backup, copy or leak hands out working API credentials. Keysmith can seal them with a key kept outside the database: see "Sealed secrets" in Keysmith\'s README, then run wp keysmith sealing on, or use Keysmith\'s screen.', 'keysmith' ) . '</p>' . $facts
			);
		}
		return self::result( 'good', __( 'REST API consumer secrets are sealed', 'keysmith' ), $facts );
	}

	/** @return array{label: string, status: string, badge: array{label: string, color: string}, description: string, actions: string, test: string} */
	private static function result( string $status, string $label, string $description ): array {
		return array(
			'label'       => $label,
			'status'      => $status,
			'badge'       => array(
				'label' => __( 'Security', 'keysmith' ),
				'color' => 'critical' === $status ? 'red' : 'blue',
			),
			'description' => $description,
			'actions'     => '',
			'test'        => self::TEST,
		);
	}
}
