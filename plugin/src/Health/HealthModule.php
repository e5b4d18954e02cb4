<?php
/**
 * Wires Keysmith's health reporting: the Site Health tests and Info section, and the admin notice
 * of the version handshake. All of it runs only in the admin; nothing here touches a REST request.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Health;

final class HealthModule {

	public static function register(): void {
		add_filter( 'site_status_tests', array( SiteHealthCheck::class, 'register_test' ) );
		add_filter( 'site_status_tests', array( ForgottenKeysCheck::class, 'register_test' ) );
		add_filter( 'site_status_tests', array( SealingCheck::class, 'register_test' ) );
		add_filter( 'debug_information', array( DebugInfo::class, 'add_section' ) );
		add_action( 'admin_notices', array( VersionNotice::class, 'render' ) );
		add_action( 'admin_post_' . VersionNotice::ACTION, array( VersionNotice::class, 'handle_dismiss' ) );
	}
}
