-- What failed, kept with line_count in the transaction that appends (docs/failures.md): lines
-- marked as errors, the first of them (its number and its text as shown, at most 200 characters)
-- and the annotations (::error, ::warning, ::notice) by level. Builds stored before this
-- migration count from 0: their log is not re-read at upgrade.
ALTER TABLE builds ADD COLUMN error_count BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE builds ADD COLUMN first_error_line BIGINT;
ALTER TABLE builds ADD COLUMN first_error VARCHAR(1000);
ALTER TABLE builds ADD COLUMN annotation_errors INT DEFAULT 0 NOT NULL;
ALTER TABLE builds ADD COLUMN annotation_warnings INT DEFAULT 0 NOT NULL;
ALTER TABLE builds ADD COLUMN annotation_notices INT DEFAULT 0 NOT NULL;

-- A build's annotations, numbered 0, 1, 2 ... in log order from the counts on the locked build
-- row; data is the annotation's JSON. Retention deletes them with the build.
CREATE TABLE annotations (
  build_id BIGINT NOT NULL,
  n INT NOT NULL,
  level VARCHAR(16) NOT NULL,
  log_line BIGINT NOT NULL,
  data VARCHAR NOT NULL,
  PRIMARY KEY (build_id, n)
);
