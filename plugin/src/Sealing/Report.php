<?php
/**
 * Sealing as it stands on this site and server, for `wp keysmith sealing status`, `wp keysmith
 * doctor`, Site Health and Keysmith's screen: on or off, where the key comes from, how the
 * secrets are stored, and what is wrong, each problem with its fix. One assessment, so the four
 * never disagree.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Sealing;

final class Report {

	public const CRITICAL = 'critical';
	public const WARNING  = 'warning';

	/**
	 * @param array{enabled: bool, pending: ?string}                                                $state
	 * @param array{total: int, sealed: int, plaintext: int, orphaned: int, by_key: array<string, int>} $counts
	 */
	public function __construct(
		public readonly array $state,
		public readonly KeyStatus $key,
		public readonly array $counts
	) {}

	public static function now(): self {
		return new self( State::get(), KeyStatus::current(), SealedStore::counts() );
	}

	/** "on", "off", or "on (sealing did not finish)" and the like. */
	public function state_label(): string {
		$pending = array(
			State::SEAL   => __( 'sealing did not finish', 'keysmith' ),
			State::UNSEAL => __( 'unsealing did not finish', 'keysmith' ),
			State::ROTATE => __( 're-sealing under the new key did not finish', 'keysmith' ),
		);
		$label = $this->state['enabled'] ? __( 'on', 'keysmith' ) : __( 'off', 'keysmith' );
		return null === $this->state['pending'] ? $label : sprintf( '%s (%s)', $label, $pending[ $this->state['pending'] ] );
	}

	/** "1,234 sealed, 0 in plaintext" (and lost ones, if any). */
	public function counts_label(): string {
		$label = sprintf(
			/* translators: 1: number of sealed secrets, 2: number of plaintext secrets. */
			__( '%1$s sealed, %2$s in plaintext', 'keysmith' ),
			number_format_i18n( $this->counts['sealed'] ),
			number_format_i18n( $this->counts['plaintext'] )
		);
		if ( $this->counts['orphaned'] > 0 ) {
			/* translators: %s: number of keys. */
			$label .= ', ' . sprintf( __( '%s whose sealed value is lost', 'keysmith' ), number_format_i18n( $this->counts['orphaned'] ) );
		}
		return $label;
	}

	/** The key in a phrase: where it comes from and its fingerprint, or why it is unusable. */
	public function key_label(): string {
		if ( $this->key->configured ) {
			/* translators: 1: where the key comes from, 2: its fingerprint. */
			return sprintf( __( '%1$s Fingerprint %2$s.', 'keysmith' ), $this->key->where(), (string) $this->key->fingerprint );
		}
		return null === $this->key->source ? $this->key->where() : $this->key->where() . ' ' . (string) $this->key->problem();
	}

	/** CRITICAL, WARNING or null: the worst problem. */
	public function worst(): ?string {
		$levels = array_column( $this->problems(), 'level' );
		if ( in_array( self::CRITICAL, $levels, true ) ) {
			return self::CRITICAL;
		}
		return array() === $levels ? null : self::WARNING;
	}

	/**
	 * What is wrong, worst first.
	 *
	 * @return list<array{level: string, message: string, fix: string}>
	 */
	public function problems(): array {
		$problems = array();
		$engaged  = $this->state['enabled'] || null !== $this->state['pending'] || $this->counts['sealed'] > 0;
		$by_key   = $this->counts['by_key'];
		if ( $engaged && ! $this->key->configured ) {
			$expected   = array() === $by_key ? '' : ' ' . sprintf(
				/* translators: %s: a key fingerprint. */
				__( 'The secrets were sealed with the key whose fingerprint is %s.', 'keysmith' ),
				(string) array_key_first( $by_key )
			);
			$problems[] = self::problem(
				self::CRITICAL,
				sprintf(
					/* translators: 1: why there is no key, 2: number of secrets. */
					__( 'Sealing is on, but this server has no usable sealing key: %1$s Requests with the %2$s sealed keys are refused (HTTP 500, keysmith_sealing_unavailable); nothing in the tables changed, and restoring the key restores them.', 'keysmith' ),
					(string) $this->key->problem(),
					number_format_i18n( $this->counts['sealed'] )
				) . $expected,
				KeyStatus::fix()
			);
		}
		foreach ( $by_key as $fingerprint => $count ) {
			$fingerprint = (string) $fingerprint;
			if ( ! $this->key->configured ) {
				break;
			}
			if ( ! $this->key->holds( $fingerprint ) ) {
				$problems[] = self::problem(
					self::CRITICAL,
					sprintf(
						/* translators: 1: number of secrets, 2: key fingerprint, 3: key fingerprint. */
						__( '%1$s secrets are sealed with the key %2$s, which this server does not hold (its key is %3$s): those keys are refused (HTTP 500, keysmith_sealing_unavailable).', 'keysmith' ),
						number_format_i18n( $count ),
						$fingerprint,
						(string) $this->key->fingerprint
					),
					__( 'Configure the key with that fingerprint: as keysmith.sealing_key_file, or as keysmith.sealing_previous_key_file (KEYSMITH_SEALING_PREVIOUS_KEY_FILE) while you re-seal with `wp keysmith sealing rotate-key`.', 'keysmith' )
				);
			} elseif ( $fingerprint === $this->key->previous_fingerprint() ) {
				$problems[] = self::problem(
					self::WARNING,
					/* translators: 1: number of secrets, 2: key fingerprint. */
					sprintf( __( '%1$s secrets are still sealed with the previous key %2$s.', 'keysmith' ), number_format_i18n( $count ), $fingerprint ),
					sprintf( 'wp keysmith sealing rotate-key --new-key-file=%s', (string) $this->key->key_file )
				);
			}
		}
		if ( $this->counts['orphaned'] > 0 ) {
			$problems[] = self::problem(
				self::CRITICAL,
				/* translators: %s: number of keys. */
				sprintf( __( '%s keys have a sealing marker in WooCommerce\'s table but no sealed secret in Keysmith\'s: they cannot authenticate any more.', 'keysmith' ), number_format_i18n( $this->counts['orphaned'] ) ),
				__( 'Revoke them and issue new keys to their integrations.', 'keysmith' )
			);
		}
		if ( $this->state['enabled'] && $this->counts['plaintext'] > 0 ) {
			$problems[] = self::problem(
				self::WARNING,
				/* translators: %s: number of secrets. */
				sprintf( __( 'Sealing is on, but %s secrets are still in plaintext (sealing did not finish, or keys were made outside Keysmith since the last hourly run).', 'keysmith' ), number_format_i18n( $this->counts['plaintext'] ) ),
				'wp keysmith sealing on'
			);
		}
		if ( ! $this->state['enabled'] && $this->counts['sealed'] > 0 ) {
			$problems[] = self::problem(
				self::WARNING,
				/* translators: %s: number of secrets. */
				sprintf( __( 'Sealing is off, but %s secrets are still sealed (unsealing did not finish): WooCommerce alone cannot verify them.', 'keysmith' ), number_format_i18n( $this->counts['sealed'] ) ),
				'wp keysmith sealing off'
			);
		}
		$previous = $this->key->previous;
		if ( null !== $previous && null !== $previous['error'] ) {
			$problems[] = self::problem( self::WARNING, (string) $previous['error'], __( 'Fix the previous key file, or remove the setting if no secret needs it.', 'keysmith' ) );
		} elseif ( null !== $previous && 0 === ( $by_key[ (string) $previous['fingerprint'] ] ?? 0 ) && null === $this->state['pending'] ) {
			$problems[] = self::problem(
				self::WARNING,
				__( 'A previous sealing key is configured, but no secret is sealed with it.', 'keysmith' ),
				__( 'Remove keysmith.sealing_previous_key_file (or KEYSMITH_SEALING_PREVIOUS_KEY_FILE), then reload PHP-FPM; keep the old key file only as long as your backups need it.', 'keysmith' )
			);
		}
		usort( $problems, static fn( array $a, array $b ): int => ( self::CRITICAL === $b['level'] ) <=> ( self::CRITICAL === $a['level'] ) );
		return $problems;
	}

	/** @return array{level: string, message: string, fix: string} */
	private static function problem( string $level, string $message, string $fix ): array {
		return array(
			'level'   => $level,
			'message' => $message,
			'fix'     => $fix,
		);
	}
}
