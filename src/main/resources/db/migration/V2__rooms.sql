-- Stored room messages (chat, document updates) as the frames sent to clients, numbered by the
-- room's seq, so hello.resume replays them verbatim.
CREATE TABLE room_messages (
  room VARCHAR(80) NOT NULL,
  seq BIGINT NOT NULL,
  type VARCHAR(16) NOT NULL,
  client_id VARCHAR(100),
  frame VARCHAR NOT NULL,
  PRIMARY KEY (room, seq)
);
CREATE INDEX room_messages_client ON room_messages (room, client_id);

-- The collab authority's updates of each shared document since its snapshot.
CREATE TABLE doc_updates (
  room VARCHAR(80) NOT NULL,
  doc VARCHAR(64) NOT NULL,
  version INT NOT NULL,
  client_id VARCHAR(100) NOT NULL,
  changes VARCHAR NOT NULL,
  PRIMARY KEY (room, doc, version)
);

-- A document's text at a version; older updates are dropped once it is written.
CREATE TABLE doc_snapshots (
  room VARCHAR(80) NOT NULL,
  doc VARCHAR(64) NOT NULL,
  version INT NOT NULL,
  text VARCHAR NOT NULL,
  PRIMARY KEY (room, doc)
);
