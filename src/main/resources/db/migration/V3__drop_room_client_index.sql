-- Resent chats are recognised in memory (the room's last 1000 client ids), so this index only
-- cost every group commit a second tree to write.
DROP INDEX room_messages_client;
