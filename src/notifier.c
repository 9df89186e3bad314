/*
 * notifier.c
 *		NOTIFY sched without the commit-time lock.
 *
 * PostgreSQL delivers NOTIFY at commit, and a transaction that sent one
 * holds a database-wide lock while it commits, so notifying transactions
 * commit one at a time.  When sched is in shared_preload_libraries, the
 * triggers do not call NOTIFY themselves.  They keep their payloads in
 * the transaction; when it commits, the payloads are copied into a ring
 * buffer in shared memory and a background worker, one per database, is
 * woken.  The worker sends them, many per transaction of its own, so the
 * lock is taken once per batch, by the worker, off the bookings' commit
 * path.  Listeners see the same channel and payloads; the sender's PID
 * is the worker's.
 *
 * Nothing is lost between commit and the ring: the room a transaction
 * needs is reserved in its pre-commit step, and if there is no room (or
 * no ring or worker can be had) the transaction falls back to plain
 * Async_Notify right there, still before its commit.  A payload queued in
 * a subtransaction that rolls back is dropped with it; one queued in a
 * transaction that rolls back is never sent.
 *
 * Without shared_preload_libraries, SchedNotify is plain Async_Notify:
 * correct, but notifying commits serialise (docs/performance.md).
 *
 * A committing backend wakes the worker only when it sleeps: after a
 * batch the worker looks again every millisecond, and goes to sleep (to
 * be woken by the next commit) only after POLL_FOR_MS with nothing to
 * send.  Under load no commit pays for a signal and a wake-up.
 *
 * The worker of a database starts on demand (a dynamic background worker
 * registered by the first committing backend that needs it) and exits
 * after a second with nothing to do, so that DROP DATABASE, which waits a
 * few seconds for other sessions to leave, is not blocked by it.
 */
#include "sched.h"
#include "compat.h"
#include "notifier.h"

#include "access/xact.h"
#include "commands/async.h"
#include "common/hashfn.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#define SCHED_NOTIFY_CHANNEL	"sched"
#define RING_BYTES				(256 * 1024)
#define MAX_DATABASES			8
#define IDLE_EXIT_MS			1000
#define START_TIMEOUT_MS		10000
#define BATCH_BYTES				(64 * 1024)
/* NOTIFY's own limit: async.c's NOTIFY_PAYLOAD_MAX_LENGTH, which no header exports */
#define SCHED_NOTIFY_MAX_BYTES	(BLCKSZ - NAMEDATALEN - 128)
#define POLL_MS					1
#define POLL_FOR_MS				20

/* One database's ring of committed payloads: [uint32 length][bytes]... */
typedef struct NotifyRing
{
	Oid			dboid;			/* InvalidOid while the slot is free */
	bool		worker_started; /* registered, and not exited yet */
	int			worker_procno;	/* its PGPROC number once running, else -1 */
	bool		worker_sleeping;	/* found the ring empty and waits to be woken */
	TimestampTz started_at;		/* when it was registered */
	uint64		head;			/* bytes ever written */
	uint64		tail;			/* bytes ever sent */
	uint64		reserved;		/* bytes promised to committing transactions */
	uint64		sent;			/* payloads sent, for monitoring */
	char		data[RING_BYTES];
} NotifyRing;

typedef struct NotifyShared
{
	LWLock	   *lock;
	NotifyRing	rings[MAX_DATABASES];
} NotifyShared;

/* A payload queued by this transaction. */
typedef struct PendingPayload
{
	SubTransactionId subid;
	uint32		len;
	char		data[FLEXIBLE_ARRAY_MEMBER];
} PendingPayload;

static NotifyShared *shared = NULL;
static List *pending = NIL;		/* in TopTransactionContext */
static int	reserved_slot = -1;
static uint64 reserved_bytes = 0;

static shmem_startup_hook_type prev_shmem_startup_hook = NULL;
#if PG_VERSION_NUM >= 150000
static shmem_request_hook_type prev_shmem_request_hook = NULL;
#endif

PGDLLEXPORT void sched_notifier_main(Datum arg);

/*
 * EntryBytes: ring bytes one payload takes.
 */
