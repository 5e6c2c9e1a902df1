-- Every active customer's state, kept current by the core (issue 19): written in the same
-- transaction as each write that can change it, and recomputed on a new day only for the
-- customers whose `changes_on` (the first day after `meta.states_on` their state can move:
-- an attestation ending or entering its warning window, an acknowledgement falling due, a red
-- flag opening or resolved) has come. '' marks a row to recompute before the transaction ends
-- (team sync). A cache of the rules' answer, not a record: `audit verify` recomputes and
-- compares it; the shipping gate never reads it. The customer's country and owner are kept
-- beside it (rewritten with the state whenever the customer is written) so the home screen's
-- counts per state, country and owner are one scan of this narrow table (named apart from
-- customer's own columns, which the list's filters name bare).
CREATE TABLE customer_state (
    customer_id TEXT PRIMARY KEY REFERENCES customer(id) ON DELETE CASCADE,
    state       TEXT NOT NULL,
    changes_on  TEXT,
    in_country  TEXT NOT NULL DEFAULT '',
    owned_by    TEXT
) WITHOUT ROWID;
CREATE INDEX customer_state_by_state ON customer_state(state, customer_id);
CREATE INDEX customer_state_changes ON customer_state(changes_on) WHERE changes_on IS NOT NULL;
