<?php
/**
 * With the key in the extension's ini under PHP-FPM, PHP code cannot get a plaintext secret out of
 * a sealed value: a page served by PHP-FPM calls every function of the extension with the sealed
 * value, its row's hash and a request signed with the secret, in every combination of those
 * arguments, and reads phpinfo() and the ini settings; nothing it gets holds the secret or the key,
 * while the extension proves it holds the key (it verifies the signed request).
 *
 * The twin's key is in PHP's memory by design (README, "Sealed secrets"), so this is a test of the
 * extension only.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Sealing;

use Keysmith\Crypto\Sealing;

final class NoPlaintextTest extends SealingTestCase {

	private const PAGE = '/keysmith-sealing-probe.php';

	/** The probe: plain PHP, no WordPress, everything it learns serialized and base64-encoded. */
	private const PROBE = <<<'PHP'
<?php
declare(strict_types=1);
$in      = json_decode( (string) file_get_contents( 'php://input' ), true );
$strings = array( $in['sealed'], $in['ad'], 'GET', $in['url'], '' );
$arrays  = array( $in['params'], array( 'oauth_signature' => $in['sealed'] ), array( $in['sealed'] => $in['ad'] ) );
$out     = array( 'sapi' => PHP_SAPI, 'calls' => array() );
foreach ( get_extension_funcs( 'keysmith' ) as $fn ) {
	$lists = array( array() );
	foreach ( ( new ReflectionFunction( $fn ) )->getParameters() as $parameter ) {
		$type   = (string) $parameter->getType();
		$values = 'array' === $type ? $arrays : ( 'int' === $type ? array( 1, 43 ) : $strings );
		$next   = array();
		foreach ( $lists as $list ) {
			foreach ( $values as $value ) {
				$next[] = array_merge( $list, array( $value ) );
			}
		}
		$lists = $next;
	}
	foreach ( $lists as $args ) {
		ob_start();
		try {
			$outcome = array( 'return', $fn( ...$args ) );
		} catch ( Throwable $e ) {
			$outcome = array( get_class( $e ), $e->getMessage() );
		}
		$outcome[]        = ob_get_clean();
		$out['calls'][]   = array( $fn, $args === array( 'GET', $in['url'], $in['params'], $in['sealed'], $in['ad'] ) || $args === array( $in['sealed'], $in['ad'] ), $outcome );
	}
}
ob_start();
phpinfo();
$out['phpinfo'] = ob_get_clean();
$out['ini']     = ini_get_all( 'keysmith' );
echo base64_encode( serialize( $out ) );
PHP;

	public function test_no_function_of_the_extension_gives_the_secret_or_the_key_under_php_fpm(): void {
		if ( ! self::native() ) {
			$this->markTestSkipped( 'The twin holds its key in PHP memory by design; this is the extension\'s promise.' );
		}
		$key    = $this->make_keys( 1 )[0];
		$hash   = wc_api_hash( $key['consumer_key'] );
		$sealed = Sealing::seal( $key['consumer_secret'], $hash );
		$url    = self::site_url( 'http' ) . self::ROUTE;
		$params = self::oauth_params( 'GET', $url, $key['consumer_key'], $key['consumer_secret'] );
		$page   = getenv( 'KEYSMITH_SITE_DIR' ) . self::PAGE;
		file_put_contents( $page, self::PROBE );
		try {
			$response = self::http( 'POST', self::PAGE, array( 'body' => wp_json_encode( compact( 'sealed', 'url', 'params' ) + array( 'ad' => $hash ) ) ) );
		} finally {
			unlink( $page );
		}
		$this->assertSame( 200, $response['status'], $response['body'] );
		$blob = (string) base64_decode( $response['body'], true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode
		$out  = unserialize( $blob ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.serialize_unserialize -- the test's own page.

		$this->assertSame( 'fpm-fcgi', $out['sapi'] );
		$functions = array_unique( array_column( $out['calls'], 0 ) );
		$this->assertContains( 'Keysmith\\unseal', $functions );
		$this->assertCount( 15, $functions, 'every function of the extension was called' );
		$this->assertGreaterThan( 1000, count( $out['calls'] ) );
		$this->assertSame( self::key_file( 'current' ), $out['ini']['keysmith.sealing_key_file']['local_value'] );
		foreach ( $out['calls'] as list( $fn, $meant, $outcome ) ) {
			if ( ! $meant ) {
				continue;
			}
			if ( 'Keysmith\\unseal' === $fn ) {
				$this->assertSame( array( 'Error', 'Keysmith\\unseal(): Only the CLI SAPI may unseal a secret; this is fpm-fcgi', '' ), $outcome );
			} elseif ( 'Keysmith\\sealed_oauth_verify' === $fn ) {
				$this->assertSame( array( 'return', true, '' ), $outcome, 'the extension holds the key: the signed request verifies' );
			}
		}

		$secret = $key['consumer_secret'];
		$bytes  = (string) file_get_contents( self::key_file( 'current' ) );
		$forms  = array(
			'the secret'                => $secret,
			'its random part'           => substr( $secret, 3 ),
			'half of it'                => substr( $secret, 3, 20 ),
			'the secret in base64'      => base64_encode( $secret ), // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
			'the secret in hex'         => bin2hex( $secret ),
			'the secret, reversed'      => strrev( $secret ),
			'the key'                   => $bytes,
			'the key in hex'            => bin2hex( $bytes ),
			'the key in base64'         => base64_encode( $bytes ), // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
			'the first 8 bytes of key'  => substr( $bytes, 0, 8 ),
		);
		foreach ( $forms as $form => $needle ) {
			$this->assertStringNotContainsString( $needle, $blob, "no $form in anything the page got" );
		}
		$this->assertStringContainsString( self::fingerprint_of( self::key_file( 'current' ) ), $blob, 'the fingerprint, which names the key without giving it' );
	}
}