static uint64
EntryBytes(uint32 len)
{
	return sizeof(uint32) + len;
}

/*
 * RingWrite / RingRead: copy bytes in or out at a position that wraps.
 */
static void
RingWrite(NotifyRing *ring, uint64 pos, const void *src, uint64 n)
{
	uint64		off = pos % RING_BYTES;
	uint64		first = Min(n, RING_BYTES - off);

	memcpy(ring->data + off, src, first);
	memcpy(ring->data, (const char *) src + first, n - first);
}

static void
RingRead(NotifyRing *ring, uint64 pos, void *dst, uint64 n)
{
	uint64		off = pos % RING_BYTES;
	uint64		first = Min(n, RING_BYTES - off);

	memcpy(dst, ring->data + off, first);
	memcpy((char *) dst + first, ring->data, n - first);
}

/*
 * SendNow: plain NOTIFY for every pending payload (the fallback); we are
 * still before PreCommit_Notify, so they go out with this commit.
 */
static void
SendNow(void)
{
	ListCell   *lc;

	foreach(lc, pending)
	{
		PendingPayload *p = (PendingPayload *) lfirst(lc);

		Async_Notify(SCHED_NOTIFY_CHANNEL, p->data);
	}
	pending = NIL;
}

/*
 * FindSlot: the ring of this database, claiming a free or abandoned one;
 * -1 if all are taken.  Caller holds the lock.
 */
static int
FindSlot(void)
{
	int			free_slot = -1;
	int			i;

	for (i = 0; i < MAX_DATABASES; i++)
	{
		NotifyRing *ring = &shared->rings[i];

		if (ring->dboid == MyDatabaseId)
			return i;
		if (free_slot < 0 &&
			(ring->dboid == InvalidOid ||
			 (!ring->worker_started && ring->head == ring->tail && ring->reserved == 0)))
			free_slot = i;
	}
	if (free_slot >= 0)
	{
		NotifyRing *ring = &shared->rings[free_slot];

		ring->dboid = MyDatabaseId;
		ring->worker_started = false;
		ring->worker_procno = -1;
		ring->worker_sleeping = false;
		ring->head = ring->tail = ring->reserved = 0;
	}
	return free_slot;
}

/*
 * StartWorker: register the dynamic background worker of a slot.
 */
static bool
StartWorker(int slot)
{
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "sched");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "sched_notifier_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "sched notifier for database %u", MyDatabaseId);
	snprintf(worker.bgw_type, BGW_MAXLEN, "sched notifier");
	worker.bgw_main_arg = Int32GetDatum(slot);
	memcpy(worker.bgw_extra, &MyDatabaseId, sizeof(Oid));
	return RegisterDynamicBackgroundWorker(&worker, &handle);
}

/*
 * Reserve: at pre-commit, reserve ring room for every pending payload and
 * make sure a worker will send them; otherwise send them the plain way.
 */
static void
Reserve(void)
{
	ListCell   *lc;
	uint64		needed = 0;
	NotifyRing *ring;
	int			slot;
	bool		start = false;

	foreach(lc, pending)
		needed += EntryBytes(((PendingPayload *) lfirst(lc))->len);
	if (needed > RING_BYTES / 4 || !IsUnderPostmaster)
	{
		SendNow();
		return;
	}

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	slot = FindSlot();
	if (slot < 0)
	{
		LWLockRelease(shared->lock);
		SendNow();
		return;
	}
	ring = &shared->rings[slot];
	if (ring->head - ring->tail + ring->reserved + needed > RING_BYTES)
	{
		LWLockRelease(shared->lock);
		SendNow();
		return;
	}
	/* a worker registered long ago that never came up is written off */
	if (ring->worker_started && ring->worker_procno < 0 &&
		TimestampDifferenceExceeds(ring->started_at, GetCurrentTimestamp(), START_TIMEOUT_MS))
		ring->worker_started = false;
	if (!ring->worker_started)
	{
		ring->worker_started = true;
		ring->started_at = GetCurrentTimestamp();
		start = true;
	}
	ring->reserved += needed;
	LWLockRelease(shared->lock);

	reserved_slot = slot;
	reserved_bytes = needed;
	if (start && !StartWorker(slot))
	{
		LWLockAcquire(shared->lock, LW_EXCLUSIVE);
		ring->worker_started = false;
		ring->reserved -= needed;
		LWLockRelease(shared->lock);
		reserved_slot = -1;
		reserved_bytes = 0;
		SendNow();
	}
}

