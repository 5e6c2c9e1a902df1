-- Letter campaigns: versioned templates with merge fields, campaigns that target customers and
-- generate one letter each, and follow-up (chase) letters linked to the letter they chase.

CREATE TABLE letter_template (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT,
    updated_by TEXT,
    UNIQUE (name, template_version)
);

CREATE TABLE campaign (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    template_id TEXT NOT NULL REFERENCES letter_template(id),
    follow_up_template_id TEXT REFERENCES letter_template(id),
    target TEXT NOT NULL,
    ack_due_days INTEGER NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT,
    updated_by TEXT
);

ALTER TABLE letter ADD COLUMN chase_of TEXT REFERENCES letter(id);
CREATE INDEX letter_chase_of ON letter(chase_of) WHERE chase_of IS NOT NULL;
