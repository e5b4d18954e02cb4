<?php
/**
 * Randomized differential test: on generated requests the extension, the twin and the
 * WooCommerce reference (tests/vectors/generate.php) must give identical bytes for
 * oauth_base_string, oauth_signature, oauth_verify, parse_oauth_header, api_hash and equals.
 *
 * Seeded (Keysmith\Tests\Seeds): a fixed list of seeds plus one random seed, printed; each
 * difference names the seed and request that caused it. Replay: KEYSMITH_DIFF_SEED=<seed>[,<seed>…]
 * tests/php/run-unit.sh --filter Differential. KEYSMITH_DIFF_COUNT changes the number of requests
 * per seed (default 5,000).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Tests\Unit;

use Keysmith\Tests\Unit\Support\Implementations;
use Keysmith\Tests\Unit\Support\ParityTestCase;
use Keysmith\Tests\Unit\Support\RequestGenerator;
use Keysmith\Tests\Seeds;
use Keysmith\Tests\WcReference as Wc;

final class DifferentialTest extends ParityTestCase {

	/** Requests per seed. */
	private const DEFAULT_COUNT = 5000;

	/** Seeds every run uses (one random seed is added). */
	private const FIXED_SEEDS = array( 20261205, 7, 1048576 );

	/** Differences found, with the input that caused each (first few only). */
	private array $differences = array();

	private int $difference_count = 0;

	/**
	 * Each implementation against WooCommerce's own algorithm on the same generated requests;
	 * as both must equal the reference byte for byte, native and twin equal each other.
	 *
	 * @dataProvider implementations
	 */
	public function test_agrees_with_woocommerce_on_generated_requests( string $impl ): void {
		$this->need( $impl );
		// The same seeds for both implementations: they see the same requests.
		$seeds = Seeds::for_run( 'differential requests', 'KEYSMITH_DIFF_SEED', self::FIXED_SEEDS );
		$count = (int) ( getenv( 'KEYSMITH_DIFF_COUNT' ) ?: self::DEFAULT_COUNT );

		foreach ( $seeds as $seed ) {
			$gen = new RequestGenerator( $seed );
			for ( $i = 0; $i < $count; $i++ ) {
				$this->check_request( $impl, "seed $seed request #$i", $i, $gen->request() );
			}
		}

		$this->assertSame(
			0,
			$this->difference_count,
			sprintf(
				"%s: %d differences in %d generated requests from seeds %s (replay one: KEYSMITH_DIFF_SEED=<seed> tests/php/run-unit.sh --filter Differential)\n%s",
				$impl,
				$this->difference_count,
				$count * count( $seeds ),
				implode( ', ', $seeds ),
				implode( "\n", $this->differences )
			)
		);
		$this->addToAssertionCount( $count * count( $seeds ) );
	}

	private function check_request( string $impl, string $label, int $i, array $r ): void {
		$base = Wc\string_to_sign( $r['method'], $r['url'], $r['params'] );
		$this->same( $impl, $label, 'oauth_base_string', array( $r['method'], $r['url'], $r['params'] ), $base );

		$signature = Wc\oauth_signature( $base, $r['secret'], $r['signature_method'] );
		$this->same( $impl, $label, 'oauth_signature', array( $base, $r['secret'], $r['signature_method'] ), $signature );

		// A correctly signed request (signature sent raw or percent-encoded) and a wrong one.
		$signed                           = $r['params'];
		$signed['oauth_signature_method'] = $r['signature_method'];
		$signed['oauth_signature']        = 'placeholder';
		$signed['oauth_signature']        = Wc\oauth_signature( Wc\string_to_sign( $r['method'], $r['url'], $signed ), $r['secret'], $r['signature_method'] );
		if ( 1 === $i % 3 ) {
			$signed['oauth_signature'] = rawurlencode( $signed['oauth_signature'] );
		} elseif ( 2 === $i % 3 ) {
			$signed['oauth_signature'] = str_replace( '+', ' ', $signed['oauth_signature'] );
		}
		$this->same( $impl, $label, 'oauth_verify', array( $r['method'], $r['url'], $signed, $r['secret'] ), true );
		$wrong                    = $signed;
		$wrong['oauth_signature'] = base64_encode( substr( $r['bytes'], 0, 20 ) );
		$this->same( $impl, $label, 'oauth_verify', array( $r['method'], $r['url'], $wrong, $r['secret'] ), Wc\oauth_verify( $r['method'], $r['url'], $wrong, $r['secret'] ) );

		$this->refused_alike( $impl, $label, 'oauth_base_string', array( $r['method'], $r['url'], $r['bad_params'] ) );
		$this->refused_alike( $impl, $label, 'oauth_verify', array( $r['method'], $r['url'], $r['bad_params'] + $signed, $r['secret'] ) );

		$this->same( $impl, $label, 'parse_oauth_header', array( $r['header'] ), Wc\parse_header( $r['header'] ) );
		$this->same( $impl, $label, 'api_hash', array( $r['bytes'] ), Wc\wc_api_hash( $r['bytes'] ) );

		$other = 0 === $i % 3 ? $r['bytes'] : substr( $r['bytes'], 1 ) . 'x';
		$this->same( $impl, $label, 'equals', array( $r['bytes'], $other ), hash_equals( $r['bytes'], $other ) );
	}

	/** Records a difference unless `$impl` returns `$expected`. */
	private function same( string $impl, string $label, string $fn, array $args, mixed $expected ): void {
		$outcome = Implementations::outcome( $impl, $fn, $args );
		if ( array( 'return', $expected ) === $outcome ) {
			return;
		}
		++$this->difference_count;
		if ( count( $this->differences ) < 5 ) {
			$this->differences[] = sprintf(
				"%s %s\n  args: %s\n  expected (WooCommerce): %s\n  got: %s",
				$label,
				$fn,
				self::show( $args ),
				self::show( $expected ),
				self::show( $outcome )
			);
		}
	}

	/**
	 * Bad params: the twin must refuse them (TypeError / ValueError); native must refuse them
	 * exactly as the twin does (class and message). WooCommerce has no opinion here.
	 */
	private function refused_alike( string $impl, string $label, string $fn, array $args ): void {
		$twin = Implementations::outcome( Implementations::TWIN, $fn, $args );
		$ok   = Implementations::NATIVE === $impl
			? Implementations::outcome( Implementations::NATIVE, $fn, $args ) === $twin
			: 'throw' === $twin[0] && in_array( $twin[1], array( \TypeError::class, \ValueError::class ), true );
		if ( $ok ) {
			return;
		}
		++$this->difference_count;
		if ( count( $this->differences ) < 5 ) {
			$this->differences[] = sprintf(
				"%s %s (bad params)\n  args: %s\n  twin: %s\n  native: %s",
				$label,
				$fn,
				self::show( $args ),
				self::show( $twin ),
				self::show( Implementations::NATIVE === $impl ? Implementations::outcome( Implementations::NATIVE, $fn, $args ) : '-' )
			);
		}
	}

	/** Binary-safe, bounded dump for failure messages. */
	private static function show( mixed $value ): string {
		$json = json_encode( $value, JSON_INVALID_UTF8_SUBSTITUTE | JSON_UNESCAPED_SLASHES | JSON_PARTIAL_OUTPUT_ON_ERROR );
		return strlen( (string) $json ) > 1500 ? substr( (string) $json, 0, 1500 ) . '…' : (string) $json;
	}
}