/*
 * Publish: after commit, write the payloads into the reserved room and
 * wake the worker.  Must not fail: the transaction has committed.
 */
static void
Publish(void)
{
	NotifyRing *ring = &shared->rings[reserved_slot];
	ListCell   *lc;
	int			procno;

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	foreach(lc, pending)
	{
		PendingPayload *p = (PendingPayload *) lfirst(lc);

		RingWrite(ring, ring->head, &p->len, sizeof(uint32));
		RingWrite(ring, ring->head + sizeof(uint32), p->data, p->len);
		ring->head += EntryBytes(p->len);
	}
	ring->reserved -= reserved_bytes;
	procno = ring->worker_sleeping ? ring->worker_procno : -1;
	ring->worker_sleeping = false;
	LWLockRelease(shared->lock);
	if (procno >= 0)
		SetLatch(&ProcGlobal->allProcs[procno].procLatch);
}

/*
 * Unreserve: the transaction did not commit after all.
 */
static void
Unreserve(void)
{
	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	shared->rings[reserved_slot].reserved -= reserved_bytes;
	LWLockRelease(shared->lock);
}

/*
 * NotifyXactCallback: reserve at pre-commit, publish at commit, forget at
 * abort.  A prepared transaction cannot carry notifications (as with
 * NOTIFY itself).
 */
static void
NotifyXactCallback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
			if (pending != NIL)
				Reserve();
			break;
		case XACT_EVENT_COMMIT:
			if (pending != NIL && reserved_slot >= 0)
				Publish();
			pending = NIL;
			reserved_slot = -1;
			reserved_bytes = 0;
			break;
		case XACT_EVENT_ABORT:
			if (reserved_slot >= 0)
				Unreserve();
			pending = NIL;
			reserved_slot = -1;
			reserved_bytes = 0;
			break;
		case XACT_EVENT_PRE_PREPARE:
			if (pending != NIL)
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("cannot PREPARE a transaction that changed sched bookings"),
						 errdetail("Their notifications are sent at commit, as with NOTIFY.")));
			break;
		default:
			break;
	}
}

/*
 * NotifySubXactCallback: payloads of a subtransaction that rolls back are
 * dropped; those of one that commits now belong to its parent.
 */
static void
NotifySubXactCallback(SubXactEvent event, SubTransactionId mySubid,
					  SubTransactionId parentSubid, void *arg)
{
	ListCell   *lc;

	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		foreach(lc, pending)
		{
			if (((PendingPayload *) lfirst(lc))->subid >= mySubid)
				pending = foreach_delete_current(pending, lc);
		}
	}
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		foreach(lc, pending)
		{
			PendingPayload *p = (PendingPayload *) lfirst(lc);

			if (p->subid == mySubid)
				p->subid = parentSubid;
		}
	}
}

/*
 * SchedNotify: NOTIFY sched, payload, at commit.
 */
void
SchedNotify(const char *payload)
{
	MemoryContext old;
	PendingPayload *p;
	size_t		len = strlen(payload);

	/*
	 * Checked here, before commit, in both paths: a payload NOTIFY would
	 * refuse after commit would stop the ring.  sched's payloads are far
	 * below the limit; this is the guard, not a rule callers meet.
	 */
	if (!sched_notify_payload_fits(len, SCHED_NOTIFY_MAX_BYTES))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sched notification payload has %zu bytes", len),
				 errdetail("NOTIFY takes 1 to %d bytes.", SCHED_NOTIFY_MAX_BYTES - 1)));
	if (shared == NULL)
	{
		Async_Notify(SCHED_NOTIFY_CHANNEL, payload);
		return;
	}
	old = MemoryContextSwitchTo(TopTransactionContext);
	p = palloc(offsetof(PendingPayload, data) + len + 1);
	p->subid = GetCurrentSubTransactionId();
	p->len = (uint32) len;
	memcpy(p->data, payload, len + 1);
	pending = lappend(pending, p);
	MemoryContextSwitchTo(old);
}

