-- The database's epoch, one row (id 1), written by the first node that starts on it. It is part
-- of every stream position handed to clients, so a client resuming against a restored or
-- replaced database is told to start again instead of being spliced into another history.
CREATE TABLE tailboard_epoch (
  id INT NOT NULL PRIMARY KEY,
  epoch VARCHAR(16) NOT NULL
);
