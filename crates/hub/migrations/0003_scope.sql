-- What a sales rep's pull needs (issue 15, `db::scope`): a record's accepted events in team
-- order (ownership before a page, a customer's records as of a reassignment) and the records of
-- one customer.
CREATE INDEX events_record ON events (entity, entity_id, team_seq) WHERE team_seq IS NOT NULL;
CREATE INDEX records_customer ON records ((data->>'customerId')) WHERE data ? 'customerId';
CREATE INDEX records_owner ON records (entity, (data->>'ownerId')) WHERE data ? 'ownerId';
CREATE INDEX records_attestation ON records ((data->>'attestationId')) WHERE data ? 'attestationId';