/*
 * TakeBatch: copy up to BATCH_BYTES of payloads from the ring, without
 * consuming them; returns how many ring bytes they span.
 */
static uint64
TakeBatch(NotifyRing *ring, List **payloads)
{
	uint64		pos;
	uint64		head;

	LWLockAcquire(shared->lock, LW_SHARED);
	pos = ring->tail;
	head = ring->head;
	LWLockRelease(shared->lock);

	/* only this worker moves tail, and writers never touch [tail, head) */
	while (pos < head && pos - ring->tail < BATCH_BYTES)
	{
		uint32		len;
		char	   *payload;

		RingRead(ring, pos, &len, sizeof(uint32));

		/*
		 * An entry no committing backend could have written (SchedNotify
		 * checks the length): its bytes cannot be trusted to lead to the
		 * next entry, so what is left of the ring is skipped, with a log
		 * line, rather than stopping every later notification.
		 */
		if (!sched_ring_entry_ok(len, pos, head, SCHED_NOTIFY_MAX_BYTES, sizeof(uint32)))
		{
			ereport(LOG,
					(errmsg("sched notifier skipped %llu bytes of its ring after an entry of length %u",
							(unsigned long long) (head - pos), len)));
			pos = head;
			break;
		}
		payload = palloc(len + 1);
		RingRead(ring, pos + sizeof(uint32), payload, len);
		payload[len] = '\0';
		*payloads = lappend(*payloads, payload);
		pos += EntryBytes(len);
	}
	return pos - ring->tail;
}

/*
 * WorkerExit: the slot's worker is gone; the next commit starts another.
 */
static void
WorkerExit(int code, Datum arg)
{
	NotifyRing *ring = &shared->rings[DatumGetInt32(arg)];

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	ring->worker_started = false;
	ring->worker_procno = -1;
	ring->worker_sleeping = false;
	LWLockRelease(shared->lock);
}

/*
 * sched_notifier_main: send the database's committed payloads, a batch
 * per transaction, until idle for IDLE_EXIT_MS.
 */
