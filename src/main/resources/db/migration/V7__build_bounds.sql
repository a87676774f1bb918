-- The UTF-8 bytes of a build's stored log (each line and its line end), kept with line_count in
-- the transaction that appends, for log.maxBytesPerBuild. Builds stored before this migration
-- count from 0: their log is not re-read at upgrade.
ALTER TABLE builds ADD COLUMN log_bytes BIGINT DEFAULT 0 NOT NULL;

-- Retention looks up finished builds by their finish time, oldest first.
CREATE INDEX builds_finished ON builds (finished_at);
