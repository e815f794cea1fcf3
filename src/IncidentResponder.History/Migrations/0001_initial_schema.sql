-- The incident history: one row per Incident ever seen (keyed by its uid, so an Incident re-created with the same
-- name is a new row), and the records that hang off it. Rows are only ever added or updated, never deleted:
-- history outlives the Incident resource and everything its status had to trim.

CREATE TABLE incidents (
    uid                text        PRIMARY KEY,
    namespace          text        NOT NULL,
    name               text        NOT NULL,
    target_kind        text        NOT NULL,
    target_name        text        NOT NULL,
    signal_type        text        NOT NULL,
    signal_reason      text,
    signal_fingerprint text,
    severity           text        NOT NULL,
    phase              text,
    source             text,
    summary            text,
    runbook            text,
    policy             text,
    created_at         timestamptz NOT NULL,
    detected_at        timestamptz,
    opened_at          timestamptz,
    mitigated_at       timestamptz,
    resolved_at        timestamptz,
    deleted_at         timestamptz,
    time_to_detect     text,
    time_to_mitigate   text,
    signals            jsonb,
    change             jsonb,
    first_recorded_at  timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);

-- "The post-mortem of ns/name" and "recent incidents in ns" both look up by namespace, newest first.
CREATE INDEX incidents_by_namespace_name ON incidents (namespace, name, created_at DESC);
CREATE INDEX incidents_by_detection ON incidents ((coalesce(detected_at, opened_at, created_at)));

CREATE TABLE actions (
    incident_uid text        NOT NULL REFERENCES incidents (uid),
    step         text        NOT NULL,
    attempt      integer     NOT NULL,
    type         text        NOT NULL,
    phase        text        NOT NULL,
    started_at   timestamptz,
    finished_at  timestamptz,
    message      text,
    details      jsonb,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (incident_uid, step, attempt)
);

-- A timeline entry never changes once written, so its key is a digest of its content (time, type, message and
-- its rank among identical entries): recording the same entry again, from any later snapshot, is a no-op.
CREATE TABLE timeline_entries (
    incident_uid text        NOT NULL REFERENCES incidents (uid),
    entry_key    text        NOT NULL,
    time         timestamptz NOT NULL,
    type         text        NOT NULL,
    message      text        NOT NULL,
    PRIMARY KEY (incident_uid, entry_key)
);

CREATE INDEX timeline_entries_by_time ON timeline_entries (incident_uid, time);

-- One delivery record per notification target, as the status last showed it (updates sent, last sent, failures);
-- each update itself is a Notification entry of the timeline.
CREATE TABLE notifications (
    incident_uid text        NOT NULL REFERENCES incidents (uid),
    target       text        NOT NULL,
    last_sent_at timestamptz,
    record       jsonb       NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (incident_uid, target)
);

CREATE TABLE evidence (
    incident_uid  text        PRIMARY KEY REFERENCES incidents (uid),
    markdown      text,
    document      text,
    updated_at    timestamptz NOT NULL
);

CREATE TABLE postmortems (
    incident_uid  text        PRIMARY KEY REFERENCES incidents (uid),
    markdown      text        NOT NULL,
    updated_at    timestamptz NOT NULL
);
