-- Rooms across nodes on one database. Written only when the database is shared (PostgreSQL):
-- the embedded single-node database never touches these tables.

-- Who is in which room on which node, so a newcomer's welcome lists the members of every node.
-- conn_id is the member's connection on its node (member ids may repeat when a session resumes).
CREATE TABLE room_members (
  room VARCHAR(80) NOT NULL,
  node_id VARCHAR(40) NOT NULL,
  conn_id VARCHAR(100) NOT NULL,
  member VARCHAR(1000) NOT NULL,
  PRIMARY KEY (room, node_id, conn_id)
);
CREATE INDEX room_members_node ON room_members (node_id);

-- Every live node's heartbeat: seen_at changes at each beat; a node whose value stops changing
-- is dead, and any node deletes its row and its room_members rows.
CREATE TABLE cluster_nodes (
  node_id VARCHAR(40) PRIMARY KEY,
  seen_at BIGINT NOT NULL
);
