-- Up Migration

-- Dispatch escalates to the shared pool: after the last radius step (offers or grab hall) with
-- nobody taking the order, a store that gives to the pool publishes it there automatically
-- (platform.publish_to_pool, audited) and its run waits in `pool`; if no other store's
-- technician takes it in time, staff are asked. The dispatch log names both steps.
ALTER TABLE dispatch_runs DROP CONSTRAINT dispatch_runs_state_check;
ALTER TABLE dispatch_runs ADD CONSTRAINT dispatch_runs_state_check
  CHECK (state IN ('offering', 'grab', 'pool', 'needs_staff', 'assigned', 'closed'));

ALTER TABLE dispatch_log DROP CONSTRAINT dispatch_log_kind_check;
ALTER TABLE dispatch_log ADD CONSTRAINT dispatch_log_kind_check CHECK (kind IN (
  'considered', 'excluded', 'scored', 'offered', 'declined', 'expired', 'withdrawn', 'escalated', 'needs_staff',
  'assigned', 'reassigned', 'grab_opened', 'grab_won', 'grab_lost', 'appeal', 'pool_published', 'pool_taken'));

-- Down Migration
ALTER TABLE dispatch_log DROP CONSTRAINT dispatch_log_kind_check;
ALTER TABLE dispatch_log ADD CONSTRAINT dispatch_log_kind_check CHECK (kind IN (
  'considered', 'excluded', 'scored', 'offered', 'declined', 'expired', 'withdrawn', 'escalated', 'needs_staff',
  'assigned', 'reassigned', 'grab_opened', 'grab_won', 'grab_lost', 'appeal')) NOT VALID; -- the log is append-only
UPDATE dispatch_runs SET state = 'needs_staff' WHERE state = 'pool';
ALTER TABLE dispatch_runs DROP CONSTRAINT dispatch_runs_state_check;
ALTER TABLE dispatch_runs ADD CONSTRAINT dispatch_runs_state_check
  CHECK (state IN ('offering', 'grab', 'needs_staff', 'assigned', 'closed'));
