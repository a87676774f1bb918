-- The SHA-256 (hex) of the body that first used an Idempotency-Key or a chunk's seq, so a repeat
-- with another body is refused (422) instead of answered as the first. Rows from before this
-- migration have none (NULL) and are answered as before.
ALTER TABLE builds ADD COLUMN body_sha256 VARCHAR(64);
ALTER TABLE log_chunks ADD COLUMN body_sha256 VARCHAR(64);
