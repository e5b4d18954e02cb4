<?php
/**
 * Bad and extreme inputs for every function, shared by BadInputTest and the child process that
 * proves PHP survives all of them. No PHPUnit here: the child loads this file on its own.
 *
 * The sealing functions' cases never expect a sealed value back (its nonce is random, so the two
 * implementations can only agree on its shape: tests/php/unit/SealingTest.php checks that), nor
 * sealing_status()'s answer (its "source" names where each implementation's key comes from).
 *
 * Each case: [function, args factory, expected throwable class or null (must return normally),
 * and optionally true when only the class must match the extension's: missing arguments, which
 * PHP refuses for the twin in its own words before the twin runs]. Args are built lazily:
 * several cases carry 10 MB strings.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Tests\Unit\Support;

final class BadInputs {

	private const TEN_MB = 10485760;

	/** @return array<string, array{0: string, 1: \Closure, 2: class-string<\Throwable>|null, 3?: bool}> */
	public static function cases(): array {
		return self::arity_cases() + self::api_hash_cases() + self::key_cases() + self::base_string_cases() + self::signature_cases()
			+ self::verify_cases() + self::header_cases() + self::equals_cases() + self::sealing_cases();
	}

	private static function big( string $unit = 'a' ): string {
		return str_repeat( $unit, intdiv( self::TEN_MB, strlen( $unit ) ) );
	}

	private static function binary(): string {
		return "\xff\xfe\x00\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc\x80";
	}

	/** Params nested `$levels` arrays deep under key "d". */
	private static function nested( int $levels ): array {
		$value = 'x';
		for ( $i = 0; $i < $levels; $i++ ) {
			$value = array( 'k' => $value );
		}
		return array( 'd' => $value );
	}

	private static function arity_cases(): array {
		$a = \ArgumentCountError::class;
		return array(
			'version(1)'                   => array( 'version', fn() => array( 1 ), $a ),
			'generate_key(1)'              => array( 'generate_key', fn() => array( 1 ), $a ),
			'api_hash(a, b)'               => array( 'api_hash', fn() => array( 'a', 'b' ), $a ),
			'oauth_signature(4 arguments)' => array( 'oauth_signature', fn() => array( 'b', 'cs', 'HMAC-SHA1', 'x' ), $a ),
			'oauth_verify(5 arguments)'    => array( 'oauth_verify', fn() => array( 'GET', 'u', array(), 'cs', 'x' ), $a ),
			'equals(3 arguments)'          => array( 'equals', fn() => array( 'a', 'a', 'a' ), $a ),
			'api_hash()'                   => array( 'api_hash', fn() => array(), $a, true ),
			'oauth_base_string(2 arguments)' => array( 'oauth_base_string', fn() => array( 'GET', 'u' ), $a, true ),
			'equals(1 argument)'           => array( 'equals', fn() => array( 'a' ), $a, true ),
		);
	}

	private static function api_hash_cases(): array {
		$t = \TypeError::class;
		return array(
			'api_hash(int)'           => array( 'api_hash', fn() => array( 123 ), $t ),
			'api_hash(null)'          => array( 'api_hash', fn() => array( null ), $t ),
			'api_hash(array)'         => array( 'api_hash', fn() => array( array( 'ck' ) ), $t ),
			'api_hash(float)'         => array( 'api_hash', fn() => array( 1.5 ), $t ),
			'api_hash(bool)'          => array( 'api_hash', fn() => array( true ), $t ),
			'api_hash(object)'        => array( 'api_hash', fn() => array( new \stdClass() ), $t ),
			'api_hash(Stringable)'    => array( 'api_hash', fn() => array( new \Exception( 'ck' ) ), $t ),
			'api_hash("")'            => array( 'api_hash', fn() => array( '' ), null ),
			'api_hash(10 MB)'         => array( 'api_hash', fn() => array( self::big() ), null ),
			'api_hash(binary)'        => array( 'api_hash', fn() => array( self::binary() ), null ),
			'api_hashes(string)'      => array( 'api_hashes', fn() => array( 'ck' ), $t ),
			'api_hashes(null)'        => array( 'api_hashes', fn() => array( null ), $t ),
			'api_hashes([int])'       => array( 'api_hashes', fn() => array( array( 'a' => 'x', 'b' => 1 ) ), $t ),
			'api_hashes([null])'      => array( 'api_hashes', fn() => array( array( 7 => null ) ), $t ),
			'api_hashes([array])'     => array( 'api_hashes', fn() => array( array( 'a' => array( 'x' ) ) ), $t ),
			'api_hashes([object])'    => array( 'api_hashes', fn() => array( array( new \stdClass() ) ), $t ),
			'api_hashes([])'          => array( 'api_hashes', fn() => array( array() ), null ),
			'api_hashes([10 MB, ""])' => array( 'api_hashes', fn() => array( array( 'big' => self::big(), 5 => '', 'bin' => self::binary() ) ), null ),
		);
	}

	private static function key_cases(): array {
		$t = \TypeError::class;
		$v = \ValueError::class;
		return array(
			'generate_keys(0)'           => array( 'generate_keys', fn() => array( 0 ), $v ),
			'generate_keys(-1)'          => array( 'generate_keys', fn() => array( -1 ), $v ),
			'generate_keys(2000000)'     => array( 'generate_keys', fn() => array( 2000000 ), $v ),
			'generate_keys(1000001)'     => array( 'generate_keys', fn() => array( 1000001 ), $v ),
			'generate_keys(PHP_INT_MAX)' => array( 'generate_keys', fn() => array( PHP_INT_MAX ), $v ),
			'generate_keys(PHP_INT_MIN)' => array( 'generate_keys', fn() => array( PHP_INT_MIN ), $v ),
			'generate_keys("5")'         => array( 'generate_keys', fn() => array( '5' ), $t ),
			'generate_keys(5.0)'         => array( 'generate_keys', fn() => array( 5.0 ), $t ),
			'generate_keys(true)'        => array( 'generate_keys', fn() => array( true ), $t ),
			'generate_keys(null)'        => array( 'generate_keys', fn() => array( null ), $t ),
			'generate_keys(array)'       => array( 'generate_keys', fn() => array( array( 5 ) ), $t ),
		);
	}

	private static function base_string_cases(): array {
		$t  = \TypeError::class;
		$v  = \ValueError::class;
		$fn = 'oauth_base_string';
		return array(
			'oauth_base_string(null method)'     => array( $fn, fn() => array( null, 'http://e.com', array() ), $t ),
			'oauth_base_string(array url)'       => array( $fn, fn() => array( 'GET', array( 'http://e.com' ), array() ), $t ),
			'oauth_base_string(int url)'         => array( $fn, fn() => array( 'GET', 42, array() ), $t ),
			'oauth_base_string(string params)'   => array( $fn, fn() => array( 'GET', 'http://e.com', 'a=1' ), $t ),
			'oauth_base_string(null params)'     => array( $fn, fn() => array( 'GET', 'http://e.com', null ), $t ),
			'oauth_base_string(float value)'     => array( $fn, fn() => array( 'GET', 'u', array( 'a' => 1.5 ) ), $t ),
			'oauth_base_string(bool value)'      => array( $fn, fn() => array( 'GET', 'u', array( 'a' => '1', 'b' => false ) ), $t ),
			'oauth_base_string(null value)'      => array( $fn, fn() => array( 'GET', 'u', array( 'a' => null ) ), $t ),
			'oauth_base_string(object value)'    => array( $fn, fn() => array( 'GET', 'u', array( 'a' => new \stdClass() ) ), $t ),
			'oauth_base_string(nested float)'    => array( $fn, fn() => array( 'GET', 'u', array( 'a' => array( 'b' => array( 0 => 2.5 ) ) ) ), $t ),
			'oauth_base_string(nested null, key 0)' => array( $fn, fn() => array( 'GET', 'u', array( 0 => array( '' => null ) ) ), $t ),
			'oauth_base_string(float oauth_signature)' => array( $fn, fn() => array( 'GET', 'u', array( 'oauth_signature' => 1.5 ) ), $t ),
			'oauth_base_string(nesting 65)'      => array( $fn, fn() => array( 'GET', 'u', self::nested( 65 ) ), $v ),
			'oauth_base_string(nesting 1000)'    => array( $fn, fn() => array( 'GET', 'u', self::nested( 1000 ) ), $v ),
			'oauth_base_string(nesting 64)'      => array( $fn, fn() => array( 'GET', 'u', self::nested( 64 ) ), null ),
			'oauth_base_string(empty strings)'   => array( $fn, fn() => array( '', '', array( '' => '' ) ), null ),
			'oauth_base_string(10 MB value)'     => array( $fn, fn() => array( 'POST', 'u', array( 'big' => self::big( "a b\xff" ) ) ), null ),
			'oauth_base_string(10 MB url)'       => array( $fn, fn() => array( 'GET', self::big( '/%' ), array() ), null ),
			'oauth_base_string(binary everywhere)' => array( $fn, fn() => array( self::binary(), self::binary(), array( self::binary() => array( self::binary() => self::binary() ) ) ), null ),
		);
	}

	private static function signature_cases(): array {
		$t  = \TypeError::class;
		$v  = \ValueError::class;
		$fn = 'oauth_signature';
		return array(
			'oauth_signature(PLAINTEXT)'    => array( $fn, fn() => array( 'base', 'cs', 'PLAINTEXT' ), $v ),
			'oauth_signature(hmac-sha1)'    => array( $fn, fn() => array( 'base', 'cs', 'hmac-sha1' ), $v ),
			'oauth_signature(HMAC-SHA512)'  => array( $fn, fn() => array( 'base', 'cs', 'HMAC-SHA512' ), $v ),
			'oauth_signature("" method)'    => array( $fn, fn() => array( 'base', 'cs', '' ), $v ),
			'oauth_signature(binary method)' => array( $fn, fn() => array( 'base', 'cs', self::binary() ), $v ),
			'oauth_signature(null base)'    => array( $fn, fn() => array( null, 'cs', 'HMAC-SHA1' ), $t ),
			'oauth_signature(int secret)'   => array( $fn, fn() => array( 'base', 123, 'HMAC-SHA1' ), $t ),
			'oauth_signature(array method)' => array( $fn, fn() => array( 'base', 'cs', array( 'HMAC-SHA1' ) ), $t ),
			'oauth_signature(empty strings)' => array( $fn, fn() => array( '', '', 'HMAC-SHA256' ), null ),
			'oauth_signature(10 MB base)'   => array( $fn, fn() => array( self::big(), self::binary(), 'HMAC-SHA1' ), null ),
		);
	}

	private static function verify_cases(): array {
		$t    = \TypeError::class;
		$v    = \ValueError::class;
		$fn   = 'oauth_verify';
		$good = array(
			'oauth_consumer_key'     => 'ck_x',
			'oauth_signature_method' => 'HMAC-SHA1',
			'oauth_signature'        => 'c2ln',
		);
		return array(
			'oauth_verify(no oauth_signature)'       => array( $fn, fn() => array( 'GET', 'u', array_diff_key( $good, array( 'oauth_signature' => 1 ) ), 'cs' ), $v ),
			'oauth_verify(int oauth_signature)'      => array( $fn, fn() => array( 'GET', 'u', array( 'oauth_signature' => 5 ) + $good, 'cs' ), $v ),
			'oauth_verify(array oauth_signature)'    => array( $fn, fn() => array( 'GET', 'u', array( 'oauth_signature' => array( 'x' ) ) + $good, 'cs' ), $v ),
			'oauth_verify(no oauth_signature_method)' => array( $fn, fn() => array( 'GET', 'u', array_diff_key( $good, array( 'oauth_signature_method' => 1 ) ), 'cs' ), $v ),
			'oauth_verify(null oauth_signature_method)' => array( $fn, fn() => array( 'GET', 'u', array( 'oauth_signature_method' => null ) + $good, 'cs' ), $t ),
			'oauth_verify(PLAINTEXT)'                => array( $fn, fn() => array( 'GET', 'u', array( 'oauth_signature_method' => 'PLAINTEXT' ) + $good, 'cs' ), $v ),
			'oauth_verify(float value)'              => array( $fn, fn() => array( 'GET', 'u', $good + array( 'x' => 0.5 ), 'cs' ), $t ),
			'oauth_verify(nesting 65)'               => array( $fn, fn() => array( 'GET', 'u', $good + self::nested( 65 ), 'cs' ), $v ),
			'oauth_verify(null secret)'              => array( $fn, fn() => array( 'GET', 'u', $good, null ), $t ),
			'oauth_verify(array method)'             => array( $fn, fn() => array( array(), 'u', $good, 'cs' ), $t ),
			'oauth_verify(string params)'            => array( $fn, fn() => array( 'GET', 'u', 'oauth_signature=x', 'cs' ), $t ),
			'oauth_verify(empty strings)'            => array( $fn, fn() => array( '', '', array( 'oauth_signature' => '', 'oauth_signature_method' => 'HMAC-SHA256' ), '' ), null ),
			'oauth_verify(10 MB signature)'          => array( $fn, fn() => array( 'GET', 'u', array( 'oauth_signature' => self::big( '%2B ' ) ) + $good, 'cs' ), null ),
			'oauth_verify(binary)'                   => array( $fn, fn() => array( self::binary(), self::binary(), array( 'oauth_signature' => self::binary(), self::binary() => self::binary() ) + $good, self::binary() ), null ),
		);
	}

	private static function header_cases(): array {
		$t  = \TypeError::class;
		$fn = 'parse_oauth_header';
		return array(
			'parse_oauth_header(null)'      => array( $fn, fn() => array( null ), $t ),
			'parse_oauth_header(int)'       => array( $fn, fn() => array( 0 ), $t ),
			'parse_oauth_header(array)'     => array( $fn, fn() => array( array( 'OAuth ' ) ), $t ),
			'parse_oauth_header("")'        => array( $fn, fn() => array( '' ), null ),
			'parse_oauth_header(binary)'    => array( $fn, fn() => array( 'OAuth oauth_x="' . self::binary() . '", oauth_y=' . self::binary() ), null ),
			'parse_oauth_header(10 MB, many params)' => array( $fn, fn() => array( 'OAuth ' . self::big( 'oauth_nonce="a+b%2C", oauth_t=1, ' ) ), null ),
			'parse_oauth_header(10 MB, unterminated quotes)' => array( $fn, fn() => array( 'OAuth ' . self::big( 'oauth_a="x,' ) ), null ),
			'parse_oauth_header(10 MB, no commas)' => array( $fn, fn() => array( 'OAuth ' . self::big( 'oauth_a=bc ' ) ), null ),
			'parse_oauth_header(10 MB, not OAuth)' => array( $fn, fn() => array( self::big() ), null ),
		);
	}

	private static function equals_cases(): array {
		$t = \TypeError::class;
		return array(
			'equals(null, string)'  => array( 'equals', fn() => array( null, 'x' ), $t ),
			'equals(string, int)'   => array( 'equals', fn() => array( 'x', 1 ), $t ),
			'equals(array, string)' => array( 'equals', fn() => array( array(), 'x' ), $t ),
			'equals("", "")'        => array( 'equals', fn() => array( '', '' ), null ),
			'equals(10 MB, 10 MB)'  => array( 'equals', fn() => array( self::big(), self::big() ), null ),
			'equals(binary, prefix)' => array( 'equals', fn() => array( self::binary(), substr( self::binary(), 0, 5 ) ), null ),
		);
	}

	/** A value the current test key sealed for the row `$ad` (tests/vectors/sealing.json). */
	private static function sealed(): array {
		$vectors = json_decode( (string) file_get_contents( dirname( __DIR__, 3 ) . '/vectors/sealing.json' ), true );
		return array( $vectors['cases'][0]['sealed'], $vectors['cases'][0]['ad'], $vectors['cases'][0]['secret'] );
	}

	private static function sealing_cases(): array {
		$t    = \TypeError::class;
		$v    = \ValueError::class;
		$a    = \ArgumentCountError::class;
		$good = array(
			'oauth_consumer_key'     => 'ck_x',
			'oauth_signature_method' => 'HMAC-SHA1',
			'oauth_signature'        => 'c2ln',
		);
		$zeros = 'ksv1:' . base64_encode( str_repeat( "\0", 40 ) );
		$fn    = 'sealed_oauth_verify';
		return array(
			'seal(3 arguments)'                  => array( 'seal', fn() => array( 's', 'ad', 'x' ), $a ),
			'seal(1 argument)'                   => array( 'seal', fn() => array( 's' ), $a, true ),
			'sealed_equals(4 arguments)'         => array( 'sealed_equals', fn() => array( 's', 'ad', 'p', 'x' ), $a ),
			'sealed_oauth_verify(6 arguments)'   => array( $fn, fn() => array( 'GET', 'u', $good, 's', 'ad', 'x' ), $a ),
			'unseal(3 arguments)'                => array( 'unseal', fn() => array( 's', 'ad', 'x' ), $a ),
			'sealing_status(1)'                  => array( 'sealing_status', fn() => array( 1 ), $a ),
			'seal(null secret)'                  => array( 'seal', fn() => array( null, 'ad' ), $t ),
			'seal(int ad)'                       => array( 'seal', fn() => array( 'cs_x', 7 ), $t ),
			'seal(Stringable secret)'            => array( 'seal', fn() => array( new \Exception( 'cs_x' ), 'ad' ), $t ),
			'seal(65 bytes)'                     => array( 'seal', fn() => array( str_repeat( 's', 65 ), 'ad' ), $v ),
			'seal(10 MB)'                        => array( 'seal', fn() => array( self::big(), 'ad' ), $v ),
			'sealed_equals(array sealed)'        => array( 'sealed_equals', fn() => array( array( 'ksv1:' ), 'ad', 'cs' ), $t ),
			'sealed_equals(null ad)'             => array( 'sealed_equals', fn() => array( self::sealed()[0], null, 'cs' ), $t ),
			'sealed_equals(int presented)'       => array( 'sealed_equals', fn() => array( self::sealed()[0], 'ad', 1 ), $t ),
			'sealed_equals(a cs_ secret)'        => array( 'sealed_equals', fn() => array( 'cs_x', 'ad', 'cs_x' ), $v ),
			'sealed_equals(binary)'              => array( 'sealed_equals', fn() => array( self::binary(), self::binary(), self::binary() ), $v ),
			'sealed_equals(10 MB not base64)'    => array( 'sealed_equals', fn() => array( 'ksv1:' . self::big( '%' ), 'ad', 'cs' ), $v ),
			'sealed_equals(10 MB, opens nothing)' => array( 'sealed_equals', fn() => array( 'ksv1:' . self::big( 'AAAA' ), 'ad', 'cs' ), null ),
			'sealed_equals(the secret)'          => array( 'sealed_equals', fn() => self::sealed(), null ),
			'sealed_equals(another row)'         => array( 'sealed_equals', fn() => array( self::sealed()[0], 'another row', self::sealed()[2] ), null ),
			'sealed_equals(10 MB presented)'     => array( 'sealed_equals', fn() => array( self::sealed()[0], self::sealed()[1], self::big() ), null ),
			'sealed_oauth_verify(null method)'   => array( $fn, fn() => array( null, 'u', $good, $zeros, 'ad' ), $t ),
			'sealed_oauth_verify(string params)' => array( $fn, fn() => array( 'GET', 'u', 'a=1', $zeros, 'ad' ), $t ),
			'sealed_oauth_verify(int sealed)'    => array( $fn, fn() => array( 'GET', 'u', $good, 5, 'ad' ), $t ),
			'sealed_oauth_verify(array ad)'      => array( $fn, fn() => array( 'GET', 'u', $good, $zeros, array() ), $t ),
			'sealed_oauth_verify(float value)'   => array( $fn, fn() => array( 'GET', 'u', $good + array( 'x' => 0.5 ), 'not sealed', 'ad' ), $t ),
			'sealed_oauth_verify(nesting 65)'    => array( $fn, fn() => array( 'GET', 'u', $good + self::nested( 65 ), 'not sealed', 'ad' ), $v ),
			'sealed_oauth_verify(no oauth_signature)' => array( $fn, fn() => array( 'GET', 'u', array_diff_key( $good, array( 'oauth_signature' => 1 ) ), 'not sealed', 'ad' ), $v ),
			'sealed_oauth_verify(PLAINTEXT)'     => array( $fn, fn() => array( 'GET', 'u', array( 'oauth_signature_method' => 'PLAINTEXT' ) + $good, 'not sealed', 'ad' ), $v ),
			'sealed_oauth_verify(not sealed)'    => array( $fn, fn() => array( 'GET', 'u', $good, 'cs_x', 'ad' ), $v ),
			'sealed_oauth_verify(opens nothing)' => array( $fn, fn() => array( 'GET', 'u', $good, $zeros, 'ad' ), null ),
			'sealed_oauth_verify(10 MB signature)' => array( $fn, fn() => array( 'GET', 'u', array( 'oauth_signature' => self::big( '%2B ' ) ) + $good, self::sealed()[0], self::sealed()[1] ), null ),
			'sealed_oauth_verify(binary)'        => array( $fn, fn() => array( self::binary(), self::binary(), array( self::binary() => self::binary() ) + $good, self::sealed()[0], self::sealed()[1] ), null ),
			'unseal(null)'                       => array( 'unseal', fn() => array( null, 'ad' ), $t ),
			'unseal(int ad)'                     => array( 'unseal', fn() => array( $zeros, 1 ), $t ),
			'unseal(not sealed)'                 => array( 'unseal', fn() => array( 'ksv1:****', 'ad' ), $v ),
			'unseal(opens nothing)'              => array( 'unseal', fn() => array( $zeros, 'ad' ), $v ),
			'unseal(another row)'                => array( 'unseal', fn() => array( self::sealed()[0], 'another row' ), $v ),
			'unseal(the secret)'                 => array( 'unseal', fn() => array( self::sealed()[0], self::sealed()[1] ), null ),
		);
	}
}
