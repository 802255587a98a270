import Postgres

extension Migration {
    /// The job table, the stage controls (pause/resume), the worker registry and the insert NOTIFY.
    static let m001Queue = Migration(version: 1, name: "queue", sql: """
    CREATE TABLE jobs (
        id            bigserial PRIMARY KEY,
        stage         text        NOT NULL,
        payload       jsonb       NOT NULL DEFAULT '{}',
        state         text        NOT NULL DEFAULT 'available'
                      CHECK (state IN ('available', 'running', 'succeeded', 'dead', 'cancelled')),
        priority      smallint    NOT NULL DEFAULT 0,
        run_at        timestamptz NOT NULL DEFAULT now(),
        attempts      integer     NOT NULL DEFAULT 0,
        max_attempts  integer     NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
        last_error    text,
        errors        jsonb       NOT NULL DEFAULT '[]',
        locked_by     text,
        heartbeat_at  timestamptz,
        created_at    timestamptz NOT NULL DEFAULT now(),
        started_at    timestamptz,
        finished_at   timestamptz,
        dedupe_key    text
    );
    -- The claim path: available jobs of one stage, most urgent first.
    CREATE INDEX jobs_claim ON jobs (stage, priority DESC, run_at, id) WHERE state = 'available';
    -- The rescuer's path.
    CREATE INDEX jobs_running ON jobs (heartbeat_at) WHERE state = 'running';
    CREATE INDEX jobs_locked_by ON jobs (locked_by) WHERE state = 'running';
    CREATE INDEX jobs_finished ON jobs (finished_at) WHERE state IN ('succeeded', 'dead', 'cancelled');
    -- A dedupe key is unique among the jobs of a stage that are not finished.
    CREATE UNIQUE INDEX jobs_dedupe ON jobs (stage, dedupe_key)
        WHERE dedupe_key IS NOT NULL AND state IN ('available', 'running');

    -- Wake listening workers once per statement and stage, not once per row.
    CREATE FUNCTION jobs_notify_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE s text;
    BEGIN
        FOR s IN SELECT DISTINCT stage FROM new_jobs WHERE state = 'available' LOOP
            PERFORM pg_notify('tideline_jobs', s);
        END LOOP;
        RETURN NULL;
    END $$;
    CREATE TRIGGER jobs_notify_insert AFTER INSERT ON jobs
        REFERENCING NEW TABLE AS new_jobs FOR EACH STATEMENT EXECUTE FUNCTION jobs_notify_insert();

    -- A paused stage's workers claim nothing.
    CREATE TABLE stage_controls (
        stage      text PRIMARY KEY,
        paused     boolean     NOT NULL DEFAULT false,
        changed_at timestamptz NOT NULL DEFAULT now()
    );

    -- Every running worker process registers here and heartbeats.
    CREATE TABLE workers (
        id           text PRIMARY KEY,
        host         text        NOT NULL,
        pid          integer     NOT NULL,
        stage        text        NOT NULL,
        concurrency  integer     NOT NULL,
        started_at   timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        stopped_at   timestamptz,
        jobs_done    bigint      NOT NULL DEFAULT 0,
        jobs_failed  bigint      NOT NULL DEFAULT 0
    );
    """)
}
