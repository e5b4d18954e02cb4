<?php
/**
 * Keysmith's section of WooCommerce > Settings > Advanced: registration through WooCommerce's
 * settings hooks (docs/woocommerce-compatibility.md §4.5), request handling on the settings page's load (before any
 * output, so every POST can redirect), and rendering of the sub-views.
 *
 * Everything renders inside WooCommerce's settings form (method POST, action "" = this URL). The
 * screen therefore never nests forms: each view uses that one form, with its own field and nonce
 * names (keysmith_*, ks_*) that WooCommerce's save path and key actions never read.
 *
 * Flows (all work without JavaScript):
 * - Filter: the Filter button posts the form; the screen redirects to the GET URL of the filters.
 * - Bulk action: Apply (POST, nonce) → confirmation page with the exact count (rendered in the
 *   response; nothing has changed yet) → Confirm (POST, nonce, single-use token) → the store →
 *   redirect to the list with the result notice (no resubmission on reload).
 * - Create and rotate: POST → the store → the new secrets rendered once in the response, with
 *   Cache-Control: no-store. With JavaScript the same forms go through admin-ajax (Ajax.php).
 * - Settings (key-lifetime policy, protection): POST (nonce) → saved → redirect to the view with a
 *   notice; a refused value comes back in the form with the reason, nothing saved. Resetting the
 *   throttle: a confirmation (GET, changes nothing) → POST (nonce) → redirect with the count.
 * - Sealed secrets: POST (nonce, manage_options) → Sealing\SealingService → the view again with
 *   the result (SealingControl).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use Keysmith\Auth\Throttle;
use Keysmith\Sealing\Report;
use Keysmith\Store\BulkResult;
use Keysmith\Store\KeyService;
use WP_Error;

final class SettingsPage {

	/** What output() renders, decided by load(). */
	private string $state = '';

	/** @var array<string, mixed> Data for the state's view. */
	private array $data = array();

	/** @var list<array{type: string, message: string}> */
	private array $notices = array();

	private ?KeyListTable $table = null;

	public function __construct( private readonly KeyService $service ) {}

	/**
	 * woocommerce_get_sections_advanced: adds the section right after WooCommerce's "REST API".
	 *
	 * @param mixed $sections Section id => label.
	 * @return array<string, string>
	 */
	public function add_section( $sections ): array {
		$sections = is_array( $sections ) ? $sections : array();
		$out      = array();
		foreach ( $sections as $id => $label ) {
			$out[ $id ] = $label;
			if ( 'keys' === $id ) {
				$out[ Screen::SECTION ] = __( 'Bulk key management', 'keysmith' );
			}
		}
		$out[ Screen::SECTION ] ??= __( 'Bulk key management', 'keysmith' );
		return $out;
	}

	/**
	 * woocommerce_rest_api_valid_to_save: the section has no settings fields to save.
	 *
	 * @param mixed $valid
	 */
	public function valid_to_save( $valid ): bool {
		return Screen::is_section() ? false : (bool) $valid;
	}

	/** woocommerce_settings_page_init (the settings page's load hook): handle the request. */
	public function load(): void {
		if ( ! Screen::is_section() ) {
			return;
		}
		if ( ! Screen::user_can() ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to manage API keys.', 'keysmith' ), 403 );
		}
		HelpTabs::add();
		if ( 'POST' === ( $_SERVER['REQUEST_METHOD'] ?? 'GET' ) ) {
			$this->handle_post( wp_unslash( $_POST ) ); // phpcs:ignore WordPress.Security.NonceVerification.Missing -- each handler checks its nonce.
		} else {
			$this->handle_get();
		}
		if ( '' === $this->state && 'list' === Screen::view() ) {
			add_screen_option(
				'per_page',
				array(
					'label'   => __( 'Keys per page', 'keysmith' ),
					'default' => KeyListTable::PER_PAGE_DEFAULT,
					'option'  => KeyListTable::PER_PAGE_OPTION,
				)
			);
			// Built now so WordPress can offer its columns in Screen Options.
			$this->table = new KeyListTable( $this->service, ListRequest::from_get() );
		}
	}

	/** woocommerce_settings_advanced: render the section. */
	public function output(): void {
		if ( ! Screen::is_section() || ! Screen::user_can() ) {
			return;
		}
		$GLOBALS['hide_save_button'] = true; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited -- WooCommerce's documented switch.
		$view    = '' === $this->state ? Screen::view() : $this->state;
		$notices = $this->notices;
		include __DIR__ . '/views/header.php';
		switch ( $view ) {
			case 'confirm':
				$this->render_confirm();
				break;
			case 'onetime':
				$this->render_onetime();
				break;
			case 'create':
				$values = $this->data['values'] ?? CreateKeys::values( array() );
				$token  = FormToken::create();
				include __DIR__ . '/views/create.php';
				break;
			case 'policy':
				$values = $this->data['values'] ?? PolicyForm::values( array() );
				include __DIR__ . '/views/policy.php';
				break;
			case 'sealing':
				$report = Report::now();
				include __DIR__ . '/views/sealing.php';
				break;
			case 'protection':
				$values        = $this->data['values'] ?? ProtectionForm::values( array() );
				$confirm_reset = isset( $_GET['ks_confirm_reset'] ); // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- shows the confirmation only.
				include __DIR__ . '/views/protection.php';
				break;
			case 'audit':
				$table = new AuditListTable( AuditRequest::from_get() );
				$table->prepare_items();
				include __DIR__ . '/views/audit.php';
				break;
			default:
				$table   = $this->table ?? new KeyListTable( $this->service, ListRequest::from_get() );
				$request = ListRequest::from_get();
				$table->prepare_items();
				include __DIR__ . '/views/list.php';
		}
		echo '</div>';
	}

	/**
	 * set_screen_option_keysmith_keys_per_page: accept the value (WordPress drops unknown options).
	 *
	 * @param mixed $status
	 * @param mixed $option
	 * @param mixed $value
	 */
	public static function save_per_page( $status, $option, $value ): int {
		return max( 1, min( 999, (int) $value ) );
	}

	/**
	 * removable_query_args: one-shot result arguments disappear from the address bar and links.
	 *
	 * @param mixed $args
	 * @return list<string>
	 */
	public static function removable_args( $args ): array {
		return array_merge( is_array( $args ) ? $args : array(), Screen::RESULT_ARGS, array( 'ks_confirm', 'ks_ids', 'ks_confirm_reset' ) );
	}

	// ----------------------------------------------------------------------------------------------
	// Requests.

	private function handle_get(): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- read-only: a notice, or a confirmation page that changes nothing.
		if ( isset( $_GET['ks_done'] ) ) {
			$this->add_result_notice( sanitize_key( wp_unslash( $_GET['ks_done'] ) ), absint( $_GET['ks_changed'] ?? 0 ), absint( $_GET['ks_requested'] ?? 0 ) );
		}
		if ( isset( $_GET['ks_saved'] ) && 'policy' === Screen::view() ) {
			$this->notice( 'success', __( 'Key-lifetime policy saved.', 'keysmith' ) );
		}
		if ( isset( $_GET['ks_saved'] ) && 'protection' === Screen::view() ) {
			$this->notice( 'success', __( 'Protection settings saved.', 'keysmith' ) );
		}
		if ( isset( $_GET['ks_reset'] ) && 'protection' === Screen::view() ) {
			$emptied = absint( $_GET['ks_reset'] );
			/* translators: %s: number of failure counts. */
			$this->notice( 'success', sprintf( _n( 'Throttling reset: emptied %s throttling count. Every client may try again now.', 'Throttling reset: emptied %s throttling counts. Every client may try again now.', $emptied, 'keysmith' ), number_format_i18n( $emptied ) ) );
		}
		$action = sanitize_key( wp_unslash( $_GET['ks_confirm'] ?? '' ) );
		if ( BulkActions::is_action( $action ) && 'list' === Screen::view() ) {
			$this->confirm( $action, wp_unslash( $_GET ) );
		}
		// phpcs:enable
	}

	/** @param array<string, mixed> $fields Unslashed $_POST. */
	private function handle_post( array $fields ): void {
		if ( isset( $fields['keysmith_filter'] ) ) {
			$this->redirect_to_filters( $fields );
		} elseif ( isset( $fields['keysmith_audit_filter'] ) ) {
			wp_safe_redirect( Screen::url( 'audit', AuditRequest::from_array( $fields )->values ), 303 );
			exit;
		} elseif ( isset( $fields['keysmith_apply'] ) ) {
			check_admin_referer( BulkActions::NONCE_ACTION, BulkActions::NONCE_FIELD );
			$which  = 'bottom' === $fields['keysmith_apply'] ? 'bottom' : 'top';
			$action = is_string( $fields[ 'ks_bulk_' . $which ] ?? null ) ? sanitize_key( $fields[ 'ks_bulk_' . $which ] ) : '';
			if ( ! BulkActions::is_action( $action ) ) {
				$this->notice( 'error', __( 'Choose a bulk action.', 'keysmith' ) );
				return;
			}
			$this->confirm( $action, $fields );
		} elseif ( isset( $fields['keysmith_execute'] ) ) {
			check_admin_referer( BulkActions::NONCE_ACTION, BulkActions::NONCE_FIELD );
			$this->execute( $fields );
		} elseif ( isset( $fields['keysmith_create'] ) ) {
			check_admin_referer( CreateKeys::NONCE_ACTION, BulkActions::NONCE_FIELD );
			$this->create( $fields );
		} elseif ( isset( $fields['keysmith_policy_save'] ) ) {
			check_admin_referer( PolicyForm::NONCE_ACTION, BulkActions::NONCE_FIELD );
			$this->save_settings( 'policy', PolicyForm::class, $fields );
		} elseif ( isset( $fields[ ProtectionForm::SAVE ] ) ) {
			check_admin_referer( ProtectionForm::NONCE_ACTION, BulkActions::NONCE_FIELD );
			$this->save_settings( 'protection', ProtectionForm::class, $fields );
		} elseif ( isset( $fields[ ProtectionForm::RESET ] ) ) {
			check_admin_referer( ProtectionForm::NONCE_ACTION, BulkActions::NONCE_FIELD );
			wp_safe_redirect( Screen::url( 'protection', array( 'ks_reset' => Throttle::reset() ) ), 303 );
			exit;
		} elseif ( isset( $fields['keysmith_sealing'] ) ) {
			check_admin_referer( SealingControl::NONCE_ACTION, BulkActions::NONCE_FIELD );
			$this->handle_result( SealingControl::submit( $fields ), 'sealing' );
		}
	}

	/**
	 * Shows a control's outcome on its own view (a notice, nothing to redirect to).
	 *
	 * @param array{type: string, message: string} $outcome
	 */
	private function handle_result( array $outcome, string $view ): void {
		$this->state = $view;
		$this->notice( $outcome['type'], $outcome['message'] );
	}

	/** @param array<string, mixed> $fields */
	private function redirect_to_filters( array $fields ): void {
		$posted = ListRequest::from_post( $fields );
		$args   = $posted->query_args();
		// Enter in the page-number box submits the form too: keep that page if the filters did not change.
		$paged = absint( $fields['paged'] ?? 0 );
		if ( $paged > 1 && ListRequest::from_get()->query_args() === $args ) {
			$args['paged'] = (string) $paged;
		}
		wp_safe_redirect( Screen::url( 'list', $args ), 303 );
		exit;
	}

	/**
	 * Shows the confirmation page of a bulk action (nothing changes yet).
	 *
	 * @param array<string, mixed> $fields Where the selection comes from.
	 */
	private function confirm( string $action, array $fields, ?WP_Error $error = null, ?ListRequest $filters = null ): void {
		$selection = Selection::from_fields( $fields, $filters ?? ListRequest::from_get() );
		if ( $selection instanceof WP_Error ) {
			$this->notice( 'error', $selection->get_error_message() );
			return;
		}
		$bulk  = new BulkActions( $this->service );
		$count = $bulk->count( $selection );
		if ( $count instanceof WP_Error ) {
			$this->notice( 'error', $count->get_error_message() );
			return;
		}
		$policy = null;
		if ( 'apply_policy' === $action ) {
			// The confirmation is this action's dry run: it says how many keys would expire earlier.
			$policy = $bulk->policy_preview( $selection );
			if ( $policy instanceof WP_Error ) {
				$this->notice( 'error', $policy->get_error_message() );
				return;
			}
		}
		if ( null !== $error ) {
			$this->notice( 'error', $error->get_error_message() );
		}
		$this->state = 'confirm';
		$this->data  = array(
			'action'    => $action,
			'selection' => $selection,
			'count'     => $count,
			'preview'   => $bulk->preview( $selection ),
			'fields'    => $fields,
			'policy'    => $policy,
		);
	}

	/** @param array<string, mixed> $fields Confirmation form fields. */
	private function execute( array $fields ): void {
		$action  = is_string( $fields['ks_action'] ?? null ) ? sanitize_key( $fields['ks_action'] ) : '';
		$filters = ListRequest::from_post( $fields );
		if ( ! BulkActions::is_action( $action ) ) {
			$this->notice( 'error', __( 'Unknown bulk action.', 'keysmith' ) );
			return;
		}
		$selection = Selection::from_fields( $fields, $filters );
		if ( $selection instanceof WP_Error ) {
			$this->notice( 'error', $selection->get_error_message() );
			return;
		}
		if ( ! FormToken::claim( $fields ) ) {
			$this->notice( 'warning', __( 'This form was already submitted, so nothing was done again. New secrets from that submission are not shown again.', 'keysmith' ) );
			return;
		}
		$bulk   = new BulkActions( $this->service );
		$result = 'rotate' === $action ? $bulk->rotate( $selection, $fields ) : $bulk->change( $action, $selection, $fields );
		if ( $result instanceof WP_Error ) {
			$this->confirm( $action, $fields, $result, $filters );
		} elseif ( $result instanceof BulkResult ) {
			self::redirect_with_result( $filters, $result );
		} else {
			$this->show_once( $result, 'rotate' );
		}
	}

	/** Back to the list (same filters) with the result notice: reloading it resubmits nothing. */
	private static function redirect_with_result( ListRequest $filters, BulkResult $result ): never {
		$done = in_array( $result->action, array( 'revoke', 'apply_policy' ), true ) ? $result->action : 'update';
		wp_safe_redirect(
			Screen::url(
				'list',
				$filters->query_args() + array(
					'ks_done'      => $done,
					'ks_changed'   => $result->changed,
					'ks_requested' => $result->requested,
				)
			),
			303
		);
		exit;
	}

	/** @param array<string, mixed> $fields Create form fields. */
	private function create( array $fields ): void {
		$this->state = 'create';
		$this->data  = array( 'values' => CreateKeys::values( $fields ) );
		if ( ! FormToken::claim( $fields ) ) {
			$this->notice( 'warning', __( 'This form was already submitted, so no keys were created again. Their secrets are not shown again.', 'keysmith' ) );
			return;
		}
		$result = ( new CreateKeys( $this->service ) )->create( $fields );
		if ( $result instanceof WP_Error ) {
			$this->notice( 'error', $result->get_error_message() );
			return;
		}
		$this->show_once( $result, 'create' );
	}

	/**
	 * Saves a settings form (PolicyForm, ProtectionForm), then shows its view again through a
	 * redirect, so a reload saves nothing twice; a refused value comes back in the form with the
	 * reason, and nothing is saved.
	 *
	 * @param string                                  $view   The form's view (Screen::VIEWS).
	 * @param class-string<PolicyForm|ProtectionForm> $form   Validates, saves, and gives the values to show.
	 * @param array<string, mixed>                    $fields
	 */
	private function save_settings( string $view, string $form, array $fields ): void {
		$saved = $form::save( $fields );
		if ( $saved instanceof WP_Error ) {
			$this->state = $view;
			$this->data  = array( 'values' => $form::values( $fields ) );
			$this->notice( 'error', $saved->get_error_message() );
			return;
		}
		wp_safe_redirect( Screen::url( $view, array( 'ks_saved' => 1 ) ), 303 );
		exit;
	}

	/**
	 * Renders new secrets in this response only, and tells every cache not to keep it.
	 *
	 * @param array{keys: list<array<string, mixed>>, message: string} $result
	 */
	private function show_once( array $result, string $origin ): void {
		NoStore::send();
		$this->state = 'onetime';
		$this->data  = array(
			'keys'   => CreateKeys::with_user_logins( $result['keys'] ),
			'origin' => $origin,
		);
		$this->notice( 'success', $result['message'] );
	}

	private function add_result_notice( string $action, int $changed, int $requested ): void {
		if ( ! in_array( $action, array( 'revoke', 'update', 'apply_policy' ), true ) ) {
			return;
		}
		if ( 'apply_policy' === $action ) {
			$this->notice( 'success', ( new BulkResult( $action, $requested, $requested, $changed ) )->message() );
			return;
		}
		$result = new BulkResult( $action, $requested, $changed, $changed );
		$this->notice( $changed === $requested ? 'success' : 'warning', $result->message() );
	}

	private function notice( string $type, string $message ): void {
		$this->notices[] = array(
			'type'    => $type,
			'message' => $message,
		);
	}

	// ----------------------------------------------------------------------------------------------
	// Views that need data from load().

	private function render_confirm(): void {
		$action    = (string) $this->data['action'];
		$selection = $this->data['selection'];
		$count     = (int) $this->data['count'];
		$preview   = $this->data['preview'];
		$fields    = $this->data['fields'];
		$policy    = $this->data['policy'];
		$token     = FormToken::create();
		include __DIR__ . '/views/confirm.php';
	}

	private function render_onetime(): void {
		$keys   = $this->data['keys'];
		$origin = $this->data['origin'];
		include __DIR__ . '/views/onetime.php';
	}
}
