-- For the ops monitor, which reads each department's arrivals: records by when they first reached the platform
-- (received per hour and day, 双公示 timeliness, last report) and refusals by when they came.
create index records_first_stored on records (first_stored_at);
create index ingest_errors_received on ingest_errors (received_at);
