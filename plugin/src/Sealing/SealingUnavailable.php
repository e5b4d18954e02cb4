<?php
/**
 * Thrown where a sealed secret must be checked and this process does not hold the key that
 * sealed it (no key configured, an unreadable or wrong key file, or a key other than the one
 * recorded for the row). Never a verdict on the credentials: the authentication path answers
 * HTTP 500 `keysmith_sealing_unavailable` (Auth\Errors::sealing_unavailable()), the store
 * refuses to write, and nothing in the tables changes.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Sealing;

final class SealingUnavailable extends \RuntimeException {
}
