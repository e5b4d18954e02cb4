<?php
/**
 * PSR-4 autoloader for the Keysmith\ namespace (no Composer at run time: the plugin must work
 * when copied into wp-content/plugins as it is).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith;

final class Autoloader {

	/**
	 * Registers the autoloader and loads the pure-PHP twin of the extension's functions,
	 * which are functions (not classes) and so cannot be autoloaded.
	 *
	 * @param string $base_dir Directory that maps to the Keysmith\ namespace.
	 */
	public static function register( string $base_dir ): void {
		spl_autoload_register(
			static function ( string $class ) use ( $base_dir ): void {
				if ( 0 !== strncmp( $class, __NAMESPACE__ . '\\', strlen( __NAMESPACE__ ) + 1 ) ) {
					return;
				}
				$relative = substr( $class, strlen( __NAMESPACE__ ) + 1 );
				$file     = $base_dir . '/' . str_replace( '\\', '/', $relative ) . '.php';
				if ( is_file( $file ) ) {
					require_once $file;
				}
			}
		);
		require_once $base_dir . '/Fallback/functions.php';
	}
}
