<?php
/**
 * Turning sealing on and off, and re-sealing under a new key: the operations behind
 * `wp keysmith sealing`, Keysmith's screen, deactivation and the hourly job.
 *
 * Each runs in chunks (SealedStore), each chunk whole, and records in State what it has not
 * finished, so a run that stops part-way is simply started again: it carries on with the keys
 * left. Each finished run writes one audit event (key id 0; details: counts and the key's
 * fingerprint, never a secret).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Sealing;

use Keysmith\Crypto\Sealing;
use Keysmith\Store\Actor;
use Keysmith\Store\AuditLog;
use WP_Error;

final class SealingService {

	/**
	 * Seals every plaintext secret, and every new one from now on.
	 *
	 * @param (callable(int, int): void)|null $progress Told ( secrets sealed, secrets to seal ) after each chunk.
	 */
	public function turn_on( Actor $actor, ?callable $progress = null ): SealingResult|WP_Error {
		$refused = self::refuse_without_key();
		if ( null !== $refused ) {
			return $refused;
		}
		State::save( true, State::SEAL );
		$total = SealedStore::counts()['plaintext'];
		$done  = self::run( array( SealedStore::class, 'seal_next' ), $total, $progress );
		if ( $done instanceof WP_Error ) {
			return $done;
		}
		State::save( true, null );
		$result = new SealingResult( 'on', count( $done['done'] ), array(), KeyStatus::current()->fingerprint );
		self::audit( $actor, 'sealing_on', $result );
		return $result;
	}

	/**
	 * Puts every sealed secret back into WooCommerce's column, so WooCommerce can verify every key
	 * on its own; new secrets are stored in plaintext from now on. Keys whose sealed value no
	 * configured key opens stay sealed (and checked by Keysmith) and are reported.
	 *
	 * @param (callable(int, int): void)|null $progress
	 */
	public function turn_off( Actor $actor, ?callable $progress = null ): SealingResult|WP_Error {
		$counts = SealedStore::counts();
		if ( 0 === $counts['sealed'] ) {
			State::save( false, null );
			$result = new SealingResult( 'off', 0, array() );
			self::audit( $actor, 'sealing_off', $result );
			return $result;
		}
		$refused = self::refuse_without_key() ?? self::refuse_unless_can_unseal( 'off' );
		if ( null !== $refused ) {
			return $refused;
		}
		State::save( false, State::UNSEAL );
		$done = self::run( array( SealedStore::class, 'unseal_next' ), $counts['sealed'], $progress );
		if ( $done instanceof WP_Error ) {
			return $done;
		}
		$result = new SealingResult( 'off', count( $done['done'] ), $done['failed'] );
		if ( $result->complete() ) {
			State::save( false, null );
		}
		self::audit( $actor, 'sealing_off', $result );
		return $result;
	}

	/**
	 * Re-seals, under the current key, every secret another key sealed. $new_key_file must hold
	 * the current key: saying which key is meant keeps a typo in the configuration from
	 * re-sealing everything under a key nobody kept.
	 *
	 * @param (callable(int, int): void)|null $progress
	 */
	public function rotate( Actor $actor, string $new_key_file, ?callable $progress = null ): SealingResult|WP_Error {
		$given = KeyFile::fingerprint( $new_key_file );
		if ( $given instanceof WP_Error ) {
			return $given;
		}
		$key = KeyStatus::current();
		if ( ! $key->configured || $given !== $key->fingerprint ) {
			return new WP_Error(
				'keysmith_sealing_not_current',
				sprintf(
					/* translators: 1: file path, 2: key fingerprint, 3: key fingerprint or "none". */
					__( 'The key in %1$s (fingerprint %2$s) is not this server\'s current sealing key (%3$s). Configure it first: the new key as keysmith.sealing_key_file and the old one as keysmith.sealing_previous_key_file (php.ini for PHP-FPM and the CLI, then reload PHP-FPM), or KEYSMITH_SEALING_KEY_FILE and KEYSMITH_SEALING_PREVIOUS_KEY_FILE in wp-config.php; then run this again.', 'keysmith' ),
					$new_key_file,
					$given,
					$key->fingerprint ?? __( 'none', 'keysmith' )
				),
				array( 'status' => 400 )
			);
		}
		$refused = self::refuse_unless_can_unseal( 'rotate-key --new-key-file=' . $new_key_file );
		if ( null !== $refused ) {
			return $refused;
		}
		$state = State::get();
		State::save( $state['enabled'], State::ROTATE );
		$counts = SealedStore::counts();
		$total  = $counts['sealed'] - ( $counts['by_key'][ $given ] ?? 0 );
		$done   = self::run( array( SealedStore::class, 'reseal_next' ), $total, $progress );
		if ( $done instanceof WP_Error ) {
			return $done;
		}
		$result = new SealingResult( 'rotate', count( $done['done'] ), $done['failed'], $given );
		if ( $result->complete() ) {
			State::save( $state['enabled'], null );
		}
		self::audit( $actor, 'sealing_rotate', $result );
		return $result;
	}

	/**
	 * Seals the secrets of keys made outside Keysmith's store while sealing is on (WooCommerce's
	 * Add key screen, app authorization, other plugins): at the end of the request that made them,
	 * and by the hourly job for anything else. Quiet: nothing to do is the normal case.
	 *
	 * @return int Secrets sealed.
	 */
	public static function catch_up(): int {
		if ( ! State::enabled() || ! KeyStatus::current()->configured ) {
			return 0;
		}
		$done = self::run( array( SealedStore::class, 'seal_next' ), 0, null );
		return is_array( $done ) ? count( $done['done'] ) : 0;
	}

	/**
	 * Runs a chunked step from the first key to the last.
	 *
	 * @param callable(int): (array{done: list<int>, failed: list<int>, last: int}|WP_Error) $step
	 * @param (callable(int, int): void)|null $progress
	 * @return array{done: list<int>, failed: list<int>}|WP_Error
	 */
	private static function run( callable $step, int $total, ?callable $progress ): array|WP_Error {
		$done   = array();
		$failed = array();
		$after  = 0;
		do {
			$chunk = $step( $after );
			if ( $chunk instanceof WP_Error ) {
				return self::interrupted( $chunk, count( $done ) );
			}
			array_push( $done, ...$chunk['done'] );
			array_push( $failed, ...$chunk['failed'] );
			$after = $chunk['last'];
			if ( null !== $progress && $total > 0 ) {
				$progress( min( $total, count( $done ) + count( $failed ) ), $total );
			}
		} while ( 0 !== $after );
		return array(
			'done'   => $done,
			'failed' => $failed,
		);
	}

	/** A chunk failed: what was done before it stays done; running again carries on. */
	private static function interrupted( WP_Error $error, int $done ): WP_Error {
		return new WP_Error(
			$error->get_error_code(),
			sprintf(
				/* translators: 1: the database error sentence, 2: number of secrets. */
				_n( '%1$s %2$s secret was changed before that, and stays so; run this again to carry on.', '%1$s %2$s secrets were changed before that, and stay so; run this again to carry on.', $done, 'keysmith' ),
				$error->get_error_message(),
				number_format_i18n( $done )
			),
			$error->get_error_data()
		);
	}

	/** The error when this process has no usable sealing key, else null. */
	public static function refuse_without_key(): ?WP_Error {
		$key = KeyStatus::current();
		if ( $key->configured ) {
			return null;
		}
		return new WP_Error(
			'keysmith_sealing_unavailable',
			/* translators: 1: why there is no key, 2: how to fix it. */
			sprintf( __( 'No sealing key is available: %1$s %2$s', 'keysmith' ), (string) $key->problem(), KeyStatus::fix() ),
			array( 'status' => 500 )
		);
	}

	/** The error when this process may not unseal (the extension holds the key, and this is not the CLI). */
	private static function refuse_unless_can_unseal( string $command ): ?WP_Error {
		if ( Sealing::can_unseal() ) {
			return null;
		}
		return new WP_Error(
			'keysmith_sealing_cli_only',
			/* translators: %s: a wp keysmith sealing subcommand. */
			sprintf( __( 'The sealing key is held by the keysmith extension, which opens sealed secrets for the command line only. Run `wp keysmith sealing %s` on the server.', 'keysmith' ), $command ),
			array( 'status' => 409 )
		);
	}

	private static function audit( Actor $actor, string $action, SealingResult $result ): void {
		$details = array_filter(
			array(
				'secrets' => $result->changed,
				'failed'  => $result->failed,
				'key'     => $result->fingerprint ?? KeyStatus::current()->fingerprint,
			),
			static fn( $value ): bool => array() !== $value && null !== $value
		);
		AuditLog::record_many(
			$actor,
			$action,
			array(
				array(
					'key_id'        => 0,
					'truncated_key' => '',
					'user_id'       => 0,
					'details'       => $details,
				),
			)
		);
	}
}
