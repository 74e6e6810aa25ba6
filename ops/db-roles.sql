-- A runtime role for the service that may append events but not change or remove them.
-- Placeholders: __SCHEMA__ (Marten's schema, default blk) and __ROLE__ (an existing login role).
-- Run as the owner of the schema (the migration role) after the service created its tables once, e.g.
--   sed -e 's/__SCHEMA__/blk/g' -e 's/__ROLE__/blk_app/g' ops/db-roles.sql | psql "$ADMIN_CONNECTION"
-- Then run the service with a connection string for __ROLE__.
GRANT USAGE ON SCHEMA __SCHEMA__ TO __ROLE__;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA __SCHEMA__ TO __ROLE__;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA __SCHEMA__ TO __ROLE__;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA __SCHEMA__ TO __ROLE__;
-- Events are written once. Marten's append path only inserts into mt_events (and updates mt_streams); archiving and
-- event masking would update it and are refused for this role.
REVOKE UPDATE, DELETE, TRUNCATE ON __SCHEMA__.mt_events FROM __ROLE__;
-- The audit log only appends leaves, checkpoints and witnesses' cosignatures; its progress row is updated.
REVOKE UPDATE, DELETE, TRUNCATE ON __SCHEMA__.audit_leaves, __SCHEMA__.audit_checkpoints, __SCHEMA__.audit_keys, __SCHEMA__.audit_cosignatures FROM __ROLE__;
