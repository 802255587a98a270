-- Least-privilege roles for Tideline. Run once per database, as a superuser, before the first
-- migration:   psql -d tideline -f deploy/sql/roles.sql
-- then give both roles passwords (ALTER ROLE tideline_owner PASSWORD '…'; likewise tideline_worker).
--
-- tideline_owner owns the schema and runs `tideline migrate`. tideline_worker is what the four
-- stages, `tideline up`, the queue commands and the metrics endpoint connect as: it reads and
-- writes rows and can create nothing. Workers apply no migration when the schema is up to date,
-- so they start with these rights alone.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tideline_owner') THEN
        CREATE ROLE tideline_owner LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tideline_worker') THEN
        CREATE ROLE tideline_worker LOGIN;
    END IF;
END $$;

-- Only the owner creates objects in the schema.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO tideline_owner;
GRANT USAGE ON SCHEMA public TO tideline_worker;

-- Rows of whatever the owner's migrations create, and nothing else: no DDL, no TRUNCATE.
ALTER DEFAULT PRIVILEGES FOR ROLE tideline_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tideline_worker;
ALTER DEFAULT PRIVILEGES FOR ROLE tideline_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO tideline_worker;
