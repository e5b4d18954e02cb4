<?php
/**
 * Contextual help of Keysmith's section (only when the section is shown: the screen is shared by
 * all WooCommerce settings).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

final class HelpTabs {

	public static function add(): void {
		$screen = get_current_screen();
		if ( ! $screen instanceof \WP_Screen ) {
			return;
		}
		$screen->add_help_tab(
			array(
				'id'      => 'keysmith-overview',
				'title'   => __( 'Bulk key management', 'keysmith' ),
				'content' => self::paragraphs(
					__( 'This screen manages many WooCommerce REST API keys at once. The keys are ordinary WooCommerce keys: they also appear under REST API, and keep working if Keysmith is removed.', 'keysmith' ),
					__( 'Filter the list by user, permissions, last use or expiry, or search by description or the last characters of the consumer key. Sort by clicking a column title.', 'keysmith' )
				),
			)
		);
		$screen->add_help_tab(
			array(
				'id'      => 'keysmith-bulk',
				'title'   => __( 'Bulk actions', 'keysmith' ),
				'content' => self::paragraphs(
					__( 'Tick keys, or tick "Apply to all … keys" to act on every key matching the filters, then choose an action and Apply. A confirmation page shows exactly how many keys will change before anything happens.', 'keysmith' ),
					__( 'Revoke deletes keys, as WooCommerce does. Rotate creates a replacement key with a new secret for each key; the old key keeps working for the grace period you choose, then expires. Every change is written to the audit log.', 'keysmith' )
				),
			)
		);
		$screen->add_help_tab(
			array(
				'id'      => 'keysmith-secrets',
				'title'   => __( 'Secrets', 'keysmith' ),
				'content' => self::paragraphs(
					__( 'New consumer secrets are shown once, right after creation or rotation, with CSV and JSON downloads built in your browser. Keysmith keeps no copy outside WooCommerce’s own key table, so save them before leaving the page.', 'keysmith' )
				),
			)
		);
		$screen->set_help_sidebar(
			'<p><strong>' . esc_html__( 'More:', 'keysmith' ) . '</strong></p><p><a href="' . esc_url( Screen::url( 'audit' ) ) . '">' . esc_html__( 'Audit log', 'keysmith' ) . '</a></p>'
		);
	}

	private static function paragraphs( string ...$texts ): string {
		return implode( '', array_map( static fn( string $text ): string => '<p>' . esc_html( $text ) . '</p>', $texts ) );
	}
}
