#include "store/sqlite/migrations.h"

#include "core/log.h"

namespace mc::store::sqlite {

// Times are INTEGER milliseconds since the Unix epoch; booleans are INTEGER 0/1. The SQL
// stays portable to PostgreSQL apart from the types named here.
const std::vector<Migration>& schema_migrations() {
  static const std::vector<Migration> migrations = {
      {1, "pool numbers, sessions, participants, outbox", R"SQL(
CREATE TABLE pool_numbers (
  number        TEXT PRIMARY KEY,
  country       TEXT NOT NULL,
  area_code     TEXT NOT NULL DEFAULT '',
  region        TEXT NOT NULL DEFAULT '',
  capabilities  TEXT NOT NULL DEFAULT 'sms,voice',
  reserved      INTEGER NOT NULL DEFAULT 0,
  retired       INTEGER NOT NULL DEFAULT 0,
  capacity      INTEGER NOT NULL DEFAULT 100,
  load          INTEGER NOT NULL DEFAULT 0 CHECK (load >= 0),
  created_at    INTEGER NOT NULL
);
-- Selection walks one of these, least loaded first, and stops after a few rows.
CREATE INDEX pool_numbers_by_area_code ON pool_numbers (country, area_code, load, number);
CREATE INDEX pool_numbers_by_region ON pool_numbers (country, region, load, number);
CREATE INDEX pool_numbers_by_load ON pool_numbers (load, number);

CREATE TABLE sessions (
  id                   TEXT PRIMARY KEY,
  conversation_sid     TEXT UNIQUE,
  status               TEXT NOT NULL,
  mode                 TEXT NOT NULL DEFAULT 'voice-and-message',
  friendly_name        TEXT,
  attributes           TEXT NOT NULL DEFAULT '{}',
  ttl_seconds          INTEGER,
  date_expiry          INTEGER,
  expires_at           INTEGER,
  last_interaction_at  INTEGER,
  closed_reason        TEXT NOT NULL DEFAULT '',
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL,
  closed_at            INTEGER,
  twilio_request       TEXT NOT NULL DEFAULT '{}',
  conversation         TEXT NOT NULL DEFAULT '',
  voice_options        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX sessions_by_status ON sessions (status, created_at, id);
CREATE INDEX sessions_by_created ON sessions (created_at, id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE participants (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id       TEXT NOT NULL REFERENCES sessions (id),
  address          TEXT NOT NULL,
  proxy_number     TEXT NOT NULL REFERENCES pool_numbers (number),
  friendly_name    TEXT NOT NULL DEFAULT '',
  participant_sid  TEXT NOT NULL DEFAULT '',
  active           INTEGER NOT NULL DEFAULT 1,
  created_at       INTEGER NOT NULL
);
-- The masking invariant: among active participants, an (address, proxy number) pair is
-- held once. Also the index behind "numbers an address holds" and inbound routing.
CREATE UNIQUE INDEX participants_active_pair ON participants (address, proxy_number)
  WHERE active = 1;
CREATE INDEX participants_by_session ON participants (session_id, address);
CREATE INDEX participants_by_address ON participants (address, id);

CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  kind             TEXT NOT NULL,
  payload          TEXT NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  locked_until     INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at);
)SQL"},
      {2, "calls and their status history", R"SQL(
-- Rows are appended in time order (rowid); the SID is found through its own index.
CREATE TABLE calls (
  id                  INTEGER PRIMARY KEY,
  call_sid            TEXT NOT NULL UNIQUE,
  session_id          TEXT NOT NULL REFERENCES sessions (id),
  parent_call_sid     TEXT NOT NULL DEFAULT '',
  direction           TEXT NOT NULL,
  from_address        TEXT NOT NULL,
  to_address          TEXT NOT NULL,
  kind                TEXT NOT NULL DEFAULT '',
  conference          TEXT NOT NULL DEFAULT '',
  status              TEXT NOT NULL,
  duration_seconds    INTEGER,
  recording_sid       TEXT NOT NULL DEFAULT '',
  recording_url       TEXT NOT NULL DEFAULT '',
  recording_duration  INTEGER,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  ended_at            INTEGER
);
CREATE INDEX calls_by_session ON calls (session_id, created_at);
CREATE INDEX calls_by_parent ON calls (parent_call_sid);

CREATE TABLE call_events (
  id        INTEGER PRIMARY KEY,
  call_sid  TEXT NOT NULL,
  status    TEXT NOT NULL,
  at        INTEGER NOT NULL
);
CREATE INDEX call_events_by_call ON call_events (call_sid, id);
)SQL"},
      {3, "when each live session was last checked against Twilio", R"SQL(
ALTER TABLE sessions ADD COLUMN reconciled_at INTEGER NOT NULL DEFAULT 0;
-- The reconciliation sweep walks live sessions least recently checked first.
CREATE INDEX sessions_by_reconciled ON sessions (reconciled_at, id)
  WHERE status IN ('open', 'in-progress');
)SQL"},
      {4, "statuses that arrive before their call, and the log of binding changes", R"SQL(
-- A status callback whose call is not recorded yet (records are written in batches, maybe
-- by another process) or was lost in a crash: adopted by the record when it is inserted.
CREATE TABLE early_call_statuses (
  id                INTEGER PRIMARY KEY,
  call_sid          TEXT NOT NULL,
  status            TEXT NOT NULL,
  duration_seconds  INTEGER,
  at                INTEGER NOT NULL
);
CREATE INDEX early_call_statuses_by_call ON early_call_statuses (call_sid);
CREATE INDEX early_call_statuses_by_time ON early_call_statuses (at);

-- Every change to a session's bindings (live or not, mode, voice options, active
-- participants), in commit order: the in-memory index of live sessions in each process
-- reads what is newer than what it has applied. AUTOINCREMENT: a seq is never reused, and
-- a rolled-back transaction leaves no gap. Pruned after a while, never the newest row.
CREATE TABLE binding_changes (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id  TEXT NOT NULL,
  at          INTEGER NOT NULL DEFAULT (strftime('%s', 'now') * 1000)
);
CREATE INDEX binding_changes_by_time ON binding_changes (at);
CREATE TRIGGER binding_change_participant_added AFTER INSERT ON participants
BEGIN
  INSERT INTO binding_changes (session_id) VALUES (NEW.session_id);
END;
CREATE TRIGGER binding_change_participant_changed
AFTER UPDATE OF active, address, proxy_number, session_id ON participants
WHEN OLD.active IS NOT NEW.active OR OLD.address IS NOT NEW.address
  OR OLD.proxy_number IS NOT NEW.proxy_number OR OLD.session_id IS NOT NEW.session_id
BEGIN
  INSERT INTO binding_changes (session_id) VALUES (OLD.session_id);
  INSERT INTO binding_changes (session_id) SELECT NEW.session_id
    WHERE NEW.session_id IS NOT OLD.session_id;
END;
CREATE TRIGGER binding_change_participant_removed AFTER DELETE ON participants
BEGIN
  INSERT INTO binding_changes (session_id) VALUES (OLD.session_id);
END;
CREATE TRIGGER binding_change_session_changed
AFTER UPDATE OF status, mode, voice_options ON sessions
WHEN (OLD.status IN ('open', 'in-progress')) IS NOT (NEW.status IN ('open', 'in-progress'))
  OR OLD.mode IS NOT NEW.mode OR OLD.voice_options IS NOT NEW.voice_options
BEGIN
  INSERT INTO binding_changes (session_id) VALUES (NEW.id);
END;
CREATE TRIGGER binding_change_session_removed AFTER DELETE ON sessions
BEGIN
  INSERT INTO binding_changes (session_id) VALUES (OLD.id);
END;
)SQL"},
      {5, "fewer index writes per recorded call; the reconciliation sweep's own index", R"SQL(
-- A call's first status is kept in its row rather than as a first call_events row (one
-- index insert less per call); rows from before keep theirs in call_events ('' here).
ALTER TABLE calls ADD COLUMN first_status TEXT NOT NULL DEFAULT '';
-- Only legs have a parent: inbound calls stay out of the index.
DROP INDEX calls_by_parent;
CREATE INDEX calls_by_parent ON calls (parent_call_sid) WHERE parent_call_sid <> '';
-- The reconciliation sweep walks only sessions it can check (live, with a conversation):
-- voice-only sessions, never marked, kept it walking the same first rows.
DROP INDEX sessions_by_reconciled;
CREATE INDEX sessions_to_reconcile ON sessions (reconciled_at, id)
  WHERE status IN ('open', 'in-progress') AND conversation_sid IS NOT NULL;
)SQL"},
      {6, "the message log and opt-outs", R"SQL(
-- Every message of a session, kept after it closes; a blocked one has no MessageSid.
CREATE TABLE messages (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id    TEXT NOT NULL REFERENCES sessions (id),
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
  created_at    INTEGER NOT NULL
);
CREATE INDEX messages_by_session ON messages (session_id, created_at, id);
-- The retention sweep walks only bodies not yet erased, oldest first.
CREATE INDEX messages_to_erase ON messages (created_at) WHERE body_erased = 0;
-- Pairs whose participant sent STOP: Twilio refuses to text that address from that number,
-- so selection never gives it to them again while the opt-out stands.
CREATE TABLE opt_outs (
  address       TEXT NOT NULL,
  proxy_number  TEXT NOT NULL,
  opted_out_at  INTEGER NOT NULL,
  PRIMARY KEY (address, proxy_number)
);
)SQL"},
      {7, "hotlines: their numbers set aside, members, calls, legs and text threads", R"SQL(
-- A hotline's number is set aside: selection never gives it to a session.
ALTER TABLE pool_numbers ADD COLUMN set_aside INTEGER NOT NULL DEFAULT 0;
-- A hotline: one pool number ringing a team. `settings` is the module's JSON (greeting,
-- ring timeout, answer check, no-answer path, texts). Deleted ones stay for their logs.
CREATE TABLE hotlines (
  id          TEXT PRIMARY KEY,
  number      TEXT NOT NULL REFERENCES pool_numbers (number),
  name        TEXT NOT NULL DEFAULT '',
  settings    TEXT NOT NULL DEFAULT '{}',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  deleted_at  INTEGER
);
CREATE UNIQUE INDEX hotlines_by_number ON hotlines (number) WHERE deleted_at IS NULL;
CREATE TABLE hotline_members (
  hotline_id  TEXT NOT NULL REFERENCES hotlines (id),
  address     TEXT NOT NULL,
  name        TEXT NOT NULL DEFAULT '',
  paused      INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (hotline_id, address)
);
-- One row per call to a hotline. `status` moves once out of 'ringing' (to connected,
-- no-answer, abandoned) by a conditional UPDATE: the claim. `winner_leg` is the member's
-- leg that took it.
CREATE TABLE hotline_calls (
  call_sid            TEXT PRIMARY KEY,
  hotline_id          TEXT NOT NULL REFERENCES hotlines (id),
  caller              TEXT NOT NULL,
  status              TEXT NOT NULL,
  winner_leg          TEXT NOT NULL DEFAULT '',
  winner              TEXT NOT NULL DEFAULT '',
  legs_created        INTEGER,
  ring_deadline       INTEGER NOT NULL,
  created_at          INTEGER NOT NULL,
  answered_at         INTEGER,
  ended_at            INTEGER,
  duration            INTEGER,
  recording_sid       TEXT,
  recording_url       TEXT,
  recording_duration  INTEGER
);
CREATE INDEX hotline_calls_by_hotline ON hotline_calls (hotline_id, created_at);
CREATE INDEX hotline_calls_ringing ON hotline_calls (ring_deadline) WHERE status = 'ringing';
-- The members' legs of a call, as Twilio created them.
CREATE TABLE hotline_legs (
  leg_sid     TEXT PRIMARY KEY,
  call_sid    TEXT NOT NULL,
  address     TEXT NOT NULL,
  status      TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX hotline_legs_by_call ON hotline_legs (call_sid);
-- A texter's conversation with a hotline; its label is derived from `id`. One open thread
-- per (hotline, texter); claimed_by is set once, by a conditional UPDATE.
CREATE TABLE hotline_threads (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  hotline_id       TEXT NOT NULL REFERENCES hotlines (id),
  texter           TEXT NOT NULL,
  status           TEXT NOT NULL,
  claimed_by       TEXT NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL,
  claimed_at       INTEGER,
  last_message_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX hotline_threads_open ON hotline_threads (hotline_id, texter)
  WHERE status <> 'closed';
CREATE INDEX hotline_threads_by_hotline ON hotline_threads (hotline_id, last_message_at);
CREATE TABLE hotline_thread_messages (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  thread_id   BIGINT NOT NULL REFERENCES hotline_threads (id),
  direction   TEXT NOT NULL,
  author      TEXT NOT NULL,
  body        TEXT NOT NULL,
  -- A reply sent on to the texter: Twilio's last status for it (sent, delivered, ...).
  delivery    TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);
CREATE INDEX hotline_thread_messages_by_thread ON hotline_thread_messages (thread_id, id);
)SQL"},
      {8, "Proxy API services, and the service each pool number belongs to", R"SQL(
-- Twilio Proxy's Services (the Proxy API, src/proxy/). The default one holds every pool
-- number no other service has (pool_numbers.service_sid NULL): NUMBER_POOL's numbers, which
-- POST /sessions draws from.
CREATE TABLE proxy_services (
  sid                          TEXT PRIMARY KEY,
  unique_name                  TEXT NOT NULL UNIQUE,
  is_default                   INTEGER NOT NULL DEFAULT 0,
  default_ttl                  INTEGER NOT NULL DEFAULT 0,
  geo_match_level              TEXT NOT NULL DEFAULT 'country',
  number_selection_behavior    TEXT NOT NULL DEFAULT 'prefer-sticky',
  callback_url                 TEXT,
  intercept_callback_url       TEXT,
  out_of_session_callback_url  TEXT,
  chat_instance_sid            TEXT,
  created_at                   INTEGER NOT NULL,
  updated_at                   INTEGER NOT NULL
);
CREATE UNIQUE INDEX proxy_services_one_default ON proxy_services (is_default)
  WHERE is_default = 1;
-- The service a number belongs to (NULL: the default service), its SID at Twilio when
-- known (PN...), and when it joined the service.
ALTER TABLE pool_numbers ADD COLUMN service_sid TEXT;
ALTER TABLE pool_numbers ADD COLUMN number_sid TEXT NOT NULL DEFAULT '';
ALTER TABLE pool_numbers ADD COLUMN friendly_name TEXT NOT NULL DEFAULT '';
ALTER TABLE pool_numbers ADD COLUMN service_added_at INTEGER;
CREATE INDEX pool_numbers_by_service ON pool_numbers (service_sid, number);
)SQL"},
      {9, "Proxy API sessions and participants", R"SQL(
-- The Proxy API's view of a ledger session (src/proxy/session_directory.h): the service it
-- belongs to and its UniqueName, unique within the service. A session the Proxy API made
-- has a row; deleting it through that API removes the row (the ledger keeps the closed
-- session until its pairs are released).
CREATE TABLE proxy_sessions (
  session_id   TEXT PRIMARY KEY,
  service_sid  TEXT NOT NULL,
  unique_name  TEXT,
  created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX proxy_sessions_unique_name ON proxy_sessions (service_sid, unique_name)
  WHERE unique_name IS NOT NULL;
CREATE INDEX proxy_sessions_by_service ON proxy_sessions (service_sid, created_at, session_id);
-- A Proxy Participant (KP...): one participation of the ledger, kept after a soft delete
-- (deleted_at) as Proxy does, until its session is deleted.
CREATE TABLE proxy_participants (
  sid               TEXT PRIMARY KEY,
  session_id        TEXT NOT NULL,
  identifier        TEXT NOT NULL,
  friendly_name     TEXT,
  proxy_identifier  TEXT NOT NULL,
  position          INTEGER NOT NULL,  -- the order it joined its session in
  created_at        INTEGER NOT NULL,
  deleted_at        INTEGER
);
CREATE INDEX proxy_participants_by_session ON proxy_participants (session_id, position, sid);
)SQL"},
      {10, "Proxy API interactions deleted", R"SQL(
-- Interactions deleted through the Proxy API (DELETE .../Interactions/{Sid}): the message
-- and call logs keep the session's history for the masked-communications API; the Proxy
-- API no longer shows these. Purged with the session's other Proxy rows.
CREATE TABLE proxy_deleted_interactions (
  session_id       TEXT NOT NULL,
  interaction_sid  TEXT NOT NULL,
  deleted_at       INTEGER NOT NULL,
  PRIMARY KEY (session_id, interaction_sid)
);
)SQL"},
      {11, "the call journal", R"SQL(
-- What the call log was asked to record (calls/call_journal.h), appended in commit order
-- and applied to calls and call_events later, oldest first. Only a rowid: appending a batch
-- writes the last page or two, whatever the number of calls and sessions. AUTOINCREMENT: an
-- id is never reused once the journal has been emptied, so "applied through id N" stays
-- true. The columns are those of calls; `entry` says which of them an entry uses.
CREATE TABLE call_journal (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  entry               TEXT NOT NULL,
  call_sid            TEXT NOT NULL,
  session_id          TEXT NOT NULL,
  parent_call_sid     TEXT NOT NULL,
  direction           TEXT NOT NULL,
  from_address        TEXT NOT NULL,
  to_address          TEXT NOT NULL,
  kind                TEXT NOT NULL,
  conference          TEXT NOT NULL,
  status              TEXT NOT NULL,
  duration_seconds    INTEGER,
  recording_sid       TEXT NOT NULL,
  recording_url       TEXT NOT NULL,
  recording_duration  INTEGER,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  ended_at            INTEGER
);
)SQL"},
  };
  return migrations;
}

Status migrate(Connection& connection) {
  if (Status s = connection.exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " version INTEGER PRIMARY KEY,"
          " description TEXT NOT NULL,"
          " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))");
      !s) {
    return s.annotate("creating schema_migrations");
  }
  for (const Migration& migration : schema_migrations()) {
    if (Status s = connection.exec("BEGIN IMMEDIATE"); !s) return s.annotate("migration");
    auto applied = connection.prepare("SELECT 1 FROM schema_migrations WHERE version = ?");
    if (!applied) {
      connection.exec("ROLLBACK");
      return applied.status();
    }
    (*applied)->bind(1, migration.version);
    Result<bool> exists = (*applied)->step();
    (*applied)->reset();
    if (!exists) {
      connection.exec("ROLLBACK");
      return exists.status();
    }
    if (*exists) {
      connection.exec("COMMIT");
      continue;
    }
    Status status = connection.exec(migration.sql);
    if (status) {
      auto record =
          connection.prepare("INSERT INTO schema_migrations (version, description) VALUES (?, ?)");
      status = record ? (*record)->bind(1, migration.version).bind(2, migration.description).run()
                      : record.status();
    }
    if (!status) {
      connection.exec("ROLLBACK");
      return status.annotate("migration " + std::to_string(migration.version));
    }
    if (Status s = connection.exec("COMMIT"); !s) return s.annotate("migration commit");
    log::info("schema migration applied",
              {{"version", migration.version}, {"description", migration.description}});
  }
  return Status::ok();
}

}  // namespace mc::store::sqlite
