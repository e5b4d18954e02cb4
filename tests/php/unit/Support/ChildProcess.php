<?php
/**
 * Runs a PHP script in a fresh `php` process: for what one process cannot undo (constants,
 * global functions such as apply_filters, a crash) and for "the process keeps running" checks.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Tests\Unit\Support;

final class ChildProcess {

	/**
	 * Runs `$code` (a whole script, starting with <?php) and returns its exit status and output.
	 * The child loads the plugin's autoloader (so the twin and the facade) before `$code` runs.
	 *
	 * @param array<string, string>      $env Extra environment variables.
	 * @param array<string, string>|null $ini The extension's settings (-d); null: sealing_ini().
	 * @return array{status: int, stdout: string, stderr: string}
	 */
	public static function run( string $code, bool $with_extension, array $env = array(), ?array $ini = null ): array {
		$script = tempnam( sys_get_temp_dir(), 'keysmith-child-' );
		file_put_contents( $script, $code );
		$command = array( PHP_BINARY, '-d', 'display_errors=stderr', '-d', 'memory_limit=1G' );
		if ( $with_extension ) {
			array_push( $command, '-d', 'extension=' . Implementations::extension_path() );
			foreach ( $ini ?? self::sealing_ini() as $name => $value ) {
				array_push( $command, '-d', $name . '=' . $value );
			}
		}
		$command[] = $script;

		$env     = $env + self::inherited_env();
		$process = proc_open( $command, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes, null, $env );
		$stdout  = stream_get_contents( $pipes[1] );
		$stderr  = stream_get_contents( $pipes[2] );
		fclose( $pipes[1] );
		fclose( $pipes[2] );
		$status = proc_close( $process );
		unlink( $script );
		return array( 'status' => $status, 'stdout' => (string) $stdout, 'stderr' => (string) $stderr );
	}

	/**
	 * PHP prelude that loads the plugin's autoloader from the checkout, the twin's sealing keys
	 * named as in the parent (the vectors' test keys) unless `$sealing` is false.
	 */
	public static function prelude( bool $sealing = true ): string {
		$src       = var_export( dirname( __DIR__, 4 ) . '/plugin/src', true );
		$constants = '';
		if ( $sealing ) {
			foreach ( array( 'KEYSMITH_SEALING_KEY_FILE', 'KEYSMITH_SEALING_PREVIOUS_KEY_FILE' ) as $name ) {
				$constants .= sprintf( "define( '%s', %s );\n", $name, var_export( constant( $name ), true ) );
			}
		}
		return "<?php\ndeclare(strict_types=1);\n{$constants}require_once {$src} . '/Autoloader.php';\n\\Keysmith\\Autoloader::register( {$src} );\n";
	}

	/**
	 * The extension's sealing settings for a child: the twin's key files (as the parent's).
	 *
	 * @return array<string, string>
	 */
	public static function sealing_ini(): array {
		return array(
			'keysmith.sealing_key_file'          => (string) constant( 'KEYSMITH_SEALING_KEY_FILE' ),
			'keysmith.sealing_previous_key_file' => (string) constant( 'KEYSMITH_SEALING_PREVIOUS_KEY_FILE' ),
		);
	}

	/** The parent's environment minus the switch that forces the twin (tests set it explicitly). */
	private static function inherited_env(): array {
		$env = getenv();
		unset( $env['KEYSMITH_FORCE_FALLBACK'] );
		return $env;
	}
}
