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
					__( 'Filter the list by user, permissions, where keys were made, last use, expiry or recent failures, or search by description or the last characters of the consumer key. Sort by clicking a column title.', 'keysmith' )
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
				'id'      => 'keysmith-protection',
				'title'   => __( 'Failing keys and protection', 'keysmith' ),
				'content' => self::paragraphs(
					__( 'The column "Failures (24 h)" counts the requests refused with each key in the last 24 hours, with the time, client address and reason of the last one. The view "Failing" above the list shows only those keys; it combines with the other filters and with "Apply to all … keys", for instance to rotate or revoke every failing key.', 'keysmith' ),
					__( 'The Protection view turns early refusals (refused requests answered before WooCommerce loads) and throttling (clients that keep failing wait until their window ends) on or off, and sets how many failures are allowed and for how long. It lists the revoked, rotated-out or expired keys still being tried (usually a forgotten integration) and the addresses trying keys nobody knows. "Reset throttling" lets every blocked client try again at once; the failures stay listed.', 'keysmith' )
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
