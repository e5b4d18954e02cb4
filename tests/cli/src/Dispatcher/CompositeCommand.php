<?php
/**
 * TEST STAND-IN for WP_CLI\Dispatcher\CompositeCommand: a command with subcommands (a class
 * registered with add_command, or a parent such as `wp keysmith` of `wp keysmith policy`).
 * Subcommands are kept sorted by name; `wp <command>` alone prints every subcommand's usage.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace Keysmith\Tests\Cli\Dispatcher;

use Keysmith\Tests\Cli\DocParser;
use Keysmith\Tests\Cli\GlobalParameters;
use WP_CLI;

class CompositeCommand {

	protected string $shortdesc;

	protected string $longdesc;

	/** @var array<string, CompositeCommand> */
	protected array $subcommands = array();

	public function __construct( protected ?CompositeCommand $parent, protected string $name, protected DocParser $docparser ) {
		$this->shortdesc = $docparser->shortdesc();
		$this->longdesc  = $docparser->longdesc();
	}

	public function parent(): ?CompositeCommand {
		return $this->parent;
	}

	public function name(): string {
		return $this->name;
	}

	public function shortdesc(): string {
		return $this->shortdesc;
	}

	public function set_shortdesc( string $text ): void {
		$this->shortdesc = str_replace( "\r\n", "\n", $text );
	}

	public function set_longdesc( string $text ): void {
		$this->longdesc = str_replace( "\r\n", "\n", $text );
	}

	/** The long description with WP-CLI's global parameters appended, as `wp help` shows it. */
	public function longdesc(): string {
		$nested = null !== $this->parent && self::class === get_class( $this->parent );
		return $this->longdesc . GlobalParameters::help_section( ! $this->can_have_subcommands() || $nested, array() !== $this->subcommands() );
	}

	public function can_have_subcommands(): bool {
		return true;
	}

	public function synopsis(): string {
		return '<command>';
	}

	public function alias(): string {
		return '';
	}

	/** `wp a b` for this command. */
	public function path(): string {
		$names = array();
		for ( $command = $this; null !== $command; $command = $command->parent() ) {
			array_unshift( $names, $command->name() );
		}
		return implode( ' ', $names );
	}

	public function usage( string $prefix ): string {
		return $prefix . $this->path() . ' ' . $this->synopsis();
	}

	/** @return array<string, CompositeCommand> Sorted by name (WP-CLI ksort()s on every read). */
	public function subcommands(): array {
		ksort( $this->subcommands );
		return $this->subcommands;
	}

	public function add_subcommand( string $name, CompositeCommand $command, bool $override = true ): void {
		if ( $override || ! isset( $this->subcommands[ $name ] ) ) {
			$this->subcommands[ $name ] = $command;
		}
	}

	/** The subcommand named $args[0] (or whose @alias it is), shifting it off $args. */
	public function find_subcommand( array &$args ): ?CompositeCommand {
		$name        = (string) array_shift( $args );
		$subcommands = $this->subcommands();
		if ( ! isset( $subcommands[ $name ] ) ) {
			foreach ( $subcommands as $real => $subcommand ) {
				if ( '' !== $subcommand->alias() && $subcommand->alias() === $name ) {
					$name = $real;
				}
			}
		}
		return $subcommands[ $name ] ?? null;
	}

	/** "usage: wp x a …" / "   or: wp x b …", an empty line and where to find more help. */
	public function show_usage(): void {
		$i = 0;
		foreach ( $this->subcommands() as $subcommand ) {
			WP_CLI::line( $subcommand->usage( 0 === $i++ ? 'usage: ' : '   or: ' ) );
		}
		$name = implode( ' ', array_slice( explode( ' ', $this->path() ), 1 ) );
		WP_CLI::line();
		WP_CLI::line( "See 'wp help $name <command>' for more information on a specific command." );
	}

	public function invoke( array $args, array $assoc_args ): void {
		$this->show_usage();
	}
}
