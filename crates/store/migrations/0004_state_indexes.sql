-- Covering indexes for the state of every customer (coverage report, home, state-filtered
-- pages): the set-wise fact queries scan these narrow entries instead of the wide rows (a letter
-- row carries its whole merged body, an attestation its scope, end users and clauses).
CREATE INDEX letter_state_terms
    ON letter(customer_id, id, sent_on, ack_due, ack_received_on) WHERE archived = 0;
CREATE INDEX attestation_state_terms
    ON attestation(customer_id, id, status, signed_on, valid_until, supersedes) WHERE archived = 0;
CREATE INDEX red_flag_observation_state_terms
    ON red_flag_observation(customer_id, id, flag_id, observed_on, resolved_on);
