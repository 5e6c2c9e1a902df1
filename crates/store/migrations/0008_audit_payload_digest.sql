-- Audit events v2: the chain commits to a digest of each event's payload, and the payload is
-- kept compressed beside it (see crates/store/src/payload.rs), so that a purged record's events
-- can lose their payload while the chain still verifies. The v1 table is renamed here and its
-- events are rewritten into the new one by the store when it finds `audit_event_v1` (the
-- hashes are recomputed; a v1 event whose hash or link did not hold stays broken).
DROP TRIGGER audit_event_no_update;
DROP TRIGGER audit_event_no_delete;
DROP INDEX audit_event_entity;
ALTER TABLE audit_event RENAME TO audit_event_v1;

CREATE TABLE audit_event (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    at TEXT NOT NULL,
    actor_id TEXT,
    device_id TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    -- zstd frame of the canonical {"new":…,"old":…} text; NULL once the record was purged
    payload BLOB,
    -- SHA-256 of that text (32 bytes): what the event's hash covers
    payload_sha256 BLOB NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_event_entity ON audit_event(entity, entity_id);

CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused');
END;
-- The one change an event may undergo: a purge drops its payload and keeps everything else.
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
WHEN NOT (NEW.payload IS NULL AND OLD.payload IS NOT NULL
          AND NEW.seq IS OLD.seq AND NEW.id IS OLD.id AND NEW.at IS OLD.at
          AND NEW.actor_id IS OLD.actor_id AND NEW.device_id IS OLD.device_id
          AND NEW.action IS OLD.action AND NEW.entity IS OLD.entity
          AND NEW.entity_id IS OLD.entity_id AND NEW.payload_sha256 IS OLD.payload_sha256
          AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash)
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused (only a purge may drop a payload)');
END;
