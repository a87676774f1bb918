-- The diff against the last passed build (GET /api/builds/{id}/diff) looks up the newest passed
-- build of a project on a ref below an id: this index answers it from its end, however many
-- failed builds came since.
CREATE INDEX builds_last_passed ON builds (project, ref, status, id);
