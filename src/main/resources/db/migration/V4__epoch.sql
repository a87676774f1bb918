-- Facts about this database itself. Its epoch (written by the first node that starts on it) is
-- part of every stream position handed to clients, so a client resuming against a restored or
-- replaced database is told to start again instead of being spliced into another history.
CREATE TABLE tailboard_meta (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  value VARCHAR(200) NOT NULL
);
