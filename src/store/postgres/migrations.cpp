#include "store/postgres/migrations.h"

#include "core/log.h"

namespace mc::store::postgres {
namespace {

// pg_advisory_lock's key for "applying the ledger's migrations" (an arbitrary constant).
constexpr const char* kMigrationLock = "7262330104553120613";

}  // namespace

// The same tables, columns and indexes as the SQLite ledger (store/sqlite/migrations.cpp),
// in PostgreSQL's types: times are BIGINT milliseconds since the Unix epoch, booleans are
// INTEGER 0/1 (the queries are shared), keys that are sorted are COLLATE "C" (byte order,
// as SQLite sorts, whatever the database's locale).
const std::vector<Migration>& schema_migrations() {
  static const std::vector<Migration> migrations = {
      {1, "the ledger: pool, sessions, participants, outbox, calls, binding changes", R"SQL(
CREATE TABLE pool_numbers (
  number        TEXT COLLATE "C" PRIMARY KEY,
  country       TEXT NOT NULL,
  area_code     TEXT NOT NULL DEFAULT '',
  region        TEXT NOT NULL DEFAULT '',
  capabilities  TEXT NOT NULL DEFAULT 'sms,voice',
  reserved      INTEGER NOT NULL DEFAULT 0,
  retired       INTEGER NOT NULL DEFAULT 0,
  capacity      INTEGER NOT NULL DEFAULT 100,
  load          INTEGER NOT NULL DEFAULT 0 CHECK (load >= 0),
  created_at    BIGINT NOT NULL
);
CREATE INDEX pool_numbers_by_area_code ON pool_numbers (country, area_code, load, number);
CREATE INDEX pool_numbers_by_region ON pool_numbers (country, region, load, number);
CREATE INDEX pool_numbers_by_load ON pool_numbers (load, number);

CREATE TABLE sessions (
  id                   TEXT COLLATE "C" PRIMARY KEY,
  conversation_sid     TEXT UNIQUE,
  status               TEXT NOT NULL,
  mode                 TEXT NOT NULL DEFAULT 'voice-and-message',
  friendly_name        TEXT,
  attributes           TEXT NOT NULL DEFAULT '{}',
  ttl_seconds          BIGINT,
  date_expiry          BIGINT,
  expires_at           BIGINT,
  last_interaction_at  BIGINT,
  closed_reason        TEXT NOT NULL DEFAULT '',
  created_at           BIGINT NOT NULL,
  updated_at           BIGINT NOT NULL,
  closed_at            BIGINT,
  twilio_request       TEXT NOT NULL DEFAULT '{}',
  conversation         TEXT NOT NULL DEFAULT '',
  voice_options        TEXT NOT NULL DEFAULT '{}',
  reconciled_at        BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_status ON sessions (status, created_at, id);
CREATE INDEX sessions_by_created ON sessions (created_at, id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX sessions_to_reconcile ON sessions (reconciled_at, id)
  WHERE status IN ('open', 'in-progress') AND conversation_sid IS NOT NULL;

CREATE TABLE participants (
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id       TEXT COLLATE "C" NOT NULL REFERENCES sessions (id),
  address          TEXT COLLATE "C" NOT NULL,
  proxy_number     TEXT COLLATE "C" NOT NULL REFERENCES pool_numbers (number),
  friendly_name    TEXT NOT NULL DEFAULT '',
  participant_sid  TEXT NOT NULL DEFAULT '',
  active           INTEGER NOT NULL DEFAULT 1,
  created_at       BIGINT NOT NULL
);
-- The masking invariant: among active participants, an (address, proxy number) pair is
-- held once, whichever host writes.
CREATE UNIQUE INDEX participants_active_pair ON participants (address, proxy_number)
  WHERE active = 1;
CREATE INDEX participants_by_session ON participants (session_id, address);
CREATE INDEX participants_by_address ON participants (address, id);

CREATE TABLE outbox (
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind             TEXT NOT NULL,
  payload          TEXT NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  BIGINT NOT NULL,
  locked_until     BIGINT NOT NULL DEFAULT 0,
  last_error       TEXT NOT NULL DEFAULT '',
  created_at       BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at);

CREATE TABLE calls (
  id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  call_sid            TEXT NOT NULL UNIQUE,
  session_id          TEXT COLLATE "C" NOT NULL REFERENCES sessions (id),
  parent_call_sid     TEXT NOT NULL DEFAULT '',
  direction           TEXT NOT NULL,
  from_address        TEXT NOT NULL,
  to_address          TEXT NOT NULL,
  kind                TEXT NOT NULL DEFAULT '',
  conference          TEXT NOT NULL DEFAULT '',
  status              TEXT NOT NULL,
  duration_seconds    BIGINT,
  recording_sid       TEXT NOT NULL DEFAULT '',
  recording_url       TEXT NOT NULL DEFAULT '',
  recording_duration  BIGINT,
  created_at          BIGINT NOT NULL,
  updated_at          BIGINT NOT NULL,
  ended_at            BIGINT,
  first_status        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX calls_by_session ON calls (session_id, created_at);
CREATE INDEX calls_by_parent ON calls (parent_call_sid) WHERE parent_call_sid <> '';

CREATE TABLE call_events (
  id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  call_sid  TEXT NOT NULL,
  status    TEXT NOT NULL,
  at        BIGINT NOT NULL
);
CREATE INDEX call_events_by_call ON call_events (call_sid, id);

CREATE TABLE early_call_statuses (
  id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  call_sid          TEXT NOT NULL,
  status            TEXT NOT NULL,
  duration_seconds  BIGINT,
  at                BIGINT NOT NULL
);
CREATE INDEX early_call_statuses_by_call ON early_call_statuses (call_sid);
CREATE INDEX early_call_statuses_by_time ON early_call_statuses (at);

-- Every change to a session's bindings, numbered in commit order, for the in-memory index
-- of live sessions on every host (store/live_session_index.h). A sequence would not do:
-- its numbers are taken in the order transactions ask, not the order they commit, so a
-- reader could pass number 9 before the transaction holding it commits. Instead the
-- triggers below are deferred to commit time and take the next number from a one-row
-- counter, whose row lock is held until that commit completes: the next committing
-- transaction waits for it, so numbers are given out, and become visible, in order, and a
-- rolled-back transaction gives its numbers back. Only the moment of commit is serialized.
CREATE TABLE binding_change_counter (
  only_row  BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
  seq       BIGINT NOT NULL
);
INSERT INTO binding_change_counter (seq) VALUES (0);
CREATE TABLE binding_changes (
  seq         BIGINT PRIMARY KEY,
  session_id  TEXT NOT NULL,
  at          BIGINT NOT NULL DEFAULT (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT
);
CREATE INDEX binding_changes_by_time ON binding_changes (at);

CREATE FUNCTION append_binding_change(TEXT) RETURNS void LANGUAGE sql AS $fn$
  WITH next AS (UPDATE binding_change_counter SET seq = seq + 1 RETURNING seq)
  INSERT INTO binding_changes (seq, session_id) SELECT seq, $1 FROM next;
$fn$;

CREATE FUNCTION log_binding_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  old_session TEXT;
  new_session TEXT;
BEGIN
  IF TG_TABLE_NAME = 'sessions' THEN
    IF TG_OP <> 'INSERT' THEN old_session := OLD.id; END IF;
    IF TG_OP <> 'DELETE' THEN new_session := NEW.id; END IF;
  ELSE
    IF TG_OP <> 'INSERT' THEN old_session := OLD.session_id; END IF;
    IF TG_OP <> 'DELETE' THEN new_session := NEW.session_id; END IF;
  END IF;
  IF old_session IS NOT NULL THEN PERFORM append_binding_change(old_session); END IF;
  IF new_session IS NOT NULL AND new_session IS DISTINCT FROM old_session THEN
    PERFORM append_binding_change(new_session);
  END IF;
  RETURN NULL;
END
$fn$;

CREATE CONSTRAINT TRIGGER binding_change_participant_added AFTER INSERT ON participants
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION log_binding_change();
CREATE CONSTRAINT TRIGGER binding_change_participant_changed
  AFTER UPDATE OF active, address, proxy_number, session_id ON participants
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD.active IS DISTINCT FROM NEW.active OR OLD.address IS DISTINCT FROM NEW.address
        OR OLD.proxy_number IS DISTINCT FROM NEW.proxy_number
        OR OLD.session_id IS DISTINCT FROM NEW.session_id)
  EXECUTE FUNCTION log_binding_change();
CREATE CONSTRAINT TRIGGER binding_change_participant_removed AFTER DELETE ON participants
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION log_binding_change();
CREATE CONSTRAINT TRIGGER binding_change_session_changed
  AFTER UPDATE OF status, mode, voice_options ON sessions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((OLD.status IN ('open', 'in-progress')) IS DISTINCT FROM
        (NEW.status IN ('open', 'in-progress'))
        OR OLD.mode IS DISTINCT FROM NEW.mode
        OR OLD.voice_options IS DISTINCT FROM NEW.voice_options)
  EXECUTE FUNCTION log_binding_change();
CREATE CONSTRAINT TRIGGER binding_change_session_removed AFTER DELETE ON sessions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION log_binding_change();
)SQL"},
      {2, "the message log and opt-outs", R"SQL(
-- Every message of a session, kept after it closes; a blocked one has no MessageSid.
CREATE TABLE messages (
  id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id    TEXT COLLATE "C" NOT NULL REFERENCES sessions (id),
  message_sid   TEXT UNIQUE,
  author        TEXT NOT NULL,
  author_proxy  TEXT NOT NULL DEFAULT '',
  recipients    TEXT NOT NULL DEFAULT '[]',
  body          TEXT NOT NULL DEFAULT '',
  media_count   INTEGER NOT NULL DEFAULT 0,
  media_types   TEXT NOT NULL DEFAULT '[]',
  status        TEXT NOT NULL,
  note          TEXT NOT NULL DEFAULT '',
  body_erased   INTEGER NOT NULL DEFAULT 0,
  created_at    BIGINT NOT NULL
);
CREATE INDEX messages_by_session ON messages (session_id, created_at, id);
CREATE INDEX messages_to_erase ON messages (created_at) WHERE body_erased = 0;
-- Pairs whose participant sent STOP: Twilio refuses to text that address from that number,
-- so selection never gives it to them again while the opt-out stands.
CREATE TABLE opt_outs (
  address       TEXT COLLATE "C" NOT NULL,
  proxy_number  TEXT COLLATE "C" NOT NULL,
  opted_out_at  BIGINT NOT NULL,
  PRIMARY KEY (address, proxy_number)
);
)SQL"},
      {3, "hotlines: their numbers set aside, members, calls, legs and text threads", R"SQL(
-- A hotline's number is set aside: selection never gives it to a session.
ALTER TABLE pool_numbers ADD COLUMN set_aside INTEGER NOT NULL DEFAULT 0;
-- A hotline: one pool number ringing a team. `settings` is the module's JSON (greeting,
-- ring timeout, answer check, no-answer path, texts). Deleted ones stay for their logs.
CREATE TABLE hotlines (
  id          TEXT COLLATE "C" PRIMARY KEY,
  number      TEXT COLLATE "C" NOT NULL REFERENCES pool_numbers (number),
  name        TEXT NOT NULL DEFAULT '',
  settings    TEXT NOT NULL DEFAULT '{}',
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  deleted_at  BIGINT
);
CREATE UNIQUE INDEX hotlines_by_number ON hotlines (number) WHERE deleted_at IS NULL;
CREATE TABLE hotline_members (
  hotline_id  TEXT COLLATE "C" NOT NULL REFERENCES hotlines (id),
  address     TEXT COLLATE "C" NOT NULL,
  name        TEXT NOT NULL DEFAULT '',
  paused      INTEGER NOT NULL DEFAULT 0,
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (hotline_id, address)
);
-- One row per call to a hotline. `status` moves once out of 'ringing' (to connected,
-- no-answer, abandoned) by a conditional UPDATE: the claim. `winner_leg` is the member's
-- leg that took it.
CREATE TABLE hotline_calls (
  call_sid            TEXT COLLATE "C" PRIMARY KEY,
  hotline_id          TEXT COLLATE "C" NOT NULL REFERENCES hotlines (id),
  caller              TEXT NOT NULL,
  status              TEXT NOT NULL,
  winner_leg          TEXT NOT NULL DEFAULT '',
  winner              TEXT NOT NULL DEFAULT '',
  legs_created        INTEGER,
  ring_deadline       BIGINT NOT NULL,
  created_at          BIGINT NOT NULL,
  answered_at         BIGINT,
  ended_at            BIGINT,
  duration            INTEGER,
  recording_sid       TEXT,
  recording_url       TEXT,
  recording_duration  INTEGER
);
CREATE INDEX hotline_calls_by_hotline ON hotline_calls (hotline_id, created_at);
CREATE INDEX hotline_calls_ringing ON hotline_calls (ring_deadline) WHERE status = 'ringing';
-- The members' legs of a call, as Twilio created them.
CREATE TABLE hotline_legs (
  leg_sid     TEXT COLLATE "C" PRIMARY KEY,
  call_sid    TEXT COLLATE "C" NOT NULL,
  address     TEXT NOT NULL,
  status      TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL
);
CREATE INDEX hotline_legs_by_call ON hotline_legs (call_sid);
-- A texter's conversation with a hotline; its label is derived from `id`. One open thread
-- per (hotline, texter); claimed_by is set once, by a conditional UPDATE.
CREATE TABLE hotline_threads (
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  hotline_id       TEXT COLLATE "C" NOT NULL REFERENCES hotlines (id),
  texter           TEXT COLLATE "C" NOT NULL,
  status           TEXT NOT NULL,
  claimed_by       TEXT NOT NULL DEFAULT '',
  created_at       BIGINT NOT NULL,
  claimed_at       BIGINT,
  last_message_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX hotline_threads_open ON hotline_threads (hotline_id, texter)
  WHERE status <> 'closed';
CREATE INDEX hotline_threads_by_hotline ON hotline_threads (hotline_id, last_message_at);
CREATE TABLE hotline_thread_messages (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  thread_id   BIGINT NOT NULL REFERENCES hotline_threads (id),
  direction   TEXT NOT NULL,
  author      TEXT NOT NULL,
  body        TEXT NOT NULL,
  -- A reply sent on to the texter: Twilio's last status for it (sent, delivered, ...).
  delivery    TEXT NOT NULL DEFAULT '',
  created_at  BIGINT NOT NULL
);
CREATE INDEX hotline_thread_messages_by_thread ON hotline_thread_messages (thread_id, id);
)SQL"},
      {4, "Proxy API services, and the service each pool number belongs to", R"SQL(
-- Twilio Proxy's Services (the Proxy API, src/proxy/). The default one holds every pool
-- number no other service has (pool_numbers.service_sid NULL): NUMBER_POOL's numbers, which
-- POST /sessions draws from.
CREATE TABLE proxy_services (
  sid                          TEXT COLLATE "C" PRIMARY KEY,
  unique_name                  TEXT COLLATE "C" NOT NULL UNIQUE,
  is_default                   INTEGER NOT NULL DEFAULT 0,
  default_ttl                  INTEGER NOT NULL DEFAULT 0,
  geo_match_level              TEXT NOT NULL DEFAULT 'country',
  number_selection_behavior    TEXT NOT NULL DEFAULT 'prefer-sticky',
  callback_url                 TEXT,
  intercept_callback_url       TEXT,
  out_of_session_callback_url  TEXT,
  chat_instance_sid            TEXT,
  created_at                   BIGINT NOT NULL,
  updated_at                   BIGINT NOT NULL
);
CREATE UNIQUE INDEX proxy_services_one_default ON proxy_services (is_default)
  WHERE is_default = 1;
-- The service a number belongs to (NULL: the default service), its SID at Twilio when
-- known (PN...), and when it joined the service.
ALTER TABLE pool_numbers ADD COLUMN service_sid TEXT COLLATE "C";
ALTER TABLE pool_numbers ADD COLUMN number_sid TEXT NOT NULL DEFAULT '';
ALTER TABLE pool_numbers ADD COLUMN friendly_name TEXT NOT NULL DEFAULT '';
ALTER TABLE pool_numbers ADD COLUMN service_added_at BIGINT;
CREATE INDEX pool_numbers_by_service ON pool_numbers (service_sid, number);
)SQL"},
      {5, "Proxy API sessions and participants", R"SQL(
-- The Proxy API's view of a ledger session (src/proxy/session_directory.h): the service it
-- belongs to and its UniqueName, unique within the service. A session the Proxy API made
-- has a row; deleting it through that API removes the row (the ledger keeps the closed
-- session until its pairs are released).
CREATE TABLE proxy_sessions (
  session_id   TEXT COLLATE "C" PRIMARY KEY,
  service_sid  TEXT COLLATE "C" NOT NULL,
  unique_name  TEXT COLLATE "C",
  created_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX proxy_sessions_unique_name ON proxy_sessions (service_sid, unique_name)
  WHERE unique_name IS NOT NULL;
CREATE INDEX proxy_sessions_by_service ON proxy_sessions (service_sid, created_at, session_id);
-- A Proxy Participant (KP...): one participation of the ledger, kept after a soft delete
-- (deleted_at) as Proxy does, until its session is deleted.
CREATE TABLE proxy_participants (
  sid               TEXT COLLATE "C" PRIMARY KEY,
  session_id        TEXT COLLATE "C" NOT NULL,
  identifier        TEXT NOT NULL,
  friendly_name     TEXT,
  proxy_identifier  TEXT NOT NULL,
  position          INTEGER NOT NULL,  -- the order it joined its session in
  created_at        BIGINT NOT NULL,
  deleted_at        BIGINT
);
CREATE INDEX proxy_participants_by_session ON proxy_participants (session_id, position, sid);
)SQL"},
      {6, "Proxy API interactions deleted", R"SQL(
-- Interactions deleted through the Proxy API (DELETE .../Interactions/{Sid}): the message
-- and call logs keep the session's history for the masked-communications API; the Proxy
-- API no longer shows these. Purged with the session's other Proxy rows.
CREATE TABLE proxy_deleted_interactions (
  session_id       TEXT NOT NULL,
  interaction_sid  TEXT NOT NULL,
  deleted_at       BIGINT NOT NULL,
  PRIMARY KEY (session_id, interaction_sid)
);
)SQL"},
  };
  return migrations;
}

Result<int> schema_version(Connection& connection) {
  // Two queries: a statement naming a table that does not exist fails as a whole, even
  // in a branch that would not run.
  auto exists = connection.prepare("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists) return exists.status();
  bool migrated = false;
  auto checked =
      (*exists)->first([&](const sql::Statement& row) { migrated = row.column_int(0) != 0; });
  if (!checked) return checked.status();
  if (!migrated) return 0;
  auto statement = connection.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!statement) return statement.status();
  int version = 0;
  auto read = (*statement)->first([&](const sql::Statement& row) {
    version = static_cast<int>(row.column_int(0));
  });
  if (!read) return read.status();
  return version;
}

Status migrate(Connection& connection) {
  // Migrations may take longer than a request's statement timeout, and another host may
  // hold the lock while it applies them.
  if (Status s = connection.exec("SET statement_timeout = '10min'; SET lock_timeout = '10min'");
      !s) {
    return s;
  }
  if (Status s = connection.exec(std::string("SELECT pg_advisory_lock(") + kMigrationLock + ")");
      !s) {
    return s.annotate("taking the migration lock");
  }
  Status result = connection.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
  for (const Migration& migration : schema_migrations()) {
    if (!result) break;
    auto applied = schema_version(connection);
    if (!applied) {
      result = applied.status();
      break;
    }
    if (*applied >= migration.version) continue;
    result = connection.exec("BEGIN");
    if (result) result = connection.exec(migration.sql);
    if (result) {
      auto record =
          connection.prepare("INSERT INTO schema_migrations (version, description) VALUES (?, ?)");
      result = record ? (*record)->bind(1, migration.version).bind(2, migration.description).run()
                      : record.status();
    }
    if (result) result = connection.exec("COMMIT");
    if (!result) {
      connection.exec("ROLLBACK");
      result = result.annotate("migration " + std::to_string(migration.version));
      break;
    }
    log::info("schema migration applied",
              {{"version", migration.version}, {"description", migration.description}});
  }
  connection.exec(std::string("SELECT pg_advisory_unlock(") + kMigrationLock + ")");
  return result;
}

}  // namespace mc::store::postgres
