-- Secret values registered for a build (::add-mask:: lines and POST /api/builds/{id}/masks), each
-- sealed (AES-GCM under a key derived from the token signing secret), so the database never holds
-- one in the clear. builds.mask_count is bumped in the same transaction: a node whose compiled
-- masker counts fewer values reloads them while it holds the build row.
ALTER TABLE builds ADD COLUMN mask_count INT DEFAULT 0 NOT NULL;
CREATE TABLE build_masks (
  build_id BIGINT NOT NULL,
  n INT NOT NULL,
  sealed VARCHAR NOT NULL,
  PRIMARY KEY (build_id, n)
);
