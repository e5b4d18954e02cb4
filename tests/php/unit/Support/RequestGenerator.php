<?php
/**
 * Seeded generator of WooCommerce-like requests for the differential test: methods, URLs,
 * nested parameters with random bytes (invalid UTF-8 included), integer and "0" keys, empty
 * arrays, and Authorization headers built from the fragments parse_header's regex reacts to.
 * The same seed always gives the same requests, so a failure can be replayed.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Tests\Unit\Support;

use Random\Engine\Mt19937;
use Random\Randomizer;

final class RequestGenerator {

	private const METHODS = array( 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'get', 'post', 'Put', '' );

	private const HOSTS = array( 'http://example.com', 'https://example.com', 'http://127.0.0.1:8181', 'https://shop.example.org:8443', 'http://example.com/shop', 'https://xn--caf-dma.example/sub/dir' );

	private const PATHS = array( '', '/', '/wp-json/wc/v3/products', '/wp-json/wc/v3/orders/42/', '/wp-json/wc/v3/products/%C3%A9', '/index.php/wp-json/wc/v2/customers' );

	/** Characters that matter to the encoders and the sort, plus plain ones. */
	private const CHARS = "abcxyzABCXYZ0123456789-._~ !\"#\$%&'()*+,/:;<=>?@[\\]^`{|}\x00\x7f\xc3\xa9\xe2\x82\xac\xff";

	private const SIGNATURE_METHODS = array( 'HMAC-SHA1', 'HMAC-SHA256' );

	/** What parse_header's regex reacts to, glued in random order. */
	private const HEADER_FRAGMENTS = array( 'oauth_nonce="', 'oauth_token=', 'oauth_a-b=:"', 'oauth_signature="0"', ', oauth_timestamp=', 'oauth_', 'oauth_nonce', 'oauth_signature', 'oauth_consumer_key', 'oauth_x-y_z', 'OAUTH_', 'oauth_A', 'realm', 'xoauth_', '=', '=', '="', '=:"', '=:', '"', '"', ',', ', ', ' ', '  ', '0', '"0"', '""', '+', '%2B', '%3D', '%2', '%zz', 'abc', 'ck_0123', "\xff\xfe", "\xc3\xa9", "\n", ':', '-', '_' );

	private Randomizer $random;

	public function __construct( public readonly int $seed ) {
		$this->random = new Randomizer( new Mt19937( $seed ) );
	}

	/** @return array{method: string, url: string, params: array, bad_params: array, secret: string, signature_method: string, header: string, bytes: string} */
	public function request(): array {
		$params = $this->params();
		return array(
			'method'           => $this->pick( self::METHODS ),
			'url'              => $this->chance( 5 ) ? $this->text( 30 ) : $this->pick( self::HOSTS ) . $this->pick( self::PATHS ),
			'params'           => $params,
			'bad_params'       => $this->spoil( $params ),
			'secret'           => $this->chance( 10 ) ? $this->text( 20 ) : 'cs_' . bin2hex( $this->random->getBytes( 20 ) ),
			'signature_method' => $this->pick( self::SIGNATURE_METHODS ),
			'header'           => $this->header(),
			'bytes'            => $this->bytes( 0, 200 ),
		);
	}

	/** Top-level parameters: sometimes the OAuth ones, always some random ones. */
	private function params(): array {
		$params = array();
		if ( $this->chance( 70 ) ) {
			$params['oauth_consumer_key'] = 'ck_' . bin2hex( $this->random->getBytes( 20 ) );
			$params['oauth_nonce']        = $this->text( 12 );
			$params['oauth_timestamp']    = (string) $this->int( 1600000000, 1800000000 );
		}
		$count = $this->int( 0, 8 );
		for ( $i = 0; $i < $count; $i++ ) {
			$params[ $this->key() ] = $this->value( 0 );
		}
		if ( $this->chance( 10 ) ) {
			$params['oauth_signature'] = base64_encode( $this->random->getBytes( 20 ) );
		}
		if ( $this->chance( 3 ) ) {
			$params[ $this->key() ] = $this->chain( $this->int( 5, 64 ) );
		}
		return $this->shuffle_keys( $params );
	}

	/**
	 * The params with one thing neither implementation accepts, somewhere in the tree: a float,
	 * bool, null or object value, or arrays nested 65 deep. Both must refuse it with the same
	 * error (the message carries the escaped path of random binary keys).
	 */
	private function spoil( array $params ): array {
		$bad = $this->pick( array( 1.5, true, false, null, new \stdClass(), 'deep' ) );
		$bad = 'deep' === $bad ? $this->chain( 65 ) : $bad;
		$at  = &$params;
		while ( $at && $this->chance( 60 ) ) {
			$keys = array_keys( $at );
			$key  = $keys[ $this->int( 0, count( $keys ) - 1 ) ];
			if ( ! is_array( $at[ $key ] ) ) {
				break;
			}
			$at = &$at[ $key ];
		}
		$at[ $this->key() ] = $bad;
		unset( $at );
		return $params;
	}

	/** A key as PHP would hold it: int (incl. 0 and negatives), "0", "", "01", text, bytes. */
	private function key(): int|string {
		switch ( $this->int( 0, 9 ) ) {
			case 0:
				return $this->int( -5, 20 );
			case 1:
				return $this->pick( array( '0', '', '01', '-1', '1.5', ' 1', PHP_INT_MAX, PHP_INT_MIN ) );
			case 2:
				return $this->bytes( 1, 6 );
			default:
				return $this->text( 8 );
		}
	}

	/** A leaf (string or int) or, less often the deeper it is, a nested array (maybe empty). */
	private function value( int $depth ): int|string|array {
		if ( $depth < 4 && $this->chance( 25 - 5 * $depth ) ) {
			$array = array();
			$count = $this->chance( 15 ) ? 0 : $this->int( 1, 4 );
			for ( $i = 0; $i < $count; $i++ ) {
				$array[ $this->key() ] = $this->value( $depth + 1 );
			}
			return $array;
		}
		if ( $this->chance( 15 ) ) {
			return $this->int( -1000, 100000 );
		}
		return $this->chance( 15 ) ? $this->bytes( 0, 12 ) : $this->text( 10 );
	}

	/** `$levels` arrays nested in one another (deep nesting within the limit). */
	private function chain( int $levels ): array {
		$value = $this->text( 3 );
		for ( $i = 0; $i < $levels; $i++ ) {
			$value = array( $this->key() => $value );
		}
		return $value;
	}

	private function header(): string {
		$header = $this->chance( 85 ) ? 'OAuth ' : $this->pick( array( '', 'OAuth', 'oauth ', ' OAuth ', 'Basic ', "OAuth\t" ) );
		$count  = $this->int( 0, 24 );
		for ( $i = 0; $i < $count; $i++ ) {
			$header .= $this->chance( 10 ) ? $this->text( 4 ) : $this->pick( self::HEADER_FRAGMENTS );
		}
		return $header;
	}

	/** Up to `$max` characters from CHARS, '%xx' sequences included. */
	private function text( int $max ): string {
		$length = $this->int( 0, $max );
		$text   = '';
		for ( $i = 0; $i < $length; $i++ ) {
			$text .= $this->chance( 10 ) ? '%' . strtoupper( bin2hex( $this->random->getBytes( 1 ) ) ) : self::CHARS[ $this->int( 0, strlen( self::CHARS ) - 1 ) ];
		}
		return $text;
	}

	/** Random order of keys, so the sort has work to do. */
	private function shuffle_keys( array $params ): array {
		$keys = $this->random->shuffleArray( array_keys( $params ) );
		$out  = array();
		foreach ( $keys as $key ) {
			$out[ $key ] = $params[ $key ];
		}
		return $out;
	}

	/** Random bytes, length in [$min, $max] (getBytes() refuses 0). */
	private function bytes( int $min, int $max ): string {
		$length = $this->int( $min, $max );
		return 0 === $length ? '' : $this->random->getBytes( $length );
	}

	private function int( int $min, int $max ): int {
		return $this->random->getInt( $min, $max );
	}

	private function chance( int $percent ): bool {
		return $this->random->getInt( 1, 100 ) <= $percent;
	}

	private function pick( array $list ): mixed {
		return $list[ $this->int( 0, count( $list ) - 1 ) ];
	}
}
