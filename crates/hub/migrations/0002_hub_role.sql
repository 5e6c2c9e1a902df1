-- A role for the hub service to run as: it may read and append events but never change or
-- delete one (besides the trigger). Roles are per cluster, so it is created only when missing,
-- and skipped when the migrating user may not create roles (then the trigger alone holds).
-- Run the hub as a login role that is a member of `enduse_hub`:
--   CREATE ROLE hub LOGIN PASSWORD '…' IN ROLE enduse_hub;
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'enduse_hub') THEN
        CREATE ROLE enduse_hub NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN NULL;
END $$;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'enduse_hub') THEN
        EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON users, enrollment_codes, devices,
                 team_head, records, conflicts, documents, document_chunks TO enduse_hub';
        EXECUTE 'GRANT SELECT, INSERT ON events TO enduse_hub';
        EXECUTE 'REVOKE UPDATE, DELETE, TRUNCATE ON events FROM enduse_hub';
        EXECUTE 'GRANT USAGE ON SEQUENCE conflicts_id_seq TO enduse_hub';
        EXECUTE 'GRANT SELECT ON schema_version TO enduse_hub';
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN NULL;
END $$;
