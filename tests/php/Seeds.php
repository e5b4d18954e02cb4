<?php
/**
 * Seeds for the generated corpora (the unit suite's differential test, the Auth parity corpus):
 * every run uses a fixed list, so a corpus that once passed is checked again, plus one random seed,
 * printed, so each run also explores requests no run saw before. A failure names its seed; setting
 * the variable given (e.g. KEYSMITH_DIFF_SEED=123,456) replays exactly those seeds.
 * tests/php/integration/Auth/HostileRequestsTest.php follows the same rule with its own code.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests;

final class Seeds {

	/** @var array<string, list<int>> The seeds chosen for each corpus in this run. */
	private static array $chosen = array();

	/**
	 * The seeds of one corpus for this run (the same on every call within the run).
	 *
	 * @param string    $corpus What the seeds are for, as printed ("differential requests").
	 * @param string    $env    Variable that replays given seeds: a comma-separated list.
	 * @param list<int> $fixed  Seeds every run uses.
	 * @return list<int>
	 */
	public static function for_run( string $corpus, string $env, array $fixed ): array {
		if ( isset( self::$chosen[ $corpus ] ) ) {
			return self::$chosen[ $corpus ];
		}
		$given = getenv( $env );
		if ( is_string( $given ) && '' !== trim( $given ) ) {
			$seeds = array_map( 'intval', explode( ',', $given ) );
			fwrite( STDERR, sprintf( "\n%s: seeds %s (from %s)\n", $corpus, implode( ',', $seeds ), $env ) );
		} else {
			$random = random_int( 1, PHP_INT_MAX >> 1 );
			$seeds  = array_merge( $fixed, array( $random ) );
			fwrite( STDERR, sprintf( "\n%s: seeds %s and random %d (replay one with %s=%d)\n", $corpus, implode( ',', $fixed ), $random, $env, $random ) );
		}
		self::$chosen[ $corpus ] = $seeds;
		return $seeds;
	}
}
