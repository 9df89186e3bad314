/*
 * notify_ring.c
 *		The notifier's two guards (notifier.c), as pure C so that they are
 *		unit-tested: which payload lengths NOTIFY takes, and which ring
 *		entries a worker can trust.  No PostgreSQL headers.
 */
#include "rules.h"

/*
 * sched_notify_payload_fits: NOTIFY takes 1 to max - 1 bytes (max is
 * PostgreSQL's NOTIFY_PAYLOAD_MAX_LENGTH).  Checked when a payload is
 * queued, before commit: one NOTIFY would refuse after commit stops the
 * ring.
 */
bool
sched_notify_payload_fits(size_t len, size_t max)
{
	return len > 0 && len < max;
}

/*
 * sched_ring_entry_ok: an entry of length len at pos can be read when a
 * committing backend could have written it (sched_notify_payload_fits)
 * and it ends at or before head, the end of what was written.  Anything
 * else means the bytes cannot be trusted to lead to the next entry.
 */
bool
sched_ring_entry_ok(uint32_t len, uint64_t pos, uint64_t head, size_t max, size_t header)
{
	if (!sched_notify_payload_fits(len, max) || pos > head)
		return false;
	return head - pos >= header && head - pos - header >= len;
}
