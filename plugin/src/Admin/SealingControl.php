<?php
/**
 * The screen's control for sealed secrets: turning sealing on or off from Keysmith's screen, for
 * users who may manage the site's options (Screen::SEALING_CAPABILITY). The work is the same as
 * `wp keysmith sealing on|off` (Sealing\SealingService); a run that a time limit stops is carried
 * on by submitting again.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use Keysmith\Sealing\SealingService;
use Keysmith\Store\Actor;
use WP_Error;

final class SealingControl {

	public const NONCE_ACTION = 'keysmith_sealing';

	/**
	 * Runs the submitted action (the nonce is checked by the caller).
	 *
	 * @param array<string, mixed> $fields Unslashed $_POST.
	 * @return array{type: string, message: string} The notice to show.
	 */
	public static function submit( array $fields ): array {
		if ( ! current_user_can( Screen::SEALING_CAPABILITY ) ) {
			return self::notice( 'error', __( 'Only administrators may turn sealing on or off.', 'keysmith' ) );
		}
		$action = $fields['keysmith_sealing'] ?? '';
		if ( 'on' !== $action && 'off' !== $action ) {
			return self::notice( 'error', __( 'Unknown sealing action.', 'keysmith' ) );
		}
		if ( function_exists( 'set_time_limit' ) ) {
			set_time_limit( 300 ); // 100,000 keys take seconds; a run cut short carries on when submitted again.
		}
		$service = new SealingService();
		$result  = 'on' === $action ? $service->turn_on( Actor::current( 'admin' ) ) : $service->turn_off( Actor::current( 'admin' ) );
		if ( $result instanceof WP_Error ) {
			return self::notice( 'error', $result->get_error_message() );
		}
		return self::notice( $result->complete() ? 'success' : 'error', $result->message() );
	}

	/** @return array{type: string, message: string} */
	private static function notice( string $type, string $message ): array {
		return array(
			'type'    => $type,
			'message' => $message,
		);
	}
}
