<?php
/**
 * `wp keysmith sealing`: consumer secrets encrypted at rest (README, "Sealed secrets"). A thin
 * adapter over Sealing\SealingService (on, off, rotate-key), Sealing\Report (status) and
 * Sealing\KeyFile (generate-key).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

use Keysmith\Sealing\KeyFile;
use Keysmith\Sealing\Report;
use Keysmith\Sealing\SealingResult;
use Keysmith\Sealing\SealingService;
use Keysmith\Store\Actor;
use WP_CLI;
use WP_CLI\Utils;
use WP_Error;

/**
 * Seals consumer secrets at rest with a key kept outside the database, and unseals them again.
 *
 * ## EXAMPLES
 *
 *     # Make a key, name it in php.ini, reload PHP-FPM, then seal.
 *     $ wp keysmith sealing generate-key /etc/keysmith/sealing.key
 *     $ wp keysmith sealing on
 *     $ wp keysmith sealing status
 */
final class SealingCommand {

	/**
	 * Seals every consumer secret, and every new one from now on.
	 *
	 * Needs a sealing key on this server (keysmith.sealing_key_file in the PHP configuration, or
	 * KEYSMITH_SEALING_KEY_FILE in wp-config.php). Secrets are sealed 1,000 keys per transaction;
	 * if the run stops, run it again: it carries on with the keys left. Keys work as before
	 * throughout.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp keysmith sealing on
	 *     Success: Sealing is on: sealed 1,204 secrets; every secret is now sealed.
	 */
	public function on( array $args, array $assoc_args ): void {
		Halt::without_woocommerce( 'sealing on' );
		$progress = Progress::for_output( __( 'Sealing secrets', 'keysmith' ), $assoc_args );
		$result   = ( new SealingService() )->turn_on( Actor::current( 'cli' ), $progress );
		$progress->finish( $result instanceof SealingResult );
		self::finish( $result );
	}

	/**
	 * Unseals every consumer secret: WooCommerce can verify every key on its own again.
	 *
	 * New secrets are stored in plaintext from now on. A secret that no configured key opens stays
	 * sealed (Keysmith keeps checking it) and the command exits with 1, naming its key.
	 * Deactivating Keysmith does the same first.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp keysmith sealing off
	 *     Success: Sealing is off: unsealed 1,204 secrets; WooCommerce can verify every key on its own again.
	 */
	public function off( array $args, array $assoc_args ): void {
		Halt::without_woocommerce( 'sealing off' );
		$progress = Progress::for_output( __( 'Unsealing secrets', 'keysmith' ), $assoc_args );
		$result   = ( new SealingService() )->turn_off( Actor::current( 'cli' ), $progress );
		$progress->finish( $result instanceof SealingResult );
		self::finish( $result );
	}

	/**
	 * Shows whether sealing is on, where the key comes from, and how the secrets are stored.
	 *
	 * Exits with 1 when something is wrong that stops keys from working (a missing or wrong key).
	 *
	 * ## OPTIONS
	 *
	 * [--format=<format>]
	 * : Render output in a particular format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - yaml
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp keysmith sealing status
	 *     +--------------+--------------------------------------------------+
	 *     | field        | value                                            |
	 *     +--------------+--------------------------------------------------+
	 *     | sealing      | on                                               |
	 *     | key          | keysmith.sealing_key_file in the PHP configur... |
	 *     | fingerprint  | 3f9a2c41d07be815                                 |
	 *     | previous key | none                                             |
	 *     | secrets      | 1,204 sealed, 0 in plaintext                     |
	 *     | sealed with  | 3f9a2c41d07be815: 1,204                          |
	 *     +--------------+--------------------------------------------------+
	 */
	public function status( array $args, array $assoc_args ): void {
		$report = Report::now();
		$format = (string) Utils\get_flag_value( $assoc_args, 'format', 'table' );
		$key    = $report->key;
		$fields = array(
			'sealing'      => $report->state_label(),
			'key'          => $key->configured || null === $key->source ? $key->where() : $key->where() . ' ' . (string) $key->problem(),
			'fingerprint'  => $key->fingerprint ?? '',
			'previous key' => null === $key->previous ? __( 'none', 'keysmith' ) : trim( ( $key->previous['key_file'] ?? '' ) . ' ' . ( $key->previous['fingerprint'] ?? (string) $key->previous['error'] ) ),
			'secrets'      => $report->counts_label(),
			'sealed with'  => implode( ', ', array_map( static fn( $fp, int $n ): string => $fp . ': ' . number_format_i18n( $n ), array_keys( $report->counts['by_key'] ), $report->counts['by_key'] ) ),
		);
		$problems = $report->problems();
		if ( 'table' === $format ) {
			$rows = array();
			foreach ( $fields as $field => $value ) {
				$rows[] = array(
					'field' => $field,
					'value' => $value,
				);
			}
			Utils\format_items( 'table', $rows, array( 'field', 'value' ) );
			foreach ( $problems as $problem ) {
				WP_CLI::warning( $problem['message'] . ' ' . __( 'Fix:', 'keysmith' ) . ' ' . $problem['fix'] );
			}
		} else {
			$item = array(
				'enabled'     => $report->state['enabled'],
				'pending'     => $report->state['pending'],
				'key_source'  => $key->source,
				'key_file'    => $key->key_file,
				'configured'  => $key->configured,
				'fingerprint' => $key->fingerprint,
				'key_error'   => $key->error,
				'previous'    => $key->previous,
				'counts'      => $report->counts,
				'problems'    => $problems,
			);
			Utils\format_items( $format, array( $item ), array_keys( $item ) );
		}
		if ( Report::CRITICAL === $report->worst() ) {
			WP_CLI::halt( 1 );
		}
	}

