-- Herald's own: messages waiting to be (re)indexed, written in the same transaction as the message itself, so an
-- index that is down never loses a document and never blocks or undoes the database write.
CREATE TABLE IF NOT EXISTS herald_search_outbox (
    doc_id VARCHAR(300) NOT NULL PRIMARY KEY,
    doc TEXT NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)
);
