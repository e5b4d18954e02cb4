<?php
/**
 * Registers `wp keysmith` when the request runs under WP-CLI: one class per command group, as
 * wp-cli/entity-command does (the key subcommands, then `audit`, `doctor`, `bench` and `reconcile`
 * as invokable classes under it, and `throttle`, `sealing` and `policy` with their own
 * subcommands).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

final class CliModule {

	/** Command name => class, in registration order (the parent command first). */
	public const COMMANDS = array(
		'keysmith'           => KeysCommand::class,
		'keysmith audit'     => AuditCommand::class,
		'keysmith doctor'    => DoctorCommand::class,
		'keysmith bench'     => BenchCommand::class,
		'keysmith throttle'  => ThrottleCommand::class,
		'keysmith sealing'   => SealingCommand::class,
		'keysmith reconcile' => ReconcileCommand::class,
		'keysmith policy'    => PolicyCommand::class,
	);

	public static function register(): void {
		// WP-CLI defines WP_CLI before loading WordPress; web requests never load the command classes.
		if ( ! defined( 'WP_CLI' ) || ! WP_CLI || ! class_exists( 'WP_CLI', false ) ) {
			return;
		}
		foreach ( self::COMMANDS as $name => $class ) {
			\WP_CLI::add_command( $name, $class );
		}
	}
}
