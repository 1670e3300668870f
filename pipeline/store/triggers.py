"""What started a run, as the run log records it: the distributed mode's two kinds, apart from
the store's heavier modules so that `evictwatch enqueue` defers a cycle without loading them."""

QUEUED_TRIGGER = "enqueue"  # a cycle started by `evictwatch enqueue run`
WORKER_TRIGGER = "worker:"  # a cycle the workers' schedule started, followed by the job's name
