-- The seed's checkpoint table, created only when missing.
CREATE TABLE IF NOT EXISTS service_state (
    service_name VARCHAR(100) PRIMARY KEY,
    last_processed_seq INT NOT NULL DEFAULT 0,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
);

-- Herald's own: report seqs above the checkpoint that were already broadcast while a lower seq was still
-- uncommitted. Kept with the checkpoint so a restart neither repeats them nor forgets the gap.
CREATE TABLE IF NOT EXISTS herald_tail_delivered (
    service_name VARCHAR(100) NOT NULL,
    seq INT NOT NULL,
    PRIMARY KEY (service_name, seq)
);

-- The seed's reports table, created only when missing: Herald never alters an existing one.
CREATE TABLE IF NOT EXISTS reports (
    seq INT NOT NULL AUTO_INCREMENT,
    ts TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    id VARCHAR(255) NOT NULL,
    team INT NOT NULL,
    latitude FLOAT NOT NULL,
    longitude FLOAT NOT NULL,
    x FLOAT,
    y FLOAT,
    image LONGBLOB NOT NULL,
    action_id VARCHAR(32),
    PRIMARY KEY (seq),
    INDEX id_index (id),
    INDEX action_idx (action_id)
);
