-- Restricted-party screening: imported list versions with their entries, and the hits a
-- compliance manager confirms or dismisses. The newest version of each list kind is the one
-- screened against; older versions stay on record.

CREATE TABLE list_version (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('sdn', 'csl', 'dpl')),
    sha256 TEXT NOT NULL,
    files TEXT NOT NULL,
    entries INTEGER NOT NULL,
    aliases INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT REFERENCES user(id)
);
CREATE INDEX list_version_kind ON list_version(kind, id);

CREATE TABLE list_entry (
    version_id TEXT NOT NULL REFERENCES list_version(id),
    position INTEGER NOT NULL,
    list TEXT NOT NULL,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    aliases TEXT NOT NULL,
    addresses TEXT NOT NULL,
    programs TEXT NOT NULL,
    remarks TEXT,
    source_url TEXT,
    PRIMARY KEY (version_id, position)
);
CREATE INDEX list_entry_key ON list_entry(list, key);

CREATE TABLE screening_hit (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    list_version_id TEXT NOT NULL REFERENCES list_version(id),
    list TEXT NOT NULL,
    entry_key TEXT NOT NULL,
    entry_name TEXT NOT NULL,
    score INTEGER NOT NULL,
    name_score INTEGER NOT NULL,
    customer_name TEXT NOT NULL,
    list_name TEXT NOT NULL,
    alias INTEGER NOT NULL,
    matched_tokens TEXT NOT NULL,
    explanation TEXT NOT NULL,
    suppression_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'confirmed', 'dismissed', 'cleared')),
    decided_by TEXT REFERENCES user(id),
    decided_at TEXT,
    reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT,
    updated_by TEXT
);
CREATE INDEX screening_hit_customer ON screening_hit(customer_id, suppression_key);
CREATE INDEX screening_hit_status ON screening_hit(status);
