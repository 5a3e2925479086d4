-- Runs once, when the PostgreSQL volume is first initialised: the integration's own database (the cluster-wide
-- NetSuite concurrency limiter's advisory locks and the catch-up poller's cursors). Temporal's databases are created
-- by temporalio/auto-setup itself.
CREATE DATABASE woo_netsuite_sync;
