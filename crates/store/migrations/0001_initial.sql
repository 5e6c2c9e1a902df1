-- EndUse schema v1. Dates are ISO text (YYYY-MM-DD), timestamps RFC 3339 UTC text, ids UUIDv7
-- text, lists and small structures JSON text. Records are archived, never deleted.

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE user (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('sales_rep', 'compliance_manager', 'admin')),
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT,
    updated_by TEXT
);

CREATE TABLE customer (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    english_name TEXT,
    country TEXT NOT NULL,
    customer_type TEXT NOT NULL,
    city TEXT,
    address TEXT,
    website TEXT,
    owner_id TEXT REFERENCES user(id),
    external_id TEXT UNIQUE,
    hs_codes TEXT NOT NULL,
    status TEXT NOT NULL,
    status_reason TEXT,
    contacts TEXT NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0,
    -- lower-cased name, English name, external id and city, for search in any script
    search_text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT,
    updated_by TEXT
);
CREATE INDEX customer_country ON customer(country);
CREATE INDEX customer_owner ON customer(owner_id);
CREATE INDEX customer_name ON customer(name);

CREATE TABLE letter (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    campaign_id TEXT,
    template_name TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    pdf_sha256 TEXT,
    channel TEXT,
    sent_on TEXT,
    sent_by TEXT REFERENCES user(id),
    ack_due TEXT,
    ack_received_on TEXT,
    ack_by TEXT,
    ack_note TEXT,
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT,
    updated_by TEXT
);
CREATE INDEX letter_customer ON letter(customer_id);
CREATE INDEX letter_campaign ON letter(campaign_id);

CREATE TABLE visit (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    rep_id TEXT NOT NULL REFERENCES user(id),
    visited_on TEXT NOT NULL,
    location TEXT,
    attendees TEXT NOT NULL,
    purpose TEXT,
    notes TEXT,
    red_flags TEXT NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT,
    updated_by TEXT
);
CREATE INDEX visit_customer ON visit(customer_id);

CREATE TABLE red_flag_observation (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    visit_id TEXT REFERENCES visit(id),
    flag_id TEXT NOT NULL,
    observed_on TEXT NOT NULL,
    observed_by TEXT NOT NULL REFERENCES user(id),
    note TEXT,
    resolved_on TEXT,
    resolved_by TEXT REFERENCES user(id),
    resolution_note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT,
    updated_by TEXT
);
CREATE INDEX red_flag_observation_customer ON red_flag_observation(customer_id);
CREATE INDEX red_flag_observation_open ON red_flag_observation(resolved_on) WHERE resolved_on IS NULL;

CREATE TABLE follow_up (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    visit_id TEXT REFERENCES visit(id),
    action TEXT NOT NULL,
    due_on TEXT NOT NULL,
    owner_id TEXT REFERENCES user(id),
    done_on TEXT,
    done_by TEXT REFERENCES user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT,
    updated_by TEXT
);
CREATE INDEX follow_up_customer ON follow_up(customer_id);

CREATE TABLE attestation (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    kind TEXT NOT NULL,
    signatory_name TEXT NOT NULL,
    signatory_title TEXT,
    signed_on TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    customer_role TEXT NOT NULL,
    end_use TEXT NOT NULL,
    end_use_text TEXT,
    end_users TEXT NOT NULL,
    destinations TEXT NOT NULL,
    scope TEXT NOT NULL,
    clauses TEXT NOT NULL,
    status TEXT NOT NULL,
    supersedes TEXT REFERENCES attestation(id),
    logged_by TEXT NOT NULL REFERENCES user(id),
    logged_at TEXT NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT,
    updated_by TEXT
);
CREATE INDEX attestation_customer ON attestation(customer_id);
CREATE INDEX attestation_status ON attestation(status);
CREATE INDEX attestation_supersedes ON attestation(supersedes) WHERE supersedes IS NOT NULL;

CREATE TABLE review (
    id TEXT PRIMARY KEY,
    attestation_id TEXT NOT NULL REFERENCES attestation(id),
    decision TEXT NOT NULL,
    reason TEXT,
    reviewer_id TEXT NOT NULL REFERENCES user(id),
    reviewed_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT,
    updated_by TEXT
);
CREATE INDEX review_attestation ON review(attestation_id);

CREATE TABLE document (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    original_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    owner_entity TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT,
    updated_by TEXT
);
CREATE INDEX document_owner ON document(owner_entity, owner_id);

CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_by TEXT
);

-- Reference data, replaced as a whole per kind; each load is a version (and an audit event).
CREATE TABLE reference_version (
    kind TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    source TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    rows INTEGER NOT NULL
);
CREATE TABLE reference_red_flag (
    id TEXT PRIMARY KEY,
    category TEXT NOT NULL,
    text TEXT NOT NULL,
    source TEXT NOT NULL,
    source_date TEXT
);
CREATE TABLE reference_chpl (
    hs6 TEXT PRIMARY KEY,
    tier TEXT NOT NULL,
    description TEXT NOT NULL
);
CREATE TABLE reference_country_list (
    list TEXT NOT NULL,
    iso2 TEXT NOT NULL,
    source TEXT NOT NULL,
    source_date TEXT,
    PRIMARY KEY (list, iso2)
);

-- The audit trail (15 CFR 762): append-only, hash-chained.
CREATE TABLE audit_event (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    actor_id TEXT,
    device_id TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    old TEXT,
    new TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_event_entity ON audit_event(entity, entity_id);

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused');
END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused');
END;
