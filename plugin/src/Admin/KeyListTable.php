<?php
/**
 * The key list: WooCommerce's columns plus Keysmith's metadata, filtered and paged by the store
 * (KeyService::query), never by SQL of its own.
 *
 * It renders inside WooCommerce's settings form (a POST form, docs/woocommerce-compatibility.md §4.1), so its inputs
 * carry Keysmith-specific names (keysmith_key[], ks_bulk_top…) that WooCommerce's own key actions
 * never read.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use Keysmith\Store\Actor;
use Keysmith\Store\KeyRecord;
use Keysmith\Store\KeyService;
use WP_Error;

if ( ! class_exists( 'WP_List_Table', false ) ) {
	require_once ABSPATH . 'wp-admin/includes/class-wp-list-table.php';
}

final class KeyListTable extends \WP_List_Table {

	public const PER_PAGE_OPTION = 'keysmith_keys_per_page';
	public const PER_PAGE_DEFAULT = 20;
	/** The store pages at most 1,000 rows at a time. */
	public const PER_PAGE_MAX = 1000;

	private ?WP_Error $error = null;

	private int $total = 0;

	/** @var array{all: int, failing: int}|null Counts of the list's views, under the other filters. */
	private ?array $view_counts = null;

	public function __construct( private readonly KeyService $service, private readonly ListRequest $request ) {
		parent::__construct(
			array(
				'singular' => 'keysmith_key',
				'plural'   => 'keysmith_keys',
				'ajax'     => false,
				// The current screen: WooCommerce's settings screen id can differ by locale (docs/woocommerce-compatibility.md §4.1).
				'screen'   => null,
			)
		);
	}

	/** @return array<string, string> */
	public function get_columns(): array {
		return array(
			'cb'          => '<input type="checkbox" />',
			'description' => __( 'Description', 'keysmith' ),
			'key_ending'  => __( 'Key ending in', 'keysmith' ),
			'user'        => __( 'User', 'keysmith' ),
			'permissions' => __( 'Permissions', 'keysmith' ),
			'source'      => __( 'Made with', 'keysmith' ),
			'created'     => __( 'Created', 'keysmith' ),
			'expires'     => __( 'Expires', 'keysmith' ),
			'last_access' => __( 'Last access', 'keysmith' ),
			'last_ip'     => __( 'Last IP', 'keysmith' ),
			'failures'    => __( 'Failures (24 h)', 'keysmith' ),
		);
	}

	/** @return array<string, array{0: string, 1: bool}> */
	protected function get_sortable_columns(): array {
		$sortable = array();
		foreach ( array_keys( ListRequest::SORTABLE ) as $column ) {
			$sortable[ $column ] = array( $column, false );
		}
		return $sortable;
	}

	protected function get_default_primary_column_name(): string {
		return 'description';
	}

	public function prepare_items(): void {
		$per_page = max( 1, min( self::PER_PAGE_MAX, (int) $this->get_items_per_page( self::PER_PAGE_OPTION, self::PER_PAGE_DEFAULT ) ) );
		$filter   = $this->request->to_filter();
		$this->_column_headers = array( $this->get_columns(), get_hidden_columns( $this->screen ), $this->get_sortable_columns(), 'description' );
		if ( $filter instanceof WP_Error ) {
			$this->error = $filter;
			$this->items = array();
			return;
		}
		$page        = $this->service->query( $filter, $this->get_pagenum(), $per_page );
		$this->items = $page['items'];
		$this->total = $page['total'];
		cache_users( array_values( array_unique( array_map( static fn( KeyRecord $key ): int => $key->user_id, $this->items ) ) ) );
		$this->set_pagination_args(
			array(
				'total_items' => $page['total'],
				'per_page'    => $per_page,
			)
		);
		$this->view_counts = $this->count_views();
	}

	/**
	 * How many keys "All" and "Failing" hold under the other filters: the list's own total is one
	 * of them, the other is one count query.
	 *
	 * @return array{all: int, failing: int}|null
	 */
	private function count_views(): ?array {
		$other = $this->request->with_failing( ! $this->request->failing() )->to_filter();
		if ( $other instanceof WP_Error ) {
			return null;
		}
		$count = $this->service->count( $other );
		return $this->request->failing()
			? array( 'all' => $count, 'failing' => $this->total )
			: array( 'all' => $this->total, 'failing' => $count );
	}

	/**
	 * "All (N) | Failing (N)": links that keep the other filters and switch ks_failing.
	 *
	 * @return array<string, string>
	 */
	protected function get_views(): array {
		if ( null === $this->view_counts ) {
			return array();
		}
		$views = array(
			/* translators: %s: number of keys. */
			'all'     => array( false, _nx( 'All <span class="count">(%s)</span>', 'All <span class="count">(%s)</span>', $this->view_counts['all'], 'keys', 'keysmith' ), $this->view_counts['all'] ),
			/* translators: %s: number of keys refused in the last 24 hours. */
			'failing' => array( true, _nx( 'Failing <span class="count">(%s)</span>', 'Failing <span class="count">(%s)</span>', $this->view_counts['failing'], 'keys', 'keysmith' ), $this->view_counts['failing'] ),
		);
		$links = array();
		foreach ( $views as $id => list( $failing, $label, $count ) ) {
			$current      = $failing === $this->request->failing();
			$links[ $id ] = sprintf(
				'<a href="%s" id="keysmith-view-%s"%s>%s</a>',
				esc_url( Screen::url( 'list', $this->request->with_failing( $failing )->query_args() ) ),
				esc_attr( $id ),
				$current ? ' class="current" aria-current="page"' : '',
				sprintf( wp_kses( $label, array( 'span' => array( 'class' => true ) ) ), esc_html( number_format_i18n( $count ) ) )
			);
		}
		return $links;
	}

	/** The filter error, if the filters could not be applied. */
	public function error(): ?WP_Error {
		return $this->error;
	}

	public function total(): int {
		return $this->total;
	}

	public function no_items(): void {
		if ( null !== $this->error ) {
			echo esc_html( $this->error->get_error_message() );
			return;
		}
		echo esc_html( $this->request->is_filtered() ? __( 'No keys match these filters.', 'keysmith' ) : __( 'No keys found.', 'keysmith' ) );
	}

	/** @param KeyRecord $item */
	public function column_cb( $item ): string {
		return sprintf(
			'<label class="screen-reader-text" for="keysmith-key-%1$d">%2$s</label><input type="checkbox" name="keysmith_key[]" id="keysmith-key-%1$d" value="%1$d" />',
			$item->key_id,
			/* translators: %s: key description. */
			esc_html( sprintf( __( 'Select %s', 'keysmith' ), $this->description( $item ) ) )
		);
	}

	/**
	 * Description with row actions. As in WooCommerce's list, the actions that change a key are
	 * offered only on keys the user may change (the store's rules: rotate makes a key for the same
	 * owner, revoke needs the owner's keys to be the user's to manage).
	 *
	 * @param KeyRecord $item
	 */
	public function column_description( $item ): string {
		$actor   = Actor::current( 'admin' );
		$actions = array(
			/* translators: %d: key id. */
			'id'     => esc_html( sprintf( __( 'ID: %d', 'keysmith' ), $item->key_id ) ),
			'audit'  => sprintf( '<a href="%s">%s</a>', esc_url( Screen::url( 'audit', array( 'ks_key_id' => $item->key_id ) ) ), esc_html__( 'Audit log', 'keysmith' ) ),
			'origin' => null === $item->rotated_from ? '' : sprintf(
				'<a href="%s">%s</a>',
				esc_url( Screen::url( 'audit', array( 'ks_key_id' => $item->rotated_from ) ) ),
				/* translators: %d: id of the key this one replaced by rotation. */
				esc_html( sprintf( __( 'Replaces #%d', 'keysmith' ), $item->rotated_from ) )
			),
			'rotate' => ! $actor->can_assign_to( $item->user_id ) ? '' : sprintf( '<a href="%s">%s</a>', esc_url( $this->confirm_url( 'rotate', $item->key_id ) ), esc_html__( 'Rotate', 'keysmith' ) ),
			'trash'  => ! $actor->can_manage_keys_of( $item->user_id ) ? '' : sprintf( '<a class="submitdelete" href="%s" aria-label="%s">%s</a>', esc_url( $this->confirm_url( 'revoke', $item->key_id ) ), esc_attr__( 'Revoke API key', 'keysmith' ), esc_html__( 'Revoke', 'keysmith' ) ),
		);
		return '<strong>' . esc_html( $this->description( $item ) ) . '</strong>' . $this->row_actions( array_filter( $actions ) );
	}

	/** @param KeyRecord $item */
	public function column_key_ending( $item ): string {
		return '<code>&hellip;' . esc_html( $item->truncated_key ) . '</code>';
	}

	/** @param KeyRecord $item */
	public function column_user( $item ): string {
		$user = get_userdata( $item->user_id );
		if ( ! $user instanceof \WP_User ) {
			/* translators: %d: user id. */
			return esc_html( sprintf( __( 'Deleted user #%d', 'keysmith' ), $item->user_id ) );
		}
		$name = esc_html( $user->display_name );
		return current_user_can( 'edit_user', $user->ID )
			? sprintf( '<a href="%s">%s</a>', esc_url( add_query_arg( 'user_id', $user->ID, self_admin_url( 'user-edit.php' ) ) ), $name )
			: $name;
	}

	/** @param KeyRecord $item */
	public function column_permissions( $item ): string {
		return esc_html( Labels::permission( $item->permissions ) );
	}

	/**
	 * Where the key was made; for app authorization, the app's name too.
	 *
	 * @param KeyRecord $item
	 */
	public function column_source( $item ): string {
		$label = esc_html( Labels::source( $item->source ) );
		return null === $item->app_name ? $label : $label . '<br /><span class="keysmith-app-name">' . esc_html( $item->app_name ) . '</span>';
	}

	/** @param KeyRecord $item */
	public function column_created( $item ): string {
		return null === $item->created_at ? esc_html__( 'Unknown', 'keysmith' ) : esc_html( Labels::utc_datetime( $item->created_at ) );
	}

	/** @param KeyRecord $item */
	public function column_expires( $item ): string {
		if ( null === $item->expires_at ) {
			return esc_html__( 'Never', 'keysmith' );
		}
		$date = esc_html( Labels::utc_datetime( $item->expires_at ) );
		return $item->is_expired()
			/* translators: %s: expiry date. */
			? '<span class="keysmith-expired">' . sprintf( esc_html__( 'Expired %s', 'keysmith' ), $date ) . '</span>'
			: $date;
	}

	/** @param KeyRecord $item */
	public function column_last_access( $item ): string {
		if ( null === $item->last_access ) {
			return esc_html__( 'Never', 'keysmith' );
		}
		// Same formatting and filter as WooCommerce's own list (docs/woocommerce-compatibility.md §4.3); site-local time.
		$stamp = (int) strtotime( $item->last_access );
		/* translators: 1: date, 2: time. */
		$date = sprintf( __( '%1$s at %2$s', 'keysmith' ), date_i18n( Labels::date_format(), $stamp ), date_i18n( Labels::time_format(), $stamp ) );
		return esc_html( (string) apply_filters( 'woocommerce_api_key_last_access_datetime', $date, $item->last_access ) );
	}

	/** @param KeyRecord $item */
	public function column_last_ip( $item ): string {
		return null === $item->last_ip ? '&mdash;' : '<code>' . esc_html( $item->last_ip ) . '</code>';
	}

	/**
	 * Requests with this key refused in the last 24 hours, and the last one's time (site time
	 * zone), address and reason; nothing for a key without failures.
	 *
	 * @param KeyRecord $item
	 */
	public function column_failures( $item ): string {
		if ( 0 === $item->failures_24h ) {
			return '<span aria-hidden="true">&mdash;</span><span class="screen-reader-text">' . esc_html__( 'No failures', 'keysmith' ) . '</span>';
		}
		$last = null === $item->last_failure ? '' : sprintf(
			/* translators: 1: date and time, 2: client address. */
			esc_html__( 'Last: %1$s from %2$s', 'keysmith' ),
			esc_html( Labels::utc_datetime( $item->last_failure ) ),
			'<code>' . esc_html( (string) $item->last_failure_ip ) . '</code>'
		);
		return '<strong class="keysmith-failures-count">' . esc_html( number_format_i18n( $item->failures_24h ) ) . '</strong>'
			. ( '' === $last ? '' : '<br /><span class="keysmith-failure-last">' . $last . '</span>' )
			. ( null === $item->last_failure_reason ? '' : '<br /><span class="keysmith-failure-reason">' . esc_html( $item->last_failure_reason ) . '</span>' );
	}

	/**
	 * Bulk action controls with Keysmith's own field names, plus the scope switch that applies the
	 * action to every key matching the filter rather than the ticked rows.
	 *
	 * @param string $which top|bottom.
	 */
	protected function bulk_actions( $which = '' ): void {
		$which = 'bottom' === $which ? 'bottom' : 'top';
		printf( '<label for="ks-bulk-%1$s" class="screen-reader-text">%2$s</label>', esc_attr( $which ), esc_html__( 'Select bulk action', 'keysmith' ) );
		printf( '<select name="ks_bulk_%1$s" id="ks-bulk-%1$s">', esc_attr( $which ) );
		printf( '<option value="">%s</option>', esc_html__( 'Bulk actions', 'keysmith' ) );
		foreach ( BulkActions::labels() as $action => $label ) {
			printf( '<option value="%s">%s</option>', esc_attr( $action ), esc_html( $label ) );
		}
		echo '</select> ';
		printf( '<button type="submit" class="button action" name="keysmith_apply" value="%s">%s</button>', esc_attr( $which ), esc_html__( 'Apply', 'keysmith' ) );
		if ( 'top' === $which && $this->total > 0 ) {
			printf(
				' <label class="keysmith-scope"><input type="checkbox" name="keysmith_scope" value="all" /> %s</label>',
				esc_html(
					$this->request->is_filtered()
						/* translators: %s: number of keys. */
						? sprintf( _n( 'Apply to the %s key matching the filters', 'Apply to all %s keys matching the filters', $this->total, 'keysmith' ), number_format_i18n( $this->total ) )
						/* translators: %s: number of keys. */
						: sprintf( _n( 'Apply to the %s key', 'Apply to all %s keys', $this->total, 'keysmith' ), number_format_i18n( $this->total ) )
				)
			);
		}
	}

	private function description( KeyRecord $item ): string {
		return '' === $item->description ? __( 'API key', 'keysmith' ) : $item->description;
	}

	private function confirm_url( string $action, int $key_id ): string {
		return Screen::url(
			'list',
			$this->request->query_args() + array(
				'ks_confirm' => $action,
				'ks_ids'     => $key_id,
			)
		);
	}
}
