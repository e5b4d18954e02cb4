<?php
/**
 * The measurements behind `wp keysmith bench`: the same operations through the native extension
 * (namespace Keysmith) and through its pure-PHP twin (Keysmith\Fallback), on this host's PHP.
 * For the project's full benchmark suite see `make bench`.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

use WP_CLI\Utils;

final class Bench {

	/** Operations measured, each a function both implementations export. */
	private const OPERATIONS = array( 'generate_keys', 'api_hash', 'oauth_base_string', 'oauth_signature', 'oauth_verify' );

	public static function native_loaded(): bool {
		return extension_loaded( 'keysmith' ) && function_exists( 'Keysmith\\generate_keys' );
	}

	/**
	 * Runs every operation $count times per implementation.
	 *
	 * @param bool $progress_bar WP-CLI draws its bar on STDOUT, so only table output, read by a
	 *                           person, gets one; machine formats must stay parseable.
	 * @return list<array{operation:string, count:int, native_us:string, fallback_us:string, speedup:string}>
	 */
	public static function run( int $count, bool $progress_bar = true ): array {
		$impls    = self::native_loaded() ? array( 'native' => 'Keysmith\\', 'fallback' => 'Keysmith\\Fallback\\' ) : array( 'fallback' => 'Keysmith\\Fallback\\' );
		$progress = $progress_bar ? Utils\make_progress_bar( __( 'Benchmarking', 'keysmith' ), count( self::OPERATIONS ) * count( $impls ) ) : null;
		$rows     = array();
		foreach ( self::OPERATIONS as $operation ) {
			$micro = array();
			foreach ( $impls as $name => $ns ) {
				$micro[ $name ] = self::measure( $operation, $ns, $count ) / $count;
				$progress?->tick();
			}
			$rows[] = array(
				'operation'   => $operation,
				'count'       => $count,
				'native_us'   => isset( $micro['native'] ) ? number_format( $micro['native'], 2, '.', '' ) : 'n/a',
				'fallback_us' => number_format( $micro['fallback'], 2, '.', '' ),
				'speedup'     => isset( $micro['native'] ) && $micro['native'] > 0 ? number_format( $micro['fallback'] / $micro['native'], 1, '.', '' ) . 'x' : 'n/a',
			);
		}
		$progress?->finish();
		return $rows;
	}

	/** Microseconds $count operations take with the implementation in namespace $ns. */
	private static function measure( string $operation, string $ns, int $count ): float {
		$url    = 'https://shop.example.test/wp-json/wc/v3/orders';
		$secret = 'cs_' . str_repeat( 'a1b2c3d4e5', 4 );
		$params = array(
			'oauth_consumer_key'     => 'ck_' . str_repeat( '0123456789', 4 ),
			'oauth_nonce'            => 'kllo9940pd9333jh',
			'oauth_signature_method' => 'HMAC-SHA256',
			'oauth_timestamp'        => '1191242096',
			'per_page'               => '50',
			'status'                 => 'processing',
		);
		$base                             = ( $ns . 'oauth_base_string' )( 'GET', $url, $params );
		$params['oauth_signature']        = ( $ns . 'oauth_signature' )( $base, $secret, 'HMAC-SHA256' );
		$keys                             = array_map( static fn( int $i ): string => 'ck_' . sha1( (string) $i ), range( 1, min( $count, 10000 ) ) );
		$start                            = hrtime( true );
		switch ( $operation ) {
			case 'generate_keys':
				( $ns . 'generate_keys' )( $count );
				break;
			case 'api_hash':
				for ( $i = 0; $i < $count; $i++ ) {
					( $ns . 'api_hash' )( $keys[ $i % count( $keys ) ] );
				}
				break;
			case 'oauth_base_string':
				for ( $i = 0; $i < $count; $i++ ) {
					( $ns . 'oauth_base_string' )( 'GET', $url, $params );
				}
				break;
			case 'oauth_signature':
				for ( $i = 0; $i < $count; $i++ ) {
					( $ns . 'oauth_signature' )( $base, $secret, 'HMAC-SHA256' );
				}
				break;
			default:
				for ( $i = 0; $i < $count; $i++ ) {
					( $ns . 'oauth_verify' )( 'GET', $url, $params, $secret );
				}
		}
		return ( hrtime( true ) - $start ) / 1000;
	}
}
