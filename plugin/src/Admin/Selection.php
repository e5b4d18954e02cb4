<?php
/**
 * Which keys a bulk action applies to: the ticked rows (ids), or every key matching the list's
 * filters ("all N keys matching"). Travels from the list to the confirmation form to the
 * execution as hidden fields, so no server-side state is needed between the steps.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use Keysmith\Store\KeyFilter;
use WP_Error;

final class Selection {

	/**
	 * @param list<int> $ids Ticked key ids (empty when $all).
	 * @param bool      $all Every key matching $filters.
	 */
	private function __construct(
		public readonly array $ids,
		public readonly bool $all,
		public readonly ListRequest $filters
	) {}

	/**
	 * From submitted fields: keysmith_scope=all, or ticked keysmith_key[] / a comma list ks_ids.
	 *
	 * @param array<string, mixed> $fields Unslashed request fields.
	 */
	public static function from_fields( array $fields, ListRequest $filters ): self|WP_Error {
		if ( 'all' === ( $fields['keysmith_scope'] ?? '' ) ) {
			return new self( array(), true, $filters );
		}
		$raw = $fields['keysmith_key'] ?? ( $fields['ks_ids'] ?? array() );
		$raw = is_string( $raw ) ? explode( ',', $raw ) : ( is_array( $raw ) ? $raw : array() );
		$ids = array();
		foreach ( $raw as $id ) {
			$id = is_scalar( $id ) ? absint( $id ) : 0;
			if ( $id > 0 ) {
				$ids[ $id ] = $id;
			}
		}
		if ( array() === $ids ) {
			return new WP_Error( 'keysmith_no_selection', __( 'Select at least one key, or choose to apply the action to all keys matching the filters.', 'keysmith' ) );
		}
		return new self( array_values( $ids ), false, $filters );
	}

	/** The store filter for this selection. */
	public function to_filter(): KeyFilter|WP_Error {
		if ( $this->all ) {
			// `all` states the intent explicitly: without filters this is every key on the site.
			return $this->filters->to_filter( array( 'all' => true ) );
		}
		return KeyFilter::by_ids( $this->ids );
	}

	/** @return array<string, string> Hidden fields that reproduce this selection (and the list filters). */
	public function hidden_fields(): array {
		$fields = $this->filters->query_args();
		if ( $this->all ) {
			$fields['keysmith_scope'] = 'all';
		} else {
			$fields['ks_ids'] = implode( ',', $this->ids );
		}
		return $fields;
	}
}
