<?php
/**
 * Thrown inside a store transaction when a statement fails; Transaction turns it into a rollback
 * and a WP_Error. Internal to the store.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class DbFailure extends \RuntimeException {

	/** Whether retrying the whole transaction may succeed (deadlock victim, lock wait timeout). */
	public function is_retryable(): bool {
		return 1 === preg_match( '/Deadlock found|Lock wait timeout/i', $this->getMessage() );
	}
}
