-- Retention and legal hold (issue 18, item 5).
-- A legal hold on a customer blocks every purge of its records while it is not lifted.
CREATE TABLE legal_hold (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    reason TEXT NOT NULL,
    lifted_at TEXT,
    lifted_by TEXT REFERENCES user(id),
    lift_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT,
    updated_by TEXT
);
CREATE INDEX legal_hold_customer ON legal_hold(customer_id);

-- The retention report reads each record's latest event time (`max(at)` by entity and id): with
-- `at` in the index it is read from the index alone, never from the event rows (which hold the
-- payloads). Same prefix as before, so every other lookup by record is unchanged.
DROP INDEX audit_event_entity;
CREATE INDEX audit_event_entity ON audit_event(entity, entity_id, at);
