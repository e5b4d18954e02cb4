<?php
/**
 * The audit trail: who did what to which key, when, and through which front end. Read through
 * Store\AuditLog::query(), newest first.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use Keysmith\Store\AuditLog;
use WP_Error;

if ( ! class_exists( 'WP_List_Table', false ) ) {
	require_once ABSPATH . 'wp-admin/includes/class-wp-list-table.php';
}

final class AuditListTable extends \WP_List_Table {

	private const PER_PAGE = 50;

	private ?WP_Error $error = null;

	public function __construct( private readonly AuditRequest $request ) {
		parent::__construct(
			array(
				'singular' => 'keysmith_audit_entry',
				'plural'   => 'keysmith_audit_entries',
				'ajax'     => false,
				// A screen id of its own: the audit columns must not mix with the key list's column preferences.
				'screen'   => 'keysmith-audit',
			)
		);
	}

	/** @return array<string, string> */
	public function get_columns(): array {
		return array(
			'occurred_at' => __( 'When', 'keysmith' ),
			'action'      => __( 'Action', 'keysmith' ),
			'key'         => __( 'Key', 'keysmith' ),
			'key_owner'   => __( 'Key owner', 'keysmith' ),
			'actor'       => __( 'By', 'keysmith' ),
			'source'      => __( 'Source', 'keysmith' ),
			'details'     => __( 'Details', 'keysmith' ),
		);
	}

	public function prepare_items(): void {
		$this->_column_headers = array( $this->get_columns(), array(), array(), 'occurred_at' );
		$query                 = $this->request->to_query();
		if ( $query instanceof WP_Error ) {
			$this->error = $query;
			$this->items = array();
			return;
		}
		$page        = AuditLog::query( $query, $this->get_pagenum(), self::PER_PAGE );
		$this->items = $page['items'];
		$this->set_pagination_args(
			array(
				'total_items' => $page['total'],
				'per_page'    => self::PER_PAGE,
			)
		);
	}

	public function no_items(): void {
		echo esc_html( null !== $this->error ? $this->error->get_error_message() : __( 'No audit entries found.', 'keysmith' ) );
	}

	/** @param array<string, mixed> $item */
	public function column_occurred_at( $item ): string {
		return esc_html( Labels::utc_datetime( (string) $item['occurred_at'] ) );
	}

	/** @param array<string, mixed> $item */
	public function column_action( $item ): string {
		return '<span class="keysmith-audit-action keysmith-audit-' . esc_attr( (string) $item['action'] ) . '">' . esc_html( self::action_label( (string) $item['action'] ) ) . '</span>';
	}

	/** @param array<string, mixed> $item */
	public function column_key( $item ): string {
		return sprintf(
			'<a href="%s"><code>&hellip;%s</code></a> <span class="keysmith-muted">#%d</span>',
			esc_url( Screen::url( 'audit', array( 'ks_key_id' => (int) $item['key_id'] ) ) ),
			esc_html( (string) $item['truncated_key'] ),
			(int) $item['key_id']
		);
	}

	/** @param array<string, mixed> $item */
	public function column_key_owner( $item ): string {
		return esc_html( Labels::user_name( (int) $item['key_owner'] ) );
	}

	/** @param array<string, mixed> $item */
	public function column_actor( $item ): string {
		return esc_html( Labels::user_name( (int) $item['actor_id'] ) );
	}

	/** @param array<string, mixed> $item */
	public function column_source( $item ): string {
		return esc_html( (string) $item['source'] );
	}

	/** @param array<string, mixed> $item */
	public function column_details( $item ): string {
		$parts = array();
		foreach ( (array) $item['details'] as $field => $value ) {
			if ( 'changes' === $field && is_array( $value ) ) {
				foreach ( $value as $changed => $pair ) {
					$pair = (array) $pair;
					$old  = self::scalar( $pair[0] ?? null );
					$new  = self::scalar( $pair[1] ?? null );
					if ( 'user_id' === $changed ) {
						// Owners by name: "owner: admin → Shop Manager".
						list( $changed, $old, $new ) = array( __( 'owner', 'keysmith' ), Labels::user_name( (int) ( $pair[0] ?? 0 ) ), Labels::user_name( (int) ( $pair[1] ?? 0 ) ) );
					}
					/* translators: 1: field name, 2: old value, 3: new value. */
					$parts[] = sprintf( __( '%1$s: %2$s → %3$s', 'keysmith' ), $changed, $old, $new );
				}
				continue;
			}
			$parts[] = $field . ': ' . self::scalar( $value );
		}
		return esc_html( implode( '; ', $parts ) );
	}

	public static function action_label( string $action ): string {
		$labels = array(
			'create'         => __( 'Created', 'keysmith' ),
			'revoke'         => __( 'Revoked', 'keysmith' ),
			'update'         => __( 'Updated', 'keysmith' ),
			'rotate'         => __( 'Rotated', 'keysmith' ),
			'expire'         => __( 'Expired (revoked)', 'keysmith' ),
			'user_deleted'   => __( 'Revoked (user deleted)', 'keysmith' ),
			'sealing_on'     => __( 'Sealing turned on', 'keysmith' ),
			'sealing_off'    => __( 'Sealing turned off', 'keysmith' ),
			'sealing_rotate' => __( 'Re-sealed under a new key', 'keysmith' ),
		);
		return $labels[ $action ] ?? $action;
	}

	private static function scalar( mixed $value ): string {
		if ( null === $value ) {
			return __( 'none', 'keysmith' );
		}
		return is_scalar( $value ) ? (string) $value : (string) wp_json_encode( $value );
	}
}
