<?php
/**
 * Sends requests to the served harness exactly as written (curl with CURLOPT_PATH_AS_IS, so
 * `///wp-json/…`, `/./` and encoded slashes reach nginx and PHP-FPM untouched), many at a time.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Auth\Hostile;

final class RawHttp {

	/**
	 * @param list<array{base: string, method: string, target: string, headers?: array<string, string>, body?: string|null}> $requests
	 *        base: scheme://host:port; target: the raw request-target (path and query).
	 * @return list<array{status: int, code: ?string, user: ?int, body: string}> In request order.
	 */
	public static function send_all( array $requests, int $concurrency = 8 ): array {
		$multi   = curl_multi_init();
		$results = array();
		$queue   = array_keys( $requests );
		$running = array();
		$start   = static function ( int $i ) use ( &$requests, &$running, $multi ): void {
			$handle                        = self::handle( $requests[ $i ] );
			$running[ (int) $handle ]      = array( $i, $handle );
			curl_multi_add_handle( $multi, $handle );
		};
		while ( $queue || $running ) {
			while ( $queue && count( $running ) < $concurrency ) {
				$start( array_shift( $queue ) );
			}
			curl_multi_exec( $multi, $active );
			curl_multi_select( $multi, 0.05 );
			while ( false !== ( $info = curl_multi_info_read( $multi ) ) ) {
				$handle = $info['handle'];
				list( $i ) = $running[ (int) $handle ];
				unset( $running[ (int) $handle ] );
				$results[ $i ] = self::result( $handle, $info['result'] );
				curl_multi_remove_handle( $multi, $handle );
				curl_close( $handle );
			}
		}
		curl_multi_close( $multi );
		ksort( $results );
		return array_values( $results );
	}

	/** Sends the same requests all at once (a race): every handle is started before any is read. */
	public static function race( array $requests ): array {
		return self::send_all( $requests, count( $requests ) );
	}

	private static function handle( array $request ) {
		$handle  = curl_init( $request['base'] . $request['target'] );
		$headers = array( 'Expect:' ); // No 100-continue round trip for large bodies.
		foreach ( $request['headers'] ?? array() as $name => $value ) {
			$headers[] = "$name: $value";
		}
		$options = array(
			CURLOPT_PATH_AS_IS     => true,
			CURLOPT_CUSTOMREQUEST  => $request['method'],
			CURLOPT_RETURNTRANSFER => true,
			CURLOPT_HEADER         => true,
			CURLOPT_HTTPHEADER     => $headers,
			CURLOPT_SSL_VERIFYPEER => false,
			CURLOPT_SSL_VERIFYHOST => 0,
			CURLOPT_TIMEOUT        => 120,
		);
		if ( 'HEAD' === $request['method'] ) {
			$options[ CURLOPT_NOBODY ] = true;
		}
		if ( null !== ( $request['body'] ?? null ) ) {
			$options[ CURLOPT_POSTFIELDS ] = $request['body'];
		}
		curl_setopt_array( $handle, $options );
		return $handle;
	}

	private static function result( $handle, int $curl_code ): array {
		if ( CURLE_OK !== $curl_code ) {
			throw new \RuntimeException( 'HTTP request failed: ' . curl_strerror( $curl_code ) );
		}
		$raw         = (string) curl_multi_getcontent( $handle );
		$header_size = (int) curl_getinfo( $handle, CURLINFO_HEADER_SIZE );
		$headers     = substr( $raw, 0, $header_size );
		$body        = substr( $raw, $header_size );
		$json        = json_decode( $body, true );
		$user        = preg_match( '/^X-Keysmith-Harness-User:\s*(\d+)/mi', $headers, $m ) ? (int) $m[1] : null;
		return array(
			'status' => (int) curl_getinfo( $handle, CURLINFO_RESPONSE_CODE ),
			'code'   => is_array( $json ) && isset( $json['code'] ) && is_string( $json['code'] ) ? $json['code'] : null,
			'user'   => $user,
			'body'   => strlen( $body ) > 300 ? substr( $body, 0, 300 ) . '…' : $body,
		);
	}
}
