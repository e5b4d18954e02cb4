<?php
/**
 * TEST STAND-IN for WP_CLI\Dispatcher\CommandFactory and the path logic of WP_CLI::add_command():
 * what a registered callable becomes.
 *
 * - A closure or function: one command, documented by its docblock.
 * - [ class or object, method ]: one command, the method's docblock.
 * - A class (or object) with __invoke: one command, __invoke's docblock.
 * - Any other class: a command with one subcommand per public, non-static method not starting
 *   with "__", named by its `@subcommand` tag or else the method name as written; the class
 *   docblock documents the parent.
 * - "a b c": `c` under `a b`; when `a b` is not registered yet the addition waits until it is
 *   (WP-CLI defers it), unless `is_deferred` makes an empty parent.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace Keysmith\Tests\Cli\Dispatcher;

use Closure;
use Keysmith\Tests\Cli\DocParser;
use ReflectionClass;
use ReflectionFunction;
use ReflectionMethod;

final class CommandFactory {

	/** @var array<string, array{0: string, 1: mixed, 2: array}> name => [parent path, callable, args] */
	private static array $deferred = array();

	public static function reset(): void {
		self::$deferred = array();
	}

	/**
	 * WP_CLI::add_command()'s work after its checks: false when deferred or not added.
	 *
	 * @param array<string, mixed> $args shortdesc, longdesc, synopsis (string), is_deferred.
	 */
	public static function add( RootCommand $root, string $name, mixed $callable, array $args ): bool {
		$path   = (array) preg_split( '/\s+/', $name );
		$leaf   = (string) array_pop( $path );
		$parent = $root;
		while ( array() !== $path ) {
			$lookup = $path;
			$found  = $parent->find_subcommand( $lookup );
			if ( null === $found ) {
				if ( ! empty( $args['is_deferred'] ) ) {
					$found = new CompositeCommand( $parent, (string) $path[0], new DocParser( '' ) );
					$parent->add_subcommand( (string) $path[0], $found );
				} else {
					$args['is_deferred']     = true;
					self::$deferred[ $name ] = array( implode( ' ', $path ), $callable, $args );
					return false;
				}
			}
			$parent = $found;
			array_shift( $path );
		}
		if ( ! $parent->can_have_subcommands() ) {
			throw new \Exception( sprintf( "'%s' can't have subcommands.", $parent->path() ) );
		}
		$command  = self::create( $leaf, $callable, $parent );
		$existing = $parent->subcommands()[ $leaf ] ?? null;
		if ( null !== $existing && $existing->can_have_subcommands() ) {
			// Subcommands registered earlier under the same name stay; the new ones win a clash.
			$keep = $command->can_have_subcommands() ? $command : $existing;
			foreach ( $existing->subcommands() as $sub_name => $sub ) {
				$keep->add_subcommand( $sub_name, $sub, false );
			}
			foreach ( $command->subcommands() as $sub_name => $sub ) {
				$keep->add_subcommand( $sub_name, $sub );
			}
		}
		if ( isset( $args['shortdesc'] ) ) {
			$command->set_shortdesc( (string) $args['shortdesc'] );
		}
		if ( isset( $args['longdesc'] ) ) {
			$command->set_longdesc( (string) $args['longdesc'] );
		}
		if ( isset( $args['synopsis'] ) && is_string( $args['synopsis'] ) && $command instanceof Subcommand ) {
			$command->set_synopsis( $args['synopsis'] );
		}
		$parent->add_subcommand( $leaf, $command );
		self::run_deferred( $root, $name );
		return true;
	}

	/** Additions that were waiting for $parent_name. */
	private static function run_deferred( RootCommand $root, string $parent_name ): void {
		foreach ( self::$deferred as $name => list( $parent, $callable, $args ) ) {
			if ( $parent === $parent_name ) {
				unset( self::$deferred[ $name ] );
				self::add( $root, $name, $callable, $args );
			}
		}
	}

	/** Before a command runs, additions still waiting get empty parents (is_deferred). */
	public static function add_remaining_deferred( RootCommand $root ): void {
		foreach ( self::$deferred as $name => list( , $callable, $args ) ) {
			unset( self::$deferred[ $name ] );
			self::add( $root, $name, $callable, $args );
		}
	}

	private static function create( string $name, mixed $callable, CompositeCommand $parent ): CompositeCommand {
		if ( $callable instanceof Closure || ( is_string( $callable ) && function_exists( $callable ) ) ) {
			return self::subcommand( $parent, $name, $callable, new ReflectionFunction( $callable ) );
		}
		if ( is_array( $callable ) ) {
			return self::subcommand( $parent, $name, $callable, new ReflectionMethod( $callable[0], $callable[1] ) );
		}
		$class = new ReflectionClass( $callable );
		if ( $class->hasMethod( '__invoke' ) ) {
			return self::subcommand( $parent, $name, array( is_object( $callable ) ? $callable : $class->name, '__invoke' ), $class->getMethod( '__invoke' ) );
		}
		$container = new CompositeCommand( $parent, $name, new DocParser( (string) $class->getDocComment() ) );
		foreach ( $class->getMethods() as $method ) {
			if ( ! $method->isPublic() || $method->isStatic() || str_starts_with( $method->getName(), '__' ) ) {
				continue;
			}
			$sub = self::subcommand( $container, '', array( is_object( $callable ) ? $callable : $class->name, $method->name ), $method );
			$container->add_subcommand( $sub->name(), $sub );
		}
		return $container;
	}

	private static function subcommand( CompositeCommand $parent, string $name, mixed $callable, ReflectionFunction|ReflectionMethod $reflection ): Subcommand {
		$doc = new DocParser( (string) $reflection->getDocComment() );
		if ( is_array( $callable ) && '' === $name ) {
			$name = $doc->tag( 'subcommand' ) ?: $reflection->name;
		}
		$run = static function ( array $args, array $assoc_args ) use ( $callable ): void {
			if ( is_array( $callable ) ) {
				$object = is_object( $callable[0] ) ? $callable[0] : new $callable[0]();
				$object->{$callable[1]}( $args, $assoc_args );
			} else {
				$callable( $args, $assoc_args );
			}
		};
		return new Subcommand( $parent, $name, $doc, $run );
	}
}
