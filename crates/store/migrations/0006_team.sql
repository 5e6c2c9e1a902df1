-- Team membership and sync state (issue 14). None of these tables holds records: they are this
-- device's bookkeeping of the team (who it is, what it has sent, what the team has told it).

-- One row once this database has joined a hub: from then on it acts as `user_id` only.
CREATE TABLE team_membership (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    hub_url TEXT NOT NULL,
    -- PEM of the CA the hub's certificate must chain to (a private CA), if any
    ca_pem TEXT,
    device_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    -- where the device's private key is kept: 'keyring' or 'file'
    key_store TEXT NOT NULL,
    joined_at TEXT NOT NULL,
    -- the team position applied up to, and the team chain's hash there
    cursor INTEGER NOT NULL DEFAULT 0,
    team_hash TEXT NOT NULL,
    last_sync_at TEXT
);

-- The device chain: every event this device signed, pending until the hub answers. Rows stay
-- (accepted or refused) so the chain can be verified and refusals shown.
CREATE TABLE team_outbox (
    device_seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    -- the signed protocol event, as JSON
    event TEXT NOT NULL,
    hash TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'refused')),
    team_seq INTEGER,
    refusal_code TEXT,
    refusal_reason TEXT,
    answered_at TEXT
);
CREATE INDEX team_outbox_status ON team_outbox(status, device_seq);

-- The team chain as pulled, in team order (verified by `audit verify`).
CREATE TABLE team_event (
    team_seq INTEGER PRIMARY KEY,
    team_hash TEXT NOT NULL,
    event TEXT NOT NULL,
    version INTEGER NOT NULL,
    received_at TEXT NOT NULL
);

-- The team's truth of each record after the events applied (what merge starts from and what a
-- refused change returns to), with who logged or amended it (four-eyes by content).
CREATE TABLE team_record (
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    data TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (entity, entity_id)
);

-- Same-field overwrites found while applying the team's events.
CREATE TABLE team_conflict (
    id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    field TEXT NOT NULL,
    overwritten TEXT NOT NULL,
    winning TEXT NOT NULL,
    winning_event TEXT NOT NULL,
    team_seq INTEGER NOT NULL
);

-- Solo databases with several users: a user who set a passphrase must give it to act.
CREATE TABLE user_passphrase (
    user_id TEXT PRIMARY KEY REFERENCES user(id),
    hash TEXT NOT NULL,
    set_at TEXT NOT NULL
);
