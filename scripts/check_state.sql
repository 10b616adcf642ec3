-- Report listener checkpoint, as the seed's scripts/check_state.sql shows it:
--   mysql -u server -p cleanapp < scripts/check_state.sql
SELECT s.service_name,
       s.last_processed_seq AS checkpoint,
       (SELECT COALESCE(MAX(seq), 0) FROM reports) AS latest_seq,
       (SELECT COUNT(*) FROM reports r WHERE r.seq > s.last_processed_seq) AS reports_after_checkpoint,
       (SELECT COUNT(*) FROM herald_tail_delivered d WHERE d.service_name = s.service_name) AS broadcast_above_checkpoint,
       s.updated_at,
       TIMESTAMPDIFF(SECOND, s.updated_at, NOW()) AS seconds_since_update
FROM service_state s;
