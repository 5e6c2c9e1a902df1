-- The team's identities, devices, events, team state and documents.

CREATE TABLE users (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    email       text NOT NULL,
    role        text NOT NULL CHECK (role IN ('sales_rep', 'compliance_manager', 'admin')),
    disabled    boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- Only the SHA-256 of a code is kept: a database dump does not let anyone enroll.
CREATE TABLE enrollment_codes (
    code_hash   text PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    device_id   uuid
);

CREATE TABLE devices (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id),
    public_key    text NOT NULL UNIQUE,
    name          text NOT NULL,
    enrolled_at   timestamptz NOT NULL,
    revoked_at    timestamptz,
    last_seen_at  timestamptz,
    -- The head of the device's chain as the hub has taken it (accepted or refused events).
    last_seq      bigint NOT NULL DEFAULT 0,
    last_hash     text NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000'
);

-- One row: the team chain's head. Every push locks it (SELECT … FOR UPDATE) for its whole
-- transaction, so team positions are handed out in commit order and a reader polling
-- `team_seq > cursor` never skips a row that commits later.
CREATE TABLE team_head (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    seq        bigint NOT NULL,
    hash       text NOT NULL
);
INSERT INTO team_head (singleton, seq, hash)
VALUES (true, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE events (
    id             uuid PRIMARY KEY,
    device_id      uuid NOT NULL REFERENCES devices (id),
    device_seq     bigint NOT NULL,
    device_hash    text NOT NULL,
    signature      text NOT NULL,
    -- Exactly the text the device hash covers (jsonb would reorder and renormalise it).
    body           text NOT NULL,
    actor_id       uuid NOT NULL,
    action         text NOT NULL,
    entity         text NOT NULL,
    entity_id      text NOT NULL,
    device_at      text NOT NULL,
    received_at    timestamptz NOT NULL,
    device_time_ahead boolean NOT NULL,
    status         text NOT NULL CHECK (status IN ('accepted', 'refused')),
    refusal_code   text,
    refusal_reason text,
    -- Accepted events only: the team position, chain and the record's version after it.
    team_seq       bigint UNIQUE,
    team_hash      text,
    version        bigint,
    UNIQUE (device_id, device_seq),
    CHECK ((status = 'accepted') = (team_seq IS NOT NULL))
);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the team''s events are append-only: % refused on %', TG_OP, TG_TABLE_NAME;
END $$;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- The team's current records, as the accepted events in team order leave them: what the rules
-- and the field-by-field merge read. Rebuildable from `events`.
CREATE TABLE records (
    entity         text NOT NULL,
    entity_id      text NOT NULL,
    version        bigint NOT NULL,
    data           jsonb NOT NULL,
    -- Users who logged, amended or attached documents to it (four-eyes by content).
    contributors   uuid[] NOT NULL DEFAULT '{}',
    decided        boolean NOT NULL DEFAULT false,
    -- Which event last wrote each top-level field (names the loser of a conflict).
    field_events   jsonb NOT NULL DEFAULT '{}',
    team_seq       bigint NOT NULL,
    PRIMARY KEY (entity, entity_id)
);

CREATE TABLE conflicts (
    id                 bigserial PRIMARY KEY,
    entity             text NOT NULL,
    entity_id          text NOT NULL,
    field              text NOT NULL,
    overwritten        jsonb NOT NULL,
    overwritten_event  uuid,
    winning            jsonb NOT NULL,
    winning_event      uuid NOT NULL REFERENCES events (id),
    team_seq           bigint NOT NULL
);

-- Documents by content: chunks arrive in any order and any number of times (resume), and
-- `complete` is set once the whole hashes to the name.
CREATE TABLE documents (
    sha256        text PRIMARY KEY,
    size          bigint,
    complete      boolean NOT NULL DEFAULT false,
    uploaded_by   uuid REFERENCES devices (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    completed_at  timestamptz
);

CREATE TABLE document_chunks (
    sha256  text NOT NULL REFERENCES documents (sha256),
    idx     integer NOT NULL CHECK (idx >= 0),
    data    bytea NOT NULL,
    PRIMARY KEY (sha256, idx)
);