	/**
	 * Writes a new sealing key: 32 random bytes, readable by the file's owner only.
	 *
	 * Never overwrites a file. Keep a copy of the key with your backups, apart from the database:
	 * without it, the secrets it sealed cannot be recovered.
	 *
	 * ## OPTIONS
	 *
	 * <path>
	 * : Where to write the key, e.g. /etc/keysmith/sealing.key.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp keysmith sealing generate-key /etc/keysmith/sealing.key
	 *     Success: Wrote a new sealing key to /etc/keysmith/sealing.key (fingerprint 3f9a2c41d07be815, mode 0600).
	 *
	 * @subcommand generate-key
	 */
	public function generate_key( array $args, array $assoc_args ): void {
		$path        = (string) $args[0];
		$fingerprint = KeyFile::generate( $path );
		Halt::on_error( $fingerprint );
		WP_CLI::log( __( 'Name it in the configuration of every PHP that runs this site, then reload PHP-FPM:', 'keysmith' ) );
		WP_CLI::log( '  php.ini (extension): keysmith.sealing_key_file = ' . $path );
		WP_CLI::log( "  wp-config.php (without the extension): define( 'KEYSMITH_SEALING_KEY_FILE', '" . $path . "' );" );
		/* translators: 1: file path, 2: key fingerprint. */
		WP_CLI::success( sprintf( __( 'Wrote a new sealing key to %1$s (fingerprint %2$s, mode 0600).', 'keysmith' ), $path, $fingerprint ) );
	}

	/**
	 * Re-seals every secret under the current key, after the key was changed.
	 *
	 * The procedure: generate a new key; configure it as the current key and the old one as the
	 * previous key (keysmith.sealing_key_file and keysmith.sealing_previous_key_file, or the
	 * KEYSMITH_SEALING_KEY_FILE and KEYSMITH_SEALING_PREVIOUS_KEY_FILE constants); reload PHP-FPM;
	 * run this; then remove the previous key from the configuration. --new-key-file must hold the
	 * configured current key, or nothing is done. A run that stops can be run again.
	 *
	 * ## OPTIONS
	 *
	 * --new-key-file=<path>
	 * : The new key's file, which must be the configured current key.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp keysmith sealing rotate-key --new-key-file=/etc/keysmith/sealing-2027.key
	 *     Success: Re-sealed 1,204 secrets under the key 8c01f5e2a9b3d476. No secret needs the previous key now: remove it from the configuration.
	 *
	 * @subcommand rotate-key
	 */
	public function rotate_key( array $args, array $assoc_args ): void {
		Halt::without_woocommerce( 'sealing rotate-key' );
		$progress = Progress::for_output( __( 'Re-sealing secrets', 'keysmith' ), $assoc_args );
		$result   = ( new SealingService() )->rotate( Actor::current( 'cli' ), (string) Utils\get_flag_value( $assoc_args, 'new-key-file', '' ), $progress );
		$progress->finish( $result instanceof SealingResult );
		self::finish( $result );
	}

	/** Success, or the error (exit 1): a refusal, or keys left as they were. */
	private static function finish( SealingResult|WP_Error $result ): void {
		Halt::on_error( $result );
		if ( ! $result->complete() ) {
			WP_CLI::error( $result->message() );
		}
		WP_CLI::success( $result->message() );
	}
}