void
sched_notifier_main(Datum arg)
{
	int			slot = DatumGetInt32(arg);
	NotifyRing *ring = &shared->rings[slot];
	Oid			dboid;
	TimestampTz idle_since = GetCurrentTimestamp();
	MemoryContext batch_cxt;

	pqsignal(SIGTERM, SignalHandlerForShutdownRequest);
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	BackgroundWorkerUnblockSignals();
	memcpy(&dboid, MyBgworkerEntry->bgw_extra, sizeof(Oid));

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	if (ring->dboid != dboid)
	{
		ring->worker_started = false;
		LWLockRelease(shared->lock);
		proc_exit(0);
	}
	ring->worker_procno = SchedMyProcNumber();
	ring->worker_sleeping = false;
	LWLockRelease(shared->lock);
	before_shmem_exit(WorkerExit, Int32GetDatum(slot));

	BackgroundWorkerInitializeConnectionByOid(dboid, InvalidOid, 0);
	pgstat_report_appname("sched notifier");
	batch_cxt = AllocSetContextCreate(TopMemoryContext, "sched notifier batch",
									  ALLOCSET_DEFAULT_SIZES);

	while (!ShutdownRequestPending)
	{
		List	   *payloads = NIL;
		uint64		bytes;
		bool		sleeping;
		TimestampTz now;
		ListCell   *lc;
		MemoryContext old;

		ResetLatch(MyLatch);
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}

		old = MemoryContextSwitchTo(batch_cxt);
		bytes = TakeBatch(ring, &payloads);
		MemoryContextSwitchTo(old);
		if (bytes > 0)
		{
			uint32	   *sent = MemoryContextAlloc(batch_cxt, list_length(payloads) * sizeof(uint32));
			int			nsent = 0;

			SetCurrentStatementStartTimestamp();
			StartTransactionCommand();
			pgstat_report_activity(STATE_RUNNING, "sending sched notifications");
			foreach(lc, payloads)
			{
				const char *payload = (const char *) lfirst(lc);
				uint32		h = hash_bytes((const unsigned char *) payload, strlen(payload));
				int			i;

				/*
				 * NOTIFY drops a payload that the transaction has sent
				 * already; the same payload from two committed
				 * transactions must reach listeners twice, so it starts
				 * a new transaction (a hash collision only splits one
				 * more often).
				 */
				for (i = 0; i < nsent; i++)
					if (sent[i] == h)
						break;
				if (i < nsent)
				{
					CommitTransactionCommand();
					StartTransactionCommand();
					nsent = 0;
				}
				Async_Notify(SCHED_NOTIFY_CHANNEL, payload);
				sent[nsent++] = h;
			}
			CommitTransactionCommand();
			pgstat_report_activity(STATE_IDLE, NULL);

			LWLockAcquire(shared->lock, LW_EXCLUSIVE);
			ring->tail += bytes;
			ring->sent += list_length(payloads);
			LWLockRelease(shared->lock);
			MemoryContextReset(batch_cxt);
			idle_since = GetCurrentTimestamp();
			continue;
		}

		/*
		 * Under load, look again in a millisecond instead of sleeping until
		 * woken: a committing backend then need not signal this process
		 * (a system call and a wake-up at every commit), and batches grow.
		 * After POLL_FOR_MS with nothing to send, sleep until the next
		 * commit wakes it, so that a lone booking is sent at once.
		 */
		now = GetCurrentTimestamp();
		if (!TimestampDifferenceExceeds(idle_since, now, POLL_FOR_MS))
		{
			(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
							 POLL_MS, PG_WAIT_EXTENSION);
			CHECK_FOR_INTERRUPTS();
			continue;
		}

		if (TimestampDifferenceExceeds(idle_since, now, IDLE_EXIT_MS))
		{
			bool		quit;

			LWLockAcquire(shared->lock, LW_EXCLUSIVE);
			quit = ring->head == ring->tail && ring->reserved == 0;
			if (quit)
			{
				ring->worker_started = false;
				ring->worker_procno = -1;
			}
			LWLockRelease(shared->lock);
			if (quit)
				break;
		}
		LWLockAcquire(shared->lock, LW_EXCLUSIVE);
		sleeping = ring->worker_sleeping = ring->head == ring->tail;
		LWLockRelease(shared->lock);
		if (!sleeping)
			continue;			/* a commit came in meanwhile */
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 IDLE_EXIT_MS, PG_WAIT_EXTENSION);
		CHECK_FOR_INTERRUPTS();
	}
	proc_exit(0);
}

/*
 * NotifyShmemSize: the rings and their lock.
 */
static Size
NotifyShmemSize(void)
{
	return MAXALIGN(sizeof(NotifyShared));
}

#if PG_VERSION_NUM >= 150000
static void
NotifyShmemRequest(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(NotifyShmemSize());
	RequestNamedLWLockTranche("sched_notify", 1);
}
#endif

static void
NotifyShmemStartup(void)
{
	bool		found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	shared = ShmemInitStruct("sched notifier", NotifyShmemSize(), &found);
	if (!found)
	{
		int			i;

		memset(shared, 0, sizeof(NotifyShared));
		shared->lock = &(GetNamedLWLockTranche("sched_notify"))->lock;
		for (i = 0; i < MAX_DATABASES; i++)
			shared->rings[i].worker_procno = -1;
	}
	LWLockRelease(AddinShmemInitLock);
}

/*
 * SchedNotifierInit: from _PG_init.  Only a library loaded through
 * shared_preload_libraries can have shared memory; otherwise SchedNotify
 * stays plain NOTIFY.
 */
void
SchedNotifierInit(void)
{
	if (!process_shared_preload_libraries_in_progress)
		return;
#if PG_VERSION_NUM >= 150000
	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = NotifyShmemRequest;
#else
	RequestAddinShmemSpace(NotifyShmemSize());
	RequestNamedLWLockTranche("sched_notify", 1);
#endif
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = NotifyShmemStartup;
	RegisterXactCallback(NotifyXactCallback, NULL);
	RegisterSubXactCallback(NotifySubXactCallback, NULL);
}
