/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-store.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <glib/gi18n-lib.h>

#include "sc-code.h"
#include "sc-platform-seed.h"
#include "sc-secret.h"
#include "sc-verdict-words.h"
#include "sc-store-key.h"
#include "sc-verdict.h"

#define MANIFEST_KEEP_S   (7 * 24 * 3600)  /* expired orders stay this long */
#define OFFLINE_TRUST_S   (7 * 24 * 3600)  /* at most this old, an offline scan may count */
#define DEMO_STORE_ID     "1001"

static const char * const migrations[] = {
  /* 0 -> 1 */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
  "INSERT INTO counters (name, value) VALUES ('code_version', 0);"
  "CREATE TABLE stores ("
  "  id TEXT PRIMARY KEY, name TEXT NOT NULL, timezone TEXT NOT NULL, salt TEXT NOT NULL);"
  "CREATE TABLE clerks ("
  "  store_id TEXT NOT NULL REFERENCES stores (id) ON DELETE CASCADE,"
  "  id TEXT NOT NULL, name TEXT NOT NULL, pin TEXT NOT NULL,"
  "  PRIMARY KEY (store_id, id));"
  "CREATE TABLE sessions ("
  "  token TEXT PRIMARY KEY, store_id TEXT NOT NULL, clerk_id TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"
  "CREATE TABLE activities ("
  "  id TEXT PRIMARY KEY, name TEXT NOT NULL, end_at INTEGER NOT NULL,"
  "  claim_days INTEGER NOT NULL DEFAULT 7);"
  "CREATE TABLE codes ("
  "  code TEXT PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('pickup', 'coupon', 'prize')),"
  "  store_id TEXT NOT NULL REFERENCES stores (id),"
  "  state TEXT NOT NULL DEFAULT 'active'"
  "    CHECK (state IN ('active', 'invalidated', 'gifting', 'deleted')),"
  "  valid_from INTEGER, valid_until INTEGER,"
  "  realtime_only INTEGER NOT NULL DEFAULT 0,"
  "  redemption_id TEXT,"
  "  version INTEGER NOT NULL DEFAULT 0,"
  "  note TEXT NOT NULL DEFAULT '',"
  "  order_id TEXT, customer_name TEXT, customer_masked TEXT, phone_tail TEXT,"
  "  total_fen INTEGER, items TEXT,"
  "  coupon_type TEXT CHECK (coupon_type IN ('cash', 'threshold', 'discount')),"
  "  title TEXT, value_fen INTEGER, min_spend_fen INTEGER, percent_off INTEGER, cap_fen INTEGER,"
  "  activity_id TEXT REFERENCES activities (id), prize_name TEXT, person_id TEXT);"
  "CREATE INDEX codes_store_version ON codes (store_id, version);"
  "CREATE INDEX codes_store_tail ON codes (store_id, phone_tail);"
  "CREATE TABLE redemptions ("
  "  id TEXT PRIMARY KEY, code TEXT NOT NULL REFERENCES codes (code), kind TEXT NOT NULL,"
  "  store_id TEXT NOT NULL, clerk_id TEXT NOT NULL, source TEXT NOT NULL,"
  "  scanned_at INTEGER NOT NULL, redeemed_at INTEGER NOT NULL, offline INTEGER NOT NULL,"
  "  bill_fen INTEGER, discount_fen INTEGER, reversed_at INTEGER);"
  "CREATE INDEX redemptions_store_time ON redemptions (store_id, redeemed_at);"
  "CREATE TABLE idempotency ("
  "  scope TEXT NOT NULL, key TEXT NOT NULL, status INTEGER NOT NULL, body TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL, PRIMARY KEY (scope, key));"
  "CREATE TABLE prize_claims ("
  "  id TEXT PRIMARY KEY, activity_id TEXT NOT NULL REFERENCES activities (id),"
  "  person_id TEXT NOT NULL, code TEXT NOT NULL, status TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX prize_claims_person ON prize_claims (activity_id, person_id);",

  /* Sessions are kept when they end (offline scans are judged against the
   * sessions a clerk had); PINs become salted hashes (pin_hash, filled from
   * the clear pin column, which then goes: see secure_pins_job); a
   * redemption id is the store's own (another store may use the same one
   * without either learning of the other). */
  "ALTER TABLE sessions ADD COLUMN ended_at INTEGER;"
  "CREATE INDEX sessions_clerk ON sessions (store_id, clerk_id, created_at);"
  "ALTER TABLE clerks ADD COLUMN pin_hash TEXT;"
  "CREATE TABLE redemptions_by_store ("
  "  id TEXT NOT NULL, code TEXT NOT NULL REFERENCES codes (code), kind TEXT NOT NULL,"
  "  store_id TEXT NOT NULL, clerk_id TEXT NOT NULL, source TEXT NOT NULL,"
  "  scanned_at INTEGER NOT NULL, redeemed_at INTEGER NOT NULL, offline INTEGER NOT NULL,"
  "  bill_fen INTEGER, discount_fen INTEGER, reversed_at INTEGER,"
  "  PRIMARY KEY (store_id, id));"
  "INSERT INTO redemptions_by_store (id, code, kind, store_id, clerk_id, source, scanned_at,"
  "  redeemed_at, offline, bill_fen, discount_fen, reversed_at)"
  "  SELECT id, code, kind, store_id, clerk_id, source, scanned_at, redeemed_at, offline,"
  "  bill_fen, discount_fen, reversed_at FROM redemptions;"
  "DROP TABLE redemptions;"
  "ALTER TABLE redemptions_by_store RENAME TO redemptions;"
  "CREATE INDEX redemptions_store_time ON redemptions (store_id, redeemed_at);",
};

struct _ScPlatformStore
{
  GObject  parent_instance;

  ScDb    *db;             /* (owned) */
  char    *secret;         /* (owned) (nullable until open); immutable after open */
  char    *platform_id;    /* (owned) (nullable until open); immutable after open */
  int      undo_window_s;
  int      session_ttl_s;
};

G_DEFINE_FINAL_TYPE (ScPlatformStore, sc_platform_store, G_TYPE_OBJECT)

/* ---- replies ---- */

ScPlatformReply *
sc_platform_reply_new (guint     status,
                       JsonNode *body)
{
  ScPlatformReply *self = g_new0 (ScPlatformReply, 1);

  self->status = status;
  self->body = json_to_string (body, FALSE);
  json_node_unref (body);
  return self;
}

ScPlatformReply *
sc_platform_reply_new_error (guint       status,
                             const char *code,
                             const char *message,
                             JsonNode   *details)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message != NULL ? message : code);
  if (details != NULL)
    {
      json_builder_set_member_name (b, "details");
      json_builder_add_value (b, details);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);

  return sc_platform_reply_new (status, json_builder_get_root (b));
}

static ScPlatformReply *
reply_new_raw (guint       status,
               const char *body)
{
  ScPlatformReply *self = g_new0 (ScPlatformReply, 1);

  self->status = status;
  self->body = g_strdup (body);
  return self;
}

void
sc_platform_reply_free (ScPlatformReply *self)
{
  if (self == NULL)
    return;
  g_free (self->body);
  g_free (self);
}

/* ---- small helpers ---- */

GTimeZone *
sc_platform_store_timezone (void)
{
  GTimeZone *tz = g_time_zone_new_identifier ("Asia/Shanghai");

  /* Without tzdata: China has had no DST since 1991. */
  if (tz == NULL)
    tz = g_time_zone_new_offset (8 * 3600);
  return tz;
}

char *
sc_platform_store_token_signature (const char *secret,
                                   const char *code,
                                   gint64      ts)
{
  g_autofree char *message = g_strdup_printf ("%s:%" G_GINT64_FORMAT, code, ts);

  /* g_compute_hmac_for_string gives lower-case hex. */
  return g_compute_hmac_for_string (G_CHECKSUM_SHA256,
                                    (const guchar *) secret, strlen (secret),
                                    message, -1);
}

char *
sc_platform_random_hex (gsize n_bytes)
{
  g_autofree guchar *bytes = g_malloc (n_bytes);
  GString *hex = g_string_sized_new (n_bytes * 2);
  gsize got = 0;

  while (got < n_bytes)
    {
      ssize_t n = getrandom (bytes + got, n_bytes - got, 0);

      if (n <= 0)
        break;
      got += (gsize) n;
    }
  for (; got < n_bytes; got++)
    bytes[got] = (guchar) g_random_int_range (0, 256);

  for (gsize i = 0; i < n_bytes; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  return g_string_free (hex, FALSE);
}

static char *
format_time (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return g_date_time_format_iso8601 (dt);
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          gint64       t)
{
  g_autofree char *text = format_time (t);

  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, text);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_id_name (JsonBuilder *b,
             const char  *member,
             const char  *id,
             const char  *name)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  add_string (b, "id", id);
  add_string (b, "name", name);
  json_builder_end_object (b);
}

static const char *
status_name (ScVerdictStatus status)
{
  g_return_val_if_fail (status < SC_VERDICT_STATUS_LAST, "not_found");
  return sc_verdict_status_to_string (status);
}

static const char *
kind_for_code (const char *code)
{
  switch (code[0])
    {
    case '1': case '2': case '3':
      return "pickup";
    case '5': case '6':
      return "coupon";
    case '8':
      return "prize";
    default:
      return "unknown";
    }
}

/* ---- code rows ---- */

#define CODE_SELECT \
  "SELECT c.code, c.kind, c.store_id, s.name, s.timezone, c.state, c.valid_from," \
  " c.valid_until, c.realtime_only, c.order_id, c.customer_masked, c.phone_tail," \
  " c.total_fen, c.items, c.coupon_type, c.title, c.value_fen, c.min_spend_fen," \
  " c.percent_off, c.cap_fen, c.activity_id, a.name, a.end_at, a.claim_days, c.prize_name," \
  " EXISTS (SELECT 1 FROM prize_claims pc WHERE pc.activity_id = c.activity_id" \
  "         AND pc.person_id = c.person_id AND pc.code != c.code)," \
  " r.id, r.redeemed_at, r.store_id, rs.name, r.clerk_id, rc.name, c.version, c.note "
#define CODE_COLUMNS CODE_SELECT CODE_FROM
/* The same, and the row's rowid (COL_ROWID) for the manifest's pages. */
#define MANIFEST_COLUMNS CODE_SELECT ", c.rowid " CODE_FROM
#define CODE_FROM \
  "FROM codes c JOIN stores s ON s.id = c.store_id" \
  " LEFT JOIN activities a ON a.id = c.activity_id" \
  " LEFT JOIN redemptions r ON r.store_id = c.store_id AND r.id = c.redemption_id" \
  " LEFT JOIN stores rs ON rs.id = r.store_id" \
  " LEFT JOIN clerks rc ON rc.store_id = r.store_id AND rc.id = r.clerk_id "

enum {
  COL_CODE, COL_KIND, COL_STORE_ID, COL_STORE_NAME, COL_STORE_TZ, COL_STATE, COL_VALID_FROM,
  COL_VALID_UNTIL, COL_REALTIME, COL_ORDER_ID, COL_CUSTOMER, COL_PHONE_TAIL,
  COL_TOTAL, COL_ITEMS, COL_COUPON_TYPE, COL_TITLE, COL_VALUE, COL_MIN_SPEND,
  COL_PERCENT, COL_CAP, COL_ACTIVITY_ID, COL_ACTIVITY_NAME, COL_ACTIVITY_END, COL_CLAIM_DAYS,
  COL_PRIZE_NAME, COL_CLAIMED, COL_R_ID, COL_R_AT, COL_R_STORE_ID, COL_R_STORE_NAME,
  COL_R_CLERK_ID, COL_R_CLERK_NAME, COL_VERSION, COL_NOTE, COL_ROWID,
};

typedef struct
{
  char     *code;
  char     *kind;
  char     *store_id;
  char     *store_name;
  char     *store_tz;
  char     *state;
  gboolean  has_valid_from;
  gint64    valid_from;
  gboolean  has_valid_until;
  gint64    valid_until;
  gboolean  realtime_only;
  char     *order_id;
  char     *customer_masked;
  char     *phone_tail;
  gint64    total_fen;
  char     *items;            /* JSON text */
  char     *coupon_type;
  char     *title;
  gint64    value_fen;
  gint64    min_spend_fen;
  int       percent_off;
  gint64    cap_fen;
  char     *activity_id;
  char     *activity_name;
  gint64    activity_end;
  int       claim_days;
  char     *prize_name;
  gboolean  claimed;          /* the person claimed a prize of this activity already */
  char     *redemption_id;    /* (nullable) the redemption holding the code */
  gint64    redeemed_at;
  char     *r_store_id;
  char     *r_store_name;
  char     *r_clerk_id;
  char     *r_clerk_name;
  gint64    version;
  char     *note;
} CodeRow;

static void
code_row_free (CodeRow *row)
{
  g_free (row->code);
  g_free (row->kind);
  g_free (row->store_id);
  g_free (row->store_name);
  g_free (row->store_tz);
  g_free (row->state);
  g_free (row->order_id);
  g_free (row->customer_masked);
  g_free (row->phone_tail);
  g_free (row->items);
  g_free (row->coupon_type);
  g_free (row->title);
  g_free (row->activity_id);
  g_free (row->activity_name);
  g_free (row->prize_name);
  g_free (row->redemption_id);
  g_free (row->r_store_id);
  g_free (row->r_store_name);
  g_free (row->r_clerk_id);
  g_free (row->r_clerk_name);
  g_free (row->note);
  g_free (row);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CodeRow, code_row_free)

static CodeRow *
code_row_new_from_stmt (sqlite3_stmt *stmt)
{
  CodeRow *row = g_new0 (CodeRow, 1);

  row->code = sc_db_column_dup_text (stmt, COL_CODE);
  row->kind = sc_db_column_dup_text (stmt, COL_KIND);
  row->store_id = sc_db_column_dup_text (stmt, COL_STORE_ID);
  row->store_name = sc_db_column_dup_text (stmt, COL_STORE_NAME);
  row->store_tz = sc_db_column_dup_text (stmt, COL_STORE_TZ);
  row->state = sc_db_column_dup_text (stmt, COL_STATE);
  row->has_valid_from = sqlite3_column_type (stmt, COL_VALID_FROM) != SQLITE_NULL;
  row->valid_from = sqlite3_column_int64 (stmt, COL_VALID_FROM);
  row->has_valid_until = sqlite3_column_type (stmt, COL_VALID_UNTIL) != SQLITE_NULL;
  row->valid_until = sqlite3_column_int64 (stmt, COL_VALID_UNTIL);
  row->realtime_only = sqlite3_column_int (stmt, COL_REALTIME) != 0;
  row->order_id = sc_db_column_dup_text (stmt, COL_ORDER_ID);
  row->customer_masked = sc_db_column_dup_text (stmt, COL_CUSTOMER);
  row->phone_tail = sc_db_column_dup_text (stmt, COL_PHONE_TAIL);
  row->total_fen = sqlite3_column_int64 (stmt, COL_TOTAL);
  row->items = sc_db_column_dup_text (stmt, COL_ITEMS);
  row->coupon_type = sc_db_column_dup_text (stmt, COL_COUPON_TYPE);
  row->title = sc_db_column_dup_text (stmt, COL_TITLE);
  row->value_fen = sqlite3_column_int64 (stmt, COL_VALUE);
  row->min_spend_fen = sqlite3_column_int64 (stmt, COL_MIN_SPEND);
  row->percent_off = sqlite3_column_int (stmt, COL_PERCENT);
  row->cap_fen = sqlite3_column_int64 (stmt, COL_CAP);
  row->activity_id = sc_db_column_dup_text (stmt, COL_ACTIVITY_ID);
  row->activity_name = sc_db_column_dup_text (stmt, COL_ACTIVITY_NAME);
  row->activity_end = sqlite3_column_int64 (stmt, COL_ACTIVITY_END);
  row->claim_days = sqlite3_column_int (stmt, COL_CLAIM_DAYS);
  row->prize_name = sc_db_column_dup_text (stmt, COL_PRIZE_NAME);
  row->claimed = sqlite3_column_int (stmt, COL_CLAIMED) != 0;
  row->redemption_id = sc_db_column_dup_text (stmt, COL_R_ID);
  row->redeemed_at = sqlite3_column_int64 (stmt, COL_R_AT);
  row->r_store_id = sc_db_column_dup_text (stmt, COL_R_STORE_ID);
  row->r_store_name = sc_db_column_dup_text (stmt, COL_R_STORE_NAME);
  row->r_clerk_id = sc_db_column_dup_text (stmt, COL_R_CLERK_ID);
  row->r_clerk_name = sc_db_column_dup_text (stmt, COL_R_CLERK_NAME);
  row->version = sqlite3_column_int64 (stmt, COL_VERSION);
  row->note = sc_db_column_dup_text (stmt, COL_NOTE);
  return row;
}

/* Returns TRUE and *out_row (NULL when there is no such code), or FALSE
 * with @error. */
static gboolean
code_row_load (ScDb        *db,
               const char  *code,
               CodeRow    **out_row,
               GError     **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, CODE_COLUMNS "WHERE c.code = ?1", error);
  int rc;

  *out_row = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    *out_row = code_row_new_from_stmt (stmt);
  sqlite3_reset (stmt);
  return TRUE;
}

/* The last second of the claim window: @claim_days working days (Monday to
 * Friday) after the local day of @end_at. */
static gint64
claim_deadline (const char *tz_id,
                gint64      end_at,
                int         claim_days)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (end_at);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) next = NULL;
  int counted = 0;

  if (tz_id != NULL)
    tz = g_time_zone_new_identifier (tz_id);
  if (tz == NULL)
    tz = sc_platform_store_timezone ();

  local = g_date_time_to_timezone (utc, tz);
  day = g_date_time_new (tz, g_date_time_get_year (local), g_date_time_get_month (local),
                         g_date_time_get_day_of_month (local), 0, 0, 0);
  while (counted < claim_days)
    {
      GDateTime *d = g_date_time_add_days (day, 1);

      g_date_time_unref (day);
      day = d;
      if (g_date_time_get_day_of_week (day) <= 5)
        counted++;
    }
  next = g_date_time_add_days (day, 1);
  return g_date_time_to_unix (next) - 1;
}

typedef enum
{
  TOKEN_NONE,     /* a bare code or URL */
  TOKEN_OK,       /* a fresh, well-signed live token */
  TOKEN_STALE,    /* too old or too far ahead */
  TOKEN_BAD_SIG,  /* not signed by us */
} TokenCheck;

static TokenCheck
token_check (const ScPlatformRequest *req)
{
  g_autofree char *expected = NULL;
  g_autofree char *sig = NULL;

  if (!req->live_token)
    return TOKEN_NONE;
  if (req->token_stale)
    return TOKEN_STALE;
  if (req->token_sig == NULL || req->secret == NULL)
    return TOKEN_BAD_SIG;
  expected = sc_platform_store_token_signature (req->secret, req->code, req->token_time);
  sig = g_ascii_strdown (req->token_sig, -1);
  if (!sc_secret_equal (expected, sig))
    return TOKEN_BAD_SIG;
  return TOKEN_OK;
}

/* The English words of a reason code (sent as "reason" next to
 * "reason_code", for logs and older counters; the counter words the code
 * itself, from the same table). */
static const char *
reason_message (const char *reason_code)
{
  const char *words = sc_verdict_words_reason_english (reason_code);

  return words != NULL ? words : reason_code;
}

/* The status of @row for a counter of @store_id at time @t (DESIGN §5),
 * checked in this order: wrong_store (first: nothing about another store's
 * code may show), deleted, invalidated, gifting, redeemed, not_yet_valid,
 * expired, not_eligible, qr_stale. *@out_reason: the reason code (see
 * reason_message) for not_eligible and qr_stale. */
static ScVerdictStatus
code_row_status (const CodeRow  *row,
                 const char     *store_id,
                 gint64          t,
                 TokenCheck      token,
                 char          **out_reason)
{
  *out_reason = NULL;

  if (g_strcmp0 (row->store_id, store_id) != 0)
    return SC_VERDICT_STATUS_WRONG_STORE;
  if (g_strcmp0 (row->state, "deleted") == 0)
    return SC_VERDICT_STATUS_DELETED;
  if (g_strcmp0 (row->state, "invalidated") == 0)
    return SC_VERDICT_STATUS_INVALIDATED;
  if (g_strcmp0 (row->state, "gifting") == 0)
    return SC_VERDICT_STATUS_GIFTING;
  if (row->redemption_id != NULL)
    return SC_VERDICT_STATUS_REDEEMED;
  if (row->has_valid_from && t < row->valid_from)
    return SC_VERDICT_STATUS_NOT_YET_VALID;
  if (row->has_valid_until && t > row->valid_until)
    return SC_VERDICT_STATUS_EXPIRED;
  if (g_strcmp0 (row->kind, "prize") == 0 && row->activity_id != NULL)
    {
      if (t > claim_deadline (row->store_tz, row->activity_end, row->claim_days))
        {
          *out_reason = g_strdup ("claim_window_closed");
          return SC_VERDICT_STATUS_NOT_ELIGIBLE;
        }
      if (row->claimed)
        {
          *out_reason = g_strdup ("already_claimed");
          return SC_VERDICT_STATUS_NOT_ELIGIBLE;
        }
    }
  switch (token)
    {
    case TOKEN_STALE:
      *out_reason = g_strdup ("token_expired");
      return SC_VERDICT_STATUS_QR_STALE;
    case TOKEN_BAD_SIG:
      *out_reason = g_strdup ("token_not_genuine");
      return SC_VERDICT_STATUS_QR_STALE;
    case TOKEN_NONE:
      if (row->realtime_only)
        {
          *out_reason = g_strdup ("live_code_required");
          return SC_VERDICT_STATUS_QR_STALE;
        }
      break;
    case TOKEN_OK:
    default:
      break;
    }
  return SC_VERDICT_STATUS_REDEEMABLE;
}

static void
add_items (JsonBuilder *b,
           const char  *items_json)
{
  g_autoptr(JsonNode) items = NULL;

  json_builder_set_member_name (b, "items");
  if (items_json != NULL)
    items = json_from_string (items_json, NULL);
  if (items != NULL && JSON_NODE_HOLDS_ARRAY (items))
    json_builder_add_value (b, g_steal_pointer (&items));
  else
    {
      json_builder_begin_array (b);
      json_builder_end_array (b);
    }
}

static void
add_redeemed (JsonBuilder   *b,
              const CodeRow *row)
{
  json_builder_set_member_name (b, "redeemed");
  json_builder_begin_object (b);
  add_string (b, "redemption_id", row->redemption_id);
  add_time (b, "at", row->redeemed_at);
  add_id_name (b, "store", row->r_store_id, row->r_store_name);
  add_id_name (b, "clerk", row->r_clerk_id, row->r_clerk_name);
  json_builder_end_object (b);
}

static void
add_validity (JsonBuilder   *b,
              const CodeRow *row)
{
  if (row->has_valid_from)
    add_time (b, "valid_from", row->valid_from);
  if (row->has_valid_until)
    add_time (b, "valid_until", row->valid_until);
}

/* The lookup answer for @row (see sc-platform-client.h). */
static JsonNode *
code_row_to_json (const CodeRow   *row,
                  ScVerdictStatus  status,
                  const char      *reason)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string (b, "code", row->code);
  add_string (b, "kind", row->kind);
  add_string (b, "status", status_name (status));
  if (reason != NULL)
    {
      add_string (b, "reason_code", reason);
      add_string (b, "reason", reason_message (reason));
    }

  /* Another store's code: its store's name for the clerk to send the
   * customer on, and nothing else (no id, no customer, no details). */
  if (status == SC_VERDICT_STATUS_WRONG_STORE)
    {
      json_builder_set_member_name (b, "store");
      json_builder_begin_object (b);
      add_string (b, "name", row->store_name);
      json_builder_end_object (b);
      json_builder_end_object (b);
      return json_builder_get_root (b);
    }
  add_id_name (b, "store", row->store_id, row->store_name);

  add_validity (b, row);
  json_builder_set_member_name (b, "realtime_only");
  json_builder_add_boolean_value (b, row->realtime_only);

  if (g_strcmp0 (row->kind, "pickup") == 0)
    {
      json_builder_set_member_name (b, "order");
      json_builder_begin_object (b);
      add_string (b, "order_id", row->order_id);
      add_string (b, "customer_masked", row->customer_masked);
      add_string (b, "phone_tail", row->phone_tail);
      add_int (b, "total_fen", row->total_fen);
      add_items (b, row->items);
      json_builder_end_object (b);
    }
  else if (g_strcmp0 (row->kind, "coupon") == 0)
    {
      json_builder_set_member_name (b, "coupon");
      json_builder_begin_object (b);
      add_string (b, "type", row->coupon_type);
      add_string (b, "title", row->title);
      add_int (b, "value_fen", row->value_fen);
      add_int (b, "min_spend_fen", row->min_spend_fen);
      add_int (b, "percent_off", row->percent_off);
      add_int (b, "cap_fen", row->cap_fen);
      json_builder_end_object (b);
    }
  else if (g_strcmp0 (row->kind, "prize") == 0 && row->activity_id != NULL)
    {
      json_builder_set_member_name (b, "prize");
      json_builder_begin_object (b);
      add_string (b, "activity_id", row->activity_id);
      add_string (b, "activity_name", row->activity_name);
      add_string (b, "prize_name", row->prize_name);
      add_time (b, "activity_end", row->activity_end);
      add_int (b, "claim_days", row->claim_days);
      add_time (b, "claim_deadline",
                claim_deadline (row->store_tz, row->activity_end, row->claim_days));
      json_builder_end_object (b);
    }

  if (row->redemption_id != NULL)
    add_redeemed (b, row);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonNode *
not_found_json (const char *code)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string (b, "code", code);
  add_string (b, "kind", kind_for_code (code));
  add_string (b, "status", "not_found");
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- sessions ---- */

typedef struct
{
  char *store_id;
  char *clerk_id;
} Session;

static void
session_clear (Session *s)
{
  g_clear_pointer (&s->store_id, g_free);
  g_clear_pointer (&s->clerk_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Session, session_clear)

typedef enum
{
  SESSION_END_EXPIRED,   /* ended_at = expires_at */
  SESSION_END_LOGOUT,    /* ended_at = now */
} SessionEnd;

/* Marks the session of @token ended (it is kept: offline scans are judged
 * against a clerk's sessions). */
static gboolean
session_end (ScDb        *db,
             const char  *token,
             SessionEnd   how,
             gint64       now,
             GError     **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, "UPDATE sessions SET ended_at ="
                                          " CASE WHEN ?2 THEN MIN (?3, expires_at)"
                                          " ELSE expires_at END"
                                          " WHERE token = ?1 AND ended_at IS NULL", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, how == SESSION_END_LOGOUT);
  sqlite3_bind_int64 (stmt, 3, now);
  return sc_db_step_done (db, stmt, error);
}

/* TRUE with @s filled; FALSE with *out_reply (401) or with @error. */
static gboolean
session_load (ScDb                     *db,
              const ScPlatformRequest  *req,
              Session                  *s,
              ScPlatformReply         **out_reply,
              GError                  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *out_reply = NULL;
  if (req->token == NULL)
    {
      *out_reply = sc_platform_reply_new_error (401, "session_expired",
                                                _("Please sign in again."), NULL);
      return FALSE;
    }

  stmt = sc_db_prepare (db, "SELECT store_id, clerk_id, expires_at, ended_at FROM sessions"
                            " WHERE token = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, req->token, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc != SQLITE_ROW || sqlite3_column_type (stmt, 3) != SQLITE_NULL ||
      sqlite3_column_int64 (stmt, 2) <= req->now)
    {
      gboolean seen_expired = rc == SQLITE_ROW && sqlite3_column_type (stmt, 3) == SQLITE_NULL;

      sqlite3_reset (stmt);
      /* Once seen expired, a session stays ended: moving the clock back
       * does not bring it back. (The platform has one connection, so even
       * a read job may write this.) */
      if (seen_expired && !session_end (db, req->token, SESSION_END_EXPIRED, req->now, error))
        return FALSE;
      *out_reply = sc_platform_reply_new_error (401, "session_expired",
                                                _("Your session has ended. Please sign in again."),
                                                NULL);
      return FALSE;
    }
  s->store_id = sc_db_column_dup_text (stmt, 0);
  s->clerk_id = sc_db_column_dup_text (stmt, 1);
  sqlite3_reset (stmt);
  return TRUE;
}

/* ---- version counter ---- */

static gboolean
bump_code_version (ScDb        *db,
                   const char  *code,
                   GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = sc_db_prepare (db, "UPDATE counters SET value = value + 1 WHERE name = 'code_version'",
                        error);
  if (stmt == NULL || !sc_db_step_done (db, stmt, error))
    return FALSE;
  stmt = sc_db_prepare (db,
                        "UPDATE codes SET version ="
                        " (SELECT value FROM counters WHERE name = 'code_version')"
                        " WHERE code = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  return sc_db_step_done (db, stmt, error);
}

static gboolean
current_version (ScDb    *db,
                 gint64  *out_version,
                 GError **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, "SELECT value FROM counters WHERE name = 'code_version'",
                                      error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  *out_version = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return TRUE;
}

/* ---- idempotency ---- */

static gboolean
idempotency_find (ScDb             *db,
                  const char       *scope,
                  const char       *key,
                  ScPlatformReply **out_reply,
                  GError          **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, "SELECT status, body FROM idempotency"
                                          " WHERE scope = ?1 AND key = ?2", error);
  int rc;

  *out_reply = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, scope, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    *out_reply = reply_new_raw ((guint) sqlite3_column_int (stmt, 0),
                                (const char *) sqlite3_column_text (stmt, 1));
  sqlite3_reset (stmt);
  return TRUE;
}

/* Stores @reply for @key and returns it, or NULL with @error. */
static ScPlatformReply *
idempotency_remember (ScDb            *db,
                      const char      *scope,
                      const char      *key,
                      gint64           now,
                      ScPlatformReply *reply,
                      GError         **error)
{
  g_autoptr(ScPlatformReply) owned = reply;
  sqlite3_stmt *stmt = sc_db_prepare (db, "INSERT INTO idempotency (scope, key, status, body,"
                                          " created_at) VALUES (?1, ?2, ?3, ?4, ?5)", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, scope, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, (int) owned->status);
  sqlite3_bind_text (stmt, 4, owned->body, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, now);
  if (!sc_db_step_done (db, stmt, error))
    return NULL;
  return g_steal_pointer (&owned);
}

/* ---- operations (DB thread) ---- */

/* ---- logins: PINs as salted PBKDF2 hashes, checked off the DB thread ---- */

#define PIN_HASH_SCHEME      "pbkdf2-sha256"
#define PIN_HASH_ITERATIONS  20000
#define PIN_SALT_BYTES       16

/* Checked against when there is no such clerk, so that the answer takes
 * as long either way (PBKDF2 of "0000" with the salt "sc-no-such-clerk"). */
#define PIN_HASH_NOBODY \
  "pbkdf2-sha256$20000$73632d6e6f2d737563682d636c65726b$" \
  "470fc64221aa0e20a2195eaeba68a49a81379330a7b6773ae42c410219403900"

char *
sc_platform_pin_hash_new (const char *pin)
{
  g_autofree char *salt_hex = sc_platform_random_hex (PIN_SALT_BYTES);
  guint8 salt[PIN_SALT_BYTES];
  guint8 hash[32];
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (pin != NULL, NULL);

  for (gsize i = 0; i < PIN_SALT_BYTES; i++)
    salt[i] = (guint8) ((g_ascii_xdigit_value (salt_hex[2 * i]) << 4) |
                        g_ascii_xdigit_value (salt_hex[2 * i + 1]));
  sc_secret_pbkdf2_sha256 (pin, salt, sizeof salt, PIN_HASH_ITERATIONS, hash);
  g_string_append_printf (text, PIN_HASH_SCHEME "$%u$%s$", PIN_HASH_ITERATIONS, salt_hex);
  for (gsize i = 0; i < sizeof hash; i++)
    g_string_append_printf (text, "%02x", hash[i]);
  sc_secret_wipe (hash, sizeof hash);
  return g_string_free (text, FALSE);
}

/* @n_bytes bytes from @n_bytes * 2 hex digits; FALSE if they are not. */
static gboolean
hex_decode (const char *hex,
            guint8     *out,
            gsize       n_bytes)
{
  if (strlen (hex) != n_bytes * 2)
    return FALSE;
  for (gsize i = 0; i < n_bytes; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = (guint8) ((hi << 4) | lo);
    }
  return TRUE;
}

gboolean
sc_platform_pin_hash_check (const char *stored,
                            const char *pin)
{
  g_auto(GStrv) parts = NULL;
  guint8 salt[64];
  guint8 expected[32];
  guint8 got[32];
  guint64 iterations = 0;
  gsize salt_len;
  gboolean ok;

  if (stored == NULL || pin == NULL)
    return FALSE;
  parts = g_strsplit (stored, "$", 5);
  if (g_strv_length (parts) != 4 || strcmp (parts[0], PIN_HASH_SCHEME) != 0 ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, 10000000, &iterations, NULL))
    return FALSE;
  salt_len = strlen (parts[2]) / 2;
  if (salt_len == 0 || salt_len > sizeof salt || !hex_decode (parts[2], salt, salt_len) ||
      !hex_decode (parts[3], expected, sizeof expected))
    return FALSE;

  sc_secret_pbkdf2_sha256 (pin, salt, salt_len, (guint) iterations, got);
  ok = sc_secret_equal_bytes (got, expected, sizeof got);
  sc_secret_wipe (got, sizeof got);
  return ok;
}

typedef struct
{
  ScPlatformRequest *req;          /* (owned) */
  gboolean           found;
  char              *store_name;   /* (owned) (nullable) */
  char              *timezone;     /* (owned) (nullable) */
  char              *clerk_name;   /* (owned) (nullable) */
  char              *pin_hash;     /* (owned) (nullable) */
  char              *salt;         /* (owned) (nullable) the store's, for its key */
  gboolean           pin_ok;
} LoginCall;

static void
login_call_free (LoginCall *login)
{
  sc_platform_request_free (login->req);
  g_free (login->store_name);
  g_free (login->timezone);
  g_free (login->clerk_name);
  g_free (login->pin_hash);
  g_free (login->salt);
  g_free (login);
}

/* Step 1 (DB thread, read): the clerk's name and PIN hash. */
static gpointer
login_fetch_job (ScDb     *db,
                 gpointer  data,
                 GError  **error)
{
  LoginCall *login = data;
  sqlite3_stmt *stmt;
  int rc;

  stmt = sc_db_prepare (db, "SELECT s.name, s.timezone, c.name, c.pin_hash, s.salt FROM clerks c"
                            " JOIN stores s ON s.id = c.store_id"
                            " WHERE c.store_id = ?1 AND c.id = ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, login->req->store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, login->req->clerk_id, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    return NULL;
  if (rc == SQLITE_ROW)
    {
      login->found = TRUE;
      login->store_name = sc_db_column_dup_text (stmt, 0);
      login->timezone = sc_db_column_dup_text (stmt, 1);
      login->clerk_name = sc_db_column_dup_text (stmt, 2);
      login->pin_hash = sc_db_column_dup_text (stmt, 3);
      login->salt = sc_db_column_dup_text (stmt, 4);
    }
  sqlite3_reset (stmt);
  return GINT_TO_POINTER (TRUE);
}

/* Step 3 (DB thread, write): the session. */
static gpointer
login_create_job (ScDb     *db,
                  gpointer  data,
                  GError  **error)
{
  LoginCall *login = data;
  ScPlatformRequest *req = login->req;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *token = NULL;
  g_autoptr(ScSecretText) manifest_key = NULL;
  sqlite3_stmt *stmt;
  gint64 expires_at;

  token = sc_platform_random_hex (16);
  expires_at = req->now + req->session_ttl_s;
  stmt = sc_db_prepare (db, "INSERT INTO sessions (token, store_id, clerk_id, created_at,"
                            " expires_at) VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, token, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, req->store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, req->clerk_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, req->now);
  sqlite3_bind_int64 (stmt, 5, expires_at);
  if (!sc_db_step_done (db, stmt, error))
    return NULL;

  json_builder_begin_object (b);
  add_string (b, "token", token);
  add_time (b, "expires_at", expires_at);
  json_builder_set_member_name (b, "store");
  json_builder_begin_object (b);
  add_string (b, "id", req->store_id);
  add_string (b, "name", login->store_name);
  add_string (b, "timezone", login->timezone);
  json_builder_end_object (b);
  add_id_name (b, "clerk", req->clerk_id, login->clerk_name);
  add_int (b, "undo_window_s", req->undo_window_s);
  add_string (b, "platform_id", req->platform_id);
  /* The store's key: the counter keys its manifest lookups and its
   * offline PIN check with it, and keeps it out of its database. */
  manifest_key = sc_store_key_derive (req->secret, req->store_id, login->salt);
  add_string (b, "manifest_key", manifest_key);
  json_builder_end_object (b);
  return sc_platform_reply_new (201, json_builder_get_root (b));
}

/* DELETE /v1/sessions/current: 204, the token is refused from now on. */
static ScPlatformReply *
op_logout (ScDb               *db,
           ScPlatformRequest  *req,
           GError            **error)
{
  g_auto(Session) s = { NULL, NULL };
  ScPlatformReply *reply = NULL;

  if (!session_load (db, req, &s, &reply, error))
    return reply;
  if (!session_end (db, req->token, SESSION_END_LOGOUT, req->now, error))
    return NULL;
  return reply_new_raw (204, "");
}

static ScPlatformReply *
op_lookup (ScDb               *db,
           ScPlatformRequest  *req,
           GError            **error)
{
  g_auto(Session) s = { NULL, NULL };
  g_autoptr(CodeRow) row = NULL;
  g_autofree char *reason = NULL;
  ScPlatformReply *reply = NULL;
  ScVerdictStatus status;

  if (!session_load (db, req, &s, &reply, error))
    return reply;
  if (req->malformed != NULL)
    return sc_platform_reply_new_error (400, "malformed", req->malformed, NULL);
  if (!code_row_load (db, req->code, &row, error))
    return NULL;
  if (row == NULL)
    return sc_platform_reply_new (200, not_found_json (req->code));

  status = code_row_status (row, s.store_id, req->now, token_check (req), &reason);
  return sc_platform_reply_new (200, code_row_to_json (row, status, reason));
}

static guint
http_status_for (ScVerdictStatus status)
{
  switch (status)
    {
    case SC_VERDICT_STATUS_REDEEMED:
      return 409;
    case SC_VERDICT_STATUS_EXPIRED:
      return 410;
    case SC_VERDICT_STATUS_WRONG_STORE:
      return 403;
    case SC_VERDICT_STATUS_NOT_FOUND:
      return 404;
    case SC_VERDICT_STATUS_REDEEMABLE:
    case SC_VERDICT_STATUS_NOT_YET_VALID:
    case SC_VERDICT_STATUS_INVALIDATED:
    case SC_VERDICT_STATUS_GIFTING:
    case SC_VERDICT_STATUS_DELETED:
    case SC_VERDICT_STATUS_MALFORMED:
    case SC_VERDICT_STATUS_QR_STALE:
    case SC_VERDICT_STATUS_NEEDS_NETWORK:
    case SC_VERDICT_STATUS_THRESHOLD_NOT_MET:
    case SC_VERDICT_STATUS_NOT_ELIGIBLE:
    case SC_VERDICT_STATUS_LAST:
    default:
      return 422;
    }
}

static const char *
refusal_message (ScVerdictStatus status)
{
  switch (status)
    {
    case SC_VERDICT_STATUS_REDEEMED:
      return _("This code has already been redeemed.");
    case SC_VERDICT_STATUS_EXPIRED:
      return _("This code has expired.");
    case SC_VERDICT_STATUS_NOT_YET_VALID:
      return _("This code is not valid yet.");
    case SC_VERDICT_STATUS_INVALIDATED:
      return _("The merchant has cancelled this code.");
    case SC_VERDICT_STATUS_GIFTING:
      return _("This code is being given to someone else.");
    case SC_VERDICT_STATUS_DELETED:
      return _("The customer has deleted this code.");
    case SC_VERDICT_STATUS_WRONG_STORE:
      return _("This code belongs to another store.");
    case SC_VERDICT_STATUS_NOT_FOUND:
      return _("No such code.");
    case SC_VERDICT_STATUS_QR_STALE:
      return _("The live code has run out. Ask the customer to reopen it.");
    case SC_VERDICT_STATUS_NEEDS_NETWORK:
      return _("This coupon can only be redeemed online.");
    case SC_VERDICT_STATUS_THRESHOLD_NOT_MET:
      return _("The bill does not reach the coupon’s minimum spend.");
    case SC_VERDICT_STATUS_NOT_ELIGIBLE:
      return _("This prize cannot be claimed.");
    case SC_VERDICT_STATUS_MALFORMED:
      return _("This is not a valid code.");
    case SC_VERDICT_STATUS_REDEEMABLE:
    case SC_VERDICT_STATUS_LAST:
    default:
      return _("This code cannot be redeemed.");
    }
}

static ScPlatformReply *
refusal_reply (ScVerdictStatus  status,
               const char      *reason,
               JsonNode        *details)
{
  const char *code = status == SC_VERDICT_STATUS_REDEEMED ? "already_redeemed"
                                                          : status_name (status);

  return sc_platform_reply_new_error (http_status_for (status), code,
                                      reason != NULL ? reason_message (reason)
                                                     : refusal_message (status),
                                      details);
}

/* Whether @t lies inside a session of @s's store and clerk that began
 * before the session of @token, between its start and its end. */
static gboolean
scan_in_earlier_session (ScDb           *db,
                         const char     *token,
                         const Session  *s,
                         gint64          t,
                         gboolean       *out_inside,
                         GError        **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, "SELECT 1 FROM sessions e, sessions cur"
                                          " WHERE cur.token = ?1 AND e.store_id = ?2"
                                          " AND e.clerk_id = ?3 AND e.token != cur.token"
                                          " AND e.created_at < cur.created_at"
                                          " AND e.created_at <= ?4"
                                          " AND ?4 <= COALESCE (e.ended_at, e.expires_at)"
                                          " AND ?4 <= e.expires_at LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, s->store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, s->clerk_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, t);
  rc = sc_db_step (db, stmt, error);
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;
  *out_inside = rc == SQLITE_ROW;
  return TRUE;
}

/* Coupon discount for @bill_fen; FALSE if the minimum spend is not met. */
static gboolean
coupon_discount (const CodeRow *row,
                 gint64         bill_fen,
                 gint64        *out_discount)
{
  gint64 d;

  if (row->min_spend_fen > 0 && bill_fen < row->min_spend_fen)
    return FALSE;

  if (g_strcmp0 (row->coupon_type, "discount") == 0)
    {
      d = bill_fen * row->percent_off / 100;
      if (row->cap_fen > 0)
        d = MIN (d, row->cap_fen);
    }
  else
    d = row->value_fen;

  *out_discount = CLAMP (d, 0, bill_fen);
  return TRUE;
}

static ScPlatformReply *
op_redeem (ScDb               *db,
           ScPlatformRequest  *req,
           GError            **error)
{
  g_auto(Session) s = { NULL, NULL };
  g_autoptr(CodeRow) row = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *reason = NULL;
  ScPlatformReply *reply = NULL;
  ScVerdictStatus status;
  sqlite3_stmt *stmt;
  gint64 judged_at;
  gint64 discount = -1;
  int rc;

  if (!session_load (db, req, &s, &reply, error))
    return reply;
  /* Sent under someone else's session (DESIGN §7): refused, nothing kept,
   * not even under its key. */
  if (g_strcmp0 (req->store_id, s.store_id) != 0 || g_strcmp0 (req->clerk_id, s.clerk_id) != 0)
    return sc_platform_reply_new_error (403, "session_mismatch",
                                        _("This redemption was made by another store or clerk "
                                          "than the one signed in: it must be sent by them."),
                                        NULL);
  if (req->malformed != NULL)
    return sc_platform_reply_new_error (400, "malformed", req->malformed, NULL);

  scope = g_strconcat ("redeem:", s.store_id, NULL);
  if (!idempotency_find (db, scope, req->idempotency_key, &reply, error))
    return NULL;
  if (reply != NULL)
    return reply;

  /* Ids are per store: another store's redemption with this id is none of
   * this store's business. */
  stmt = sc_db_prepare (db, "SELECT 1 FROM redemptions WHERE store_id = ?2 AND id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, req->redemption_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, s.store_id, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    return NULL;
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return sc_platform_reply_new_error (422, "duplicate_redemption_id",
                                        _("This redemption was already sent with another key."),
                                        NULL);

  if (!code_row_load (db, req->code, &row, error))
    return NULL;
  if (row == NULL)
    return idempotency_remember (db, scope, req->idempotency_key, req->now,
                                 refusal_reply (SC_VERDICT_STATUS_NOT_FOUND, NULL,
                                                not_found_json (req->code)),
                                 error);

  /* An offline scan is judged when it was made only for a pickup code of
   * this store, scanned inside an earlier session of this clerk (DESIGN
   * §7); coupons and prizes, and anything else, are judged now. */
  judged_at = req->now;
  if (req->offline && g_strcmp0 (row->kind, "pickup") == 0 &&
      g_strcmp0 (row->store_id, s.store_id) == 0 &&
      req->scanned_at < req->now && req->now - req->scanned_at <= OFFLINE_TRUST_S)
    {
      gboolean inside = FALSE;

      if (!scan_in_earlier_session (db, req->token, &s, req->scanned_at, &inside, error))
        return NULL;
      if (inside)
        judged_at = req->scanned_at;
    }

  status = code_row_status (row, s.store_id, judged_at, token_check (req), &reason);
  if (row->realtime_only && req->offline &&
      (status == SC_VERDICT_STATUS_REDEEMABLE || status == SC_VERDICT_STATUS_QR_STALE))
    {
      status = SC_VERDICT_STATUS_NEEDS_NETWORK;
      g_clear_pointer (&reason, g_free);
    }

  if (status != SC_VERDICT_STATUS_REDEEMABLE)
    return idempotency_remember (db, scope, req->idempotency_key, req->now,
                                 refusal_reply (status, reason,
                                                code_row_to_json (row, status, reason)),
                                 error);

  if (g_strcmp0 (row->kind, "coupon") == 0)
    {
      if (req->bill_fen < 0)
        return sc_platform_reply_new_error (422, "bill_required",
                                            _("Enter the bill amount to use a coupon."), NULL);
      if (!coupon_discount (row, req->bill_fen, &discount))
        {
          g_autoptr(JsonBuilder) d = json_builder_new ();

          json_builder_begin_object (d);
          add_int (d, "min_spend_fen", row->min_spend_fen);
          add_int (d, "bill_fen", req->bill_fen);
          json_builder_end_object (d);
          return idempotency_remember (db, scope, req->idempotency_key, req->now,
                                       refusal_reply (SC_VERDICT_STATUS_THRESHOLD_NOT_MET, NULL,
                                                      json_builder_get_root (d)),
                                       error);
        }
    }

  stmt = sc_db_prepare (db, "INSERT INTO redemptions (id, code, kind, store_id, clerk_id, source,"
                            " scanned_at, redeemed_at, offline, bill_fen, discount_fen)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, req->redemption_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, row->code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, row->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, s.store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, s.clerk_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, req->source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, req->scanned_at);
  sqlite3_bind_int64 (stmt, 8, req->now);
  sqlite3_bind_int (stmt, 9, req->offline ? 1 : 0);
  if (discount >= 0)
    {
      sqlite3_bind_int64 (stmt, 10, req->bill_fen);
      sqlite3_bind_int64 (stmt, 11, discount);
    }
  else if (req->bill_fen >= 0)
    sqlite3_bind_int64 (stmt, 10, req->bill_fen);
  if (!sc_db_step_done (db, stmt, error))
    return NULL;

  stmt = sc_db_prepare (db, "UPDATE codes SET redemption_id = ?1 WHERE code = ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, req->redemption_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, row->code, -1, SQLITE_TRANSIENT);
  if (!sc_db_step_done (db, stmt, error) || !bump_code_version (db, row->code, error))
    return NULL;

  b = json_builder_new ();
  json_builder_begin_object (b);
  add_string (b, "redemption_id", req->redemption_id);
  add_string (b, "code", row->code);
  add_string (b, "kind", row->kind);
  add_time (b, "redeemed_at", req->now);
  if (req->bill_fen >= 0)
    add_int (b, "bill_fen", req->bill_fen);
  if (discount >= 0)
    add_int (b, "discount_fen", discount);
  json_builder_end_object (b);

  return idempotency_remember (db, scope, req->idempotency_key, req->now,
                               sc_platform_reply_new (201, json_builder_get_root (b)), error);
}

typedef struct
{
  char     *id;
  char     *code;
  char     *kind;
  char     *store_id;
  char     *clerk_id;
  char     *source;
  gint64    scanned_at;
  gint64    redeemed_at;
  gboolean  offline;
  gboolean  has_bill;
  gint64    bill_fen;
  gboolean  has_discount;
  gint64    discount_fen;
  gboolean  reversed;
  gint64    reversed_at;
} RedemptionRow;

static void
redemption_row_free (RedemptionRow *r)
{
  g_free (r->id);
  g_free (r->code);
  g_free (r->kind);
  g_free (r->store_id);
  g_free (r->clerk_id);
  g_free (r->source);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RedemptionRow, redemption_row_free)

/* The redemption @id of @store_id (ids are per store). */
static gboolean
redemption_row_load (ScDb            *db,
                     const char      *store_id,
                     const char      *id,
                     RedemptionRow  **out_row,
                     GError         **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, "SELECT id, code, kind, store_id, clerk_id, source,"
                                          " scanned_at, redeemed_at, offline, bill_fen,"
                                          " discount_fen, reversed_at"
                                          " FROM redemptions WHERE store_id = ?2 AND id = ?1",
                                      error);
  RedemptionRow *r;
  int rc;

  *out_row = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, store_id, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    {
      r = g_new0 (RedemptionRow, 1);
      r->id = sc_db_column_dup_text (stmt, 0);
      r->code = sc_db_column_dup_text (stmt, 1);
      r->kind = sc_db_column_dup_text (stmt, 2);
      r->store_id = sc_db_column_dup_text (stmt, 3);
      r->clerk_id = sc_db_column_dup_text (stmt, 4);
      r->source = sc_db_column_dup_text (stmt, 5);
      r->scanned_at = sqlite3_column_int64 (stmt, 6);
      r->redeemed_at = sqlite3_column_int64 (stmt, 7);
      r->offline = sqlite3_column_int (stmt, 8) != 0;
      r->has_bill = sqlite3_column_type (stmt, 9) != SQLITE_NULL;
      r->bill_fen = sqlite3_column_int64 (stmt, 9);
      r->has_discount = sqlite3_column_type (stmt, 10) != SQLITE_NULL;
      r->discount_fen = sqlite3_column_int64 (stmt, 10);
      r->reversed = sqlite3_column_type (stmt, 11) != SQLITE_NULL;
      r->reversed_at = sqlite3_column_int64 (stmt, 11);
      *out_row = r;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* Another store's redemption is answered as one never seen. */
static ScPlatformReply *
redemption_not_yours (const RedemptionRow *r,
                      const Session       *s)
{
  if (r == NULL || g_strcmp0 (r->store_id, s->store_id) != 0)
    return sc_platform_reply_new_error (404, "not_found",
                                        _("The platform has no such redemption."), NULL);
  return NULL;
}

static ScPlatformReply *
op_get_redemption (ScDb               *db,
                   ScPlatformRequest  *req,
                   GError            **error)
{
  g_auto(Session) s = { NULL, NULL };
  g_autoptr(RedemptionRow) r = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  ScPlatformReply *reply = NULL;

  if (!session_load (db, req, &s, &reply, error))
    return reply;
  if (!redemption_row_load (db, s.store_id, req->redemption_id, &r, error))
    return NULL;
  reply = redemption_not_yours (r, &s);
  if (reply != NULL)
    return reply;

  json_builder_begin_object (b);
  add_string (b, "redemption_id", r->id);
  add_string (b, "code", r->code);
  add_string (b, "kind", r->kind);
  add_string (b, "store_id", r->store_id);
  add_string (b, "clerk_id", r->clerk_id);
  add_string (b, "source", r->source);
  add_time (b, "scanned_at", r->scanned_at);
  add_time (b, "redeemed_at", r->redeemed_at);
  json_builder_set_member_name (b, "offline");
  json_builder_add_boolean_value (b, r->offline);
  if (r->has_bill)
    add_int (b, "bill_fen", r->bill_fen);
  if (r->has_discount)
    add_int (b, "discount_fen", r->discount_fen);
  if (r->reversed)
    add_time (b, "reversed_at", r->reversed_at);
  json_builder_end_object (b);
  return sc_platform_reply_new (200, json_builder_get_root (b));
}

static ScPlatformReply *
reversal_reply (const char *id,
                gint64      reversed_at)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string (b, "redemption_id", id);
  add_time (b, "reversed_at", reversed_at);
  json_builder_end_object (b);
  return sc_platform_reply_new (200, json_builder_get_root (b));
}

static ScPlatformReply *
op_reverse (ScDb               *db,
            ScPlatformRequest  *req,
            GError            **error)
{
  g_auto(Session) s = { NULL, NULL };
  g_autoptr(RedemptionRow) r = NULL;
  ScPlatformReply *reply = NULL;
  sqlite3_stmt *stmt;

  if (!session_load (db, req, &s, &reply, error))
    return reply;
  if (!redemption_row_load (db, s.store_id, req->redemption_id, &r, error))
    return NULL;
  reply = redemption_not_yours (r, &s);
  if (reply != NULL)
    return reply;

  /* Reversing is idempotent by nature: a reversed redemption stays so. */
  if (r->reversed)
    return reversal_reply (r->id, r->reversed_at);

  if (req->now - r->redeemed_at > req->undo_window_s)
    {
      g_autoptr(JsonBuilder) d = json_builder_new ();

      json_builder_begin_object (d);
      add_time (d, "redeemed_at", r->redeemed_at);
      add_int (d, "undo_window_s", req->undo_window_s);
      json_builder_end_object (d);
      return sc_platform_reply_new_error (409, "undo_window_passed",
                                          _("Too late to undo this redemption."),
                                          json_builder_get_root (d));
    }

  stmt = sc_db_prepare (db, "UPDATE redemptions SET reversed_at = ?1"
                            " WHERE store_id = ?3 AND id = ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, req->now);
  sqlite3_bind_text (stmt, 2, r->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, r->store_id, -1, SQLITE_TRANSIENT);
  if (!sc_db_step_done (db, stmt, error))
    return NULL;

  stmt = sc_db_prepare (db, "UPDATE codes SET redemption_id = NULL"
                            " WHERE code = ?1 AND redemption_id = ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, r->code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, r->id, -1, SQLITE_TRANSIENT);
  if (!sc_db_step_done (db, stmt, error) || !bump_code_version (db, r->code, error))
    return NULL;

  return reversal_reply (r->id, req->now);
}

static void
add_order_fields (JsonBuilder   *b,
                  const CodeRow *row)
{
  add_string (b, "order_id", row->order_id);
  add_string (b, "customer_masked", row->customer_masked);
  add_string (b, "phone_tail", row->phone_tail);
  add_items (b, row->items);
  add_int (b, "total_fen", row->total_fen);
  add_validity (b, row);
}

static ScPlatformReply *
op_manifest (ScDb               *db,
             ScPlatformRequest  *req,
             GError            **error)
{
  g_auto(Session) s = { NULL, NULL };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonArray) removed = json_array_new ();
  g_autofree char *salt = NULL;
  g_autoptr(ScSecretText) key = NULL;
  g_autofree char *key_id = NULL;
  ScPlatformReply *reply = NULL;
  sqlite3_stmt *stmt;
  gint64 version;
  gint64 cursor_version = 0, cursor_rowid = 0;
  gint64 last_version = 0, last_rowid = 0;
  int n = 0;
  int rc;

  if (!session_load (db, req, &s, &reply, error))
    return reply;
  if (req->cursor != NULL &&
      sscanf (req->cursor, "%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT,
              &cursor_version, &cursor_rowid) != 2)
    return sc_platform_reply_new_error (400, "bad_request",
                                        _("The cursor is not one this platform gave."), NULL);
  if (!current_version (db, &version, error))
    return NULL;

  stmt = sc_db_prepare (db, "SELECT salt FROM stores WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, s.store_id, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    return NULL;
  if (rc == SQLITE_ROW)
    salt = sc_db_column_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  /* Each code as HMAC (store key, code): the key went to the counter with
   * its session, and the manifest names it only by its id. */
  key = sc_store_key_derive (req->secret, s.store_id, salt);
  key_id = sc_store_key_id (key);

  json_builder_begin_object (b);
  add_string (b, "key_id", key_id);
  json_builder_set_member_name (b, "orders");
  json_builder_begin_array (b);

  /* Pages run along (version, rowid), which the index on (store_id,
   * version) holds in order; the cursor names the last row sent, and never
   * a code. */
  stmt = sc_db_prepare (db, MANIFEST_COLUMNS "WHERE c.store_id = ?1 AND c.kind = 'pickup'"
                                             " AND c.version >= ?2"
                                             " AND (c.version, c.rowid) > (?3, ?4)"
                                             " ORDER BY c.version, c.rowid LIMIT ?5", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, s.store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, MAX (req->since + 1, cursor_version));
  sqlite3_bind_int64 (stmt, 3, cursor_version);
  sqlite3_bind_int64 (stmt, 4, cursor_rowid);
  sqlite3_bind_int (stmt, 5, req->limit + 1);
  while ((rc = sc_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      g_autoptr(CodeRow) row = NULL;
      g_autofree char *reason = NULL;
      g_autofree char *hash = NULL;
      ScVerdictStatus status;

      if (++n > req->limit)
        break;
      row = code_row_new_from_stmt (stmt);
      last_version = row->version;
      last_rowid = sqlite3_column_int64 (stmt, COL_ROWID);

      /* Orders that ended over a week ago leave the manifest. A client
       * that holds a version, or pages of this walk, may have them. */
      if (row->has_valid_until && row->valid_until < req->now - MANIFEST_KEEP_S)
        {
          if (req->since > 0 || req->cursor != NULL)
            json_array_add_string_element (removed, row->order_id);
          continue;
        }

      status = code_row_status (row, s.store_id, req->now, TOKEN_NONE, &reason);
      hash = sc_store_key_code_hash (key, row->code);

      json_builder_begin_object (b);
      add_string (b, "order_id", row->order_id);
      add_string (b, "code_hmac", hash);
      add_string (b, "status", status_name (status));
      add_order_fields (b, row);
      if (row->redemption_id != NULL)
        add_redeemed (b, row);
      json_builder_end_object (b);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;

  json_builder_end_array (b);
  json_builder_set_member_name (b, "removed");
  json_builder_add_value (b, json_node_init_array (json_node_alloc (), removed));

  /* More to come: the client asks again with the cursor, and takes the
   * version from the last page only (the others say @since). */
  add_int (b, "version", n > req->limit ? req->since : version);
  json_builder_set_member_name (b, "next_cursor");
  if (n > req->limit)
    {
      g_autofree char *next = g_strdup_printf ("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT,
                                               last_version, last_rowid);

      json_builder_add_string_value (b, next);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return sc_platform_reply_new (200, json_builder_get_root (b));
}

static ScPlatformReply *
op_orders (ScDb               *db,
           ScPlatformRequest  *req,
           GError            **error)
{
  g_auto(Session) s = { NULL, NULL };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *last_code = NULL;
  ScPlatformReply *reply = NULL;
  sqlite3_stmt *stmt;
  int n = 0;
  int rc;

  if (!session_load (db, req, &s, &reply, error))
    return reply;

  stmt = sc_db_prepare (db, CODE_COLUMNS
                        "WHERE c.store_id = ?1 AND c.kind = 'pickup'"
                        " AND (?2 IS NULL OR (COALESCE (c.valid_from, 0) < ?3"
                        "      AND COALESCE (c.valid_until, 9000000000000000000) >= ?2))"
                        " AND (?4 IS NULL OR c.phone_tail = ?4 OR instr (c.code, ?4) > 0"
                        "      OR instr (c.customer_name, ?4) > 0"
                        "      OR instr (c.customer_masked, ?4) > 0"
                        "      OR instr (c.order_id, ?4) > 0)"
                        " AND (?5 IS NULL OR c.code > ?5)"
                        " ORDER BY c.code LIMIT ?6", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, s.store_id, -1, SQLITE_TRANSIENT);
  if (req->date != NULL)
    {
      g_autoptr(GTimeZone) tz = sc_platform_store_timezone ();
      int y, m, d;
      g_autoptr(GDateTime) day = NULL;

      if (sscanf (req->date, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
          strlen (req->date) != 10 ||
          (day = g_date_time_new (tz, y, m, d, 0, 0, 0)) == NULL)
        return sc_platform_reply_new_error (400, "bad_request",
                                            _("The date must look like 2024-05-01."), NULL);
      sqlite3_bind_int64 (stmt, 2, g_date_time_to_unix (day));
      sqlite3_bind_int64 (stmt, 3, g_date_time_to_unix (day) + 24 * 3600);
    }
  if (req->query != NULL && req->query[0] != '\0')
    sqlite3_bind_text (stmt, 4, req->query, -1, SQLITE_TRANSIENT);
  if (req->cursor != NULL && req->cursor[0] != '\0')
    sqlite3_bind_text (stmt, 5, req->cursor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, req->limit + 1);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "orders");
  json_builder_begin_array (b);
  while ((rc = sc_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      g_autoptr(CodeRow) row = NULL;
      g_autofree char *reason = NULL;
      ScVerdictStatus status;

      if (++n > req->limit)
        break;
      row = code_row_new_from_stmt (stmt);
      status = code_row_status (row, s.store_id, req->now, TOKEN_NONE, &reason);

      json_builder_begin_object (b);
      add_string (b, "code", row->code);
      add_string (b, "status", status_name (status));
      add_order_fields (b, row);
      if (row->redemption_id != NULL)
        add_redeemed (b, row);
      json_builder_end_object (b);

      g_free (last_code);
      last_code = g_strdup (row->code);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;
  json_builder_end_array (b);

  json_builder_set_member_name (b, "next_cursor");
  if (n > req->limit)
    json_builder_add_string_value (b, last_code);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return sc_platform_reply_new (200, json_builder_get_root (b));
}

static void
add_demo (JsonBuilder *b,
          const char  *payload,
          const char  *kind,
          const char  *status,
          const char  *note)
{
  json_builder_begin_object (b);
  add_string (b, "payload", payload);
  add_string (b, "kind", kind);
  add_string (b, "status", status);
  add_string (b, "note", note);
  json_builder_end_object (b);
}

static gboolean
code_exists (ScDb        *db,
             const char  *code,
             gboolean    *out_exists,
             GError     **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, "SELECT 1 FROM codes WHERE code = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;
  *out_exists = rc == SQLITE_ROW;
  return TRUE;
}

/* Every demo payload with the status a counter of store 1001 sees now. */
static ScPlatformReply *
op_demo_codes (ScDb               *db,
               ScPlatformRequest  *req,
               GError            **error)
{
  static const char first_digits[] = { '1', '2', '3', '5', '6', '8' };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  sqlite3_stmt *stmt;
  guint found = 0;
  int rc;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "codes");
  json_builder_begin_array (b);

  stmt = sc_db_prepare (db, CODE_COLUMNS "ORDER BY c.kind, c.code", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sc_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      g_autoptr(CodeRow) row = code_row_new_from_stmt (stmt);
      g_autofree char *reason = NULL;
      ScVerdictStatus status;

      status = code_row_status (row, DEMO_STORE_ID, req->now, TOKEN_NONE, &reason);
      add_demo (b, row->code, row->kind, status_name (status), row->note);

      if (row->realtime_only)
        {
          g_autofree char *sig = sc_platform_store_token_signature (req->secret, row->code,
                                                                   req->now);
          g_autofree char *old_sig = sc_platform_store_token_signature (req->secret, row->code,
                                                                       req->now - 400);
          g_autofree char *fresh = g_strdup_printf ("SC1:%s:%" G_GINT64_FORMAT ":%s",
                                                    row->code, req->now, sig);
          g_autofree char *stale = g_strdup_printf ("SC1:%s:%" G_GINT64_FORMAT ":%s",
                                                    row->code, req->now - 400, old_sig);
          g_autofree char *forged = g_strdup_printf ("SC1:%s:%" G_GINT64_FORMAT ":%064d",
                                                     row->code, req->now, 0);
          g_autofree char *r1 = NULL;
          g_autofree char *r2 = NULL;
          g_autofree char *r3 = NULL;
          ScVerdictStatus s_fresh = code_row_status (row, DEMO_STORE_ID, req->now, TOKEN_OK, &r1);
          ScVerdictStatus s_stale = code_row_status (row, DEMO_STORE_ID, req->now, TOKEN_STALE,
                                                     &r2);
          ScVerdictStatus s_forged = code_row_status (row, DEMO_STORE_ID, req->now,
                                                      TOKEN_BAD_SIG, &r3);

          add_demo (b, fresh, row->kind, status_name (s_fresh),
                    "live token, fresh: valid for 300 s from this listing");
          add_demo (b, stale, row->kind, status_name (s_stale), "live token, 400 s old");
          add_demo (b, forged, row->kind, status_name (s_forged), "live token, bad signature");
        }
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;

  /* Well-formed codes the platform has never issued. */
  while (found < G_N_ELEMENTS (first_digits))
    {
      char code[SC_CODE_LENGTH + 1];
      gboolean exists = TRUE;

      code[0] = first_digits[found];
      for (int i = 1; i < SC_CODE_LENGTH - 1; i++)
        code[i] = (char) ('0' + g_rand_int_range (rand, 0, 10));
      code[SC_CODE_LENGTH - 1] = sc_code_luhn_check_digit (code, SC_CODE_LENGTH - 1);
      code[SC_CODE_LENGTH] = '\0';
      if (!code_exists (db, code, &exists, error))
        return NULL;
      if (exists)
        continue;
      add_demo (b, code, kind_for_code (code), "not_found", "never issued");
      found++;
    }

  add_demo (b, "123456789010", "unknown", "malformed", "wrong check digit");
  add_demo (b, "12345", "unknown", "malformed", "wrong length");
  add_demo (b, "12A4567B9012", "unknown", "malformed", "letters");

  json_builder_end_array (b);
  json_builder_end_object (b);
  return sc_platform_reply_new (200, json_builder_get_root (b));
}

static ScPlatformReply *
op_admin_reset (ScDb               *db,
                ScPlatformRequest  *req,
                GError            **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (!sc_platform_seed_demo_insert (db, req->now, error))
    return NULL;
  json_builder_begin_object (b);
  add_string (b, "status", "ok");
  json_builder_end_object (b);
  return sc_platform_reply_new (200, json_builder_get_root (b));
}

static gboolean
store_exists (ScDb        *db,
              const char  *store_id,
              gboolean    *out_exists,
              GError     **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, "SELECT 1 FROM stores WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, store_id, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;
  *out_exists = rc == SQLITE_ROW;
  return TRUE;
}

static ScPlatformReply *
no_such_store (void)
{
  return sc_platform_reply_new_error (404, "not_found", _("There is no such store."), NULL);
}

/* POST /v1/admin/orders {count, store_id?}: 201 {created, version, codes[]} */
static ScPlatformReply *
op_admin_add_orders (ScDb               *db,
                     ScPlatformRequest  *req,
                     GError            **error)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean exists = FALSE;
  gint64 version;

  if (!store_exists (db, req->store_id, &exists, error))
    return NULL;
  if (!exists)
    return no_such_store ();
  if (!sc_platform_seed_add_orders (db, req->now, req->store_id, req->count, codes, error) ||
      !current_version (db, &version, error))
    return NULL;

  json_builder_begin_object (b);
  add_int (b, "created", codes->len);
  add_int (b, "version", version);
  json_builder_set_member_name (b, "codes");
  json_builder_begin_array (b);
  for (guint i = 0; i < codes->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (codes, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return sc_platform_reply_new (201, json_builder_get_root (b));
}

/* POST /v1/admin/orders/touch {count, store_id?}: 200 {touched, version} */
static ScPlatformReply *
op_admin_touch_orders (ScDb               *db,
                       ScPlatformRequest  *req,
                       GError            **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean exists = FALSE;
  gint64 version;
  int touched = 0;

  if (!store_exists (db, req->store_id, &exists, error))
    return NULL;
  if (!exists)
    return no_such_store ();
  if (!sc_platform_seed_touch_orders (db, req->now, req->store_id, req->count, &touched,
                                      error) ||
      !current_version (db, &version, error))
    return NULL;

  json_builder_begin_object (b);
  add_int (b, "touched", touched);
  add_int (b, "version", version);
  json_builder_end_object (b);
  return sc_platform_reply_new (200, json_builder_get_root (b));
}

/* GET /v1/admin/redemptions?store_id=&limit=: every redemption the platform
 * holds (of that store), oldest first, with how many redemptions each code
 * has; limit=0 gives the count only. */
static ScPlatformReply *
op_admin_redemptions (ScDb               *db,
                      ScPlatformRequest  *req,
                      GError            **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  sqlite3_stmt *stmt;
  gint64 count = 0;
  int rc;

  stmt = sc_db_prepare (db, "SELECT COUNT(*), COUNT(reversed_at) FROM redemptions"
                            " WHERE ?1 IS NULL OR store_id = ?1", error);
  if (stmt == NULL)
    return NULL;
  if (req->store_id != NULL)
    sqlite3_bind_text (stmt, 1, req->store_id, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    return NULL;
  json_builder_begin_object (b);
  count = sqlite3_column_int64 (stmt, 0);
  add_int (b, "count", count);
  add_int (b, "reversed", sqlite3_column_int64 (stmt, 1));
  sqlite3_reset (stmt);

  json_builder_set_member_name (b, "redemptions");
  json_builder_begin_array (b);
  if (req->limit != 0)
    {
      stmt = sc_db_prepare (db, "SELECT r.id, r.code, r.kind, r.store_id, r.clerk_id, r.source,"
                                " r.redeemed_at, r.offline, r.reversed_at,"
                                " (SELECT COUNT(*) FROM redemptions r2 WHERE r2.code = r.code),"
                                " c.redemption_id = r.id AND c.store_id = r.store_id"
                                " FROM redemptions r LEFT JOIN codes c ON c.code = r.code"
                                " WHERE ?1 IS NULL OR r.store_id = ?1"
                                " ORDER BY r.redeemed_at, r.rowid LIMIT ?2", error);
      if (stmt == NULL)
        return NULL;
      if (req->store_id != NULL)
        sqlite3_bind_text (stmt, 1, req->store_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, req->limit);
      while ((rc = sc_db_step (db, stmt, error)) == SQLITE_ROW)
        {
          json_builder_begin_object (b);
          add_string (b, "redemption_id", (const char *) sqlite3_column_text (stmt, 0));
          add_string (b, "code", (const char *) sqlite3_column_text (stmt, 1));
          add_string (b, "kind", (const char *) sqlite3_column_text (stmt, 2));
          add_string (b, "store_id", (const char *) sqlite3_column_text (stmt, 3));
          add_string (b, "clerk_id", (const char *) sqlite3_column_text (stmt, 4));
          add_string (b, "source", (const char *) sqlite3_column_text (stmt, 5));
          add_time (b, "redeemed_at", sqlite3_column_int64 (stmt, 6));
          json_builder_set_member_name (b, "offline");
          json_builder_add_boolean_value (b, sqlite3_column_int (stmt, 7) != 0);
          add_string (b, "state", sqlite3_column_type (stmt, 8) == SQLITE_NULL ? "active"
                                                                              : "reversed");
          add_int (b, "code_redemptions", sqlite3_column_int64 (stmt, 9));
          json_builder_set_member_name (b, "holds_code");
          json_builder_add_boolean_value (b, sqlite3_column_int (stmt, 10) != 0);
          json_builder_end_object (b);
        }
      sqlite3_reset (stmt);
      if (rc < 0)
        return NULL;
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return sc_platform_reply_new (200, json_builder_get_root (b));
}

static gpointer
store_job (ScDb     *db,
           gpointer  data,
           GError  **error)
{
  ScPlatformRequest *req = data;

  switch (req->op)
    {
    case SC_PLATFORM_OP_LOGOUT:
      return op_logout (db, req, error);
    case SC_PLATFORM_OP_LOOKUP:
      return op_lookup (db, req, error);
    case SC_PLATFORM_OP_REDEEM:
      return op_redeem (db, req, error);
    case SC_PLATFORM_OP_GET_REDEMPTION:
      return op_get_redemption (db, req, error);
    case SC_PLATFORM_OP_REVERSE:
      return op_reverse (db, req, error);
    case SC_PLATFORM_OP_MANIFEST:
      return op_manifest (db, req, error);
    case SC_PLATFORM_OP_ORDERS:
      return op_orders (db, req, error);
    case SC_PLATFORM_OP_ADMIN_DEMO_CODES:
      return op_demo_codes (db, req, error);
    case SC_PLATFORM_OP_ADMIN_RESET:
      return op_admin_reset (db, req, error);
    case SC_PLATFORM_OP_ADMIN_ADD_ORDERS:
      return op_admin_add_orders (db, req, error);
    case SC_PLATFORM_OP_ADMIN_TOUCH_ORDERS:
      return op_admin_touch_orders (db, req, error);
    case SC_PLATFORM_OP_ADMIN_REDEMPTIONS:
      return op_admin_redemptions (db, req, error);
    default:
      g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_SQL, "unknown operation %d", req->op);
      return NULL;
    }
}

static gboolean
op_is_write (ScPlatformOp op)
{
  return op == SC_PLATFORM_OP_REDEEM ||
         op == SC_PLATFORM_OP_REVERSE || op == SC_PLATFORM_OP_ADMIN_RESET ||
         op == SC_PLATFORM_OP_LOGOUT ||
         op == SC_PLATFORM_OP_ADMIN_ADD_ORDERS || op == SC_PLATFORM_OP_ADMIN_TOUCH_ORDERS;
}

/* ---- GObject ---- */

static void
sc_platform_store_finalize (GObject *object)
{
  ScPlatformStore *self = SC_PLATFORM_STORE (object);

  if (self->db != NULL)
    sc_db_close (self->db);
  g_clear_object (&self->db);
  g_clear_pointer (&self->secret, g_free);
  g_clear_pointer (&self->platform_id, g_free);

  G_OBJECT_CLASS (sc_platform_store_parent_class)->finalize (object);
}

static void
sc_platform_store_class_init (ScPlatformStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sc_platform_store_finalize;
}

static void
sc_platform_store_init (ScPlatformStore *self)
{
}

ScPlatformStore *
sc_platform_store_new (const char *db_path,
                       int         undo_window_s,
                       int         session_ttl_s)
{
  ScPlatformStore *self;

  g_return_val_if_fail (db_path != NULL, NULL);

  self = g_object_new (SC_TYPE_PLATFORM_STORE, NULL);
  self->db = sc_db_new (db_path, migrations, G_N_ELEMENTS (migrations));
  self->undo_window_s = undo_window_s;
  self->session_ttl_s = session_ttl_s;
  return self;
}

/* The value of @key in meta, made of @n_bytes random bytes (hex) at the
 * first open and kept. */
static char *
meta_get_or_create (ScDb        *db,
                    const char  *key,
                    gsize        n_bytes,
                    GError     **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, "SELECT value FROM meta WHERE key = ?1", error);
  g_autofree char *value = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sc_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    value = sc_db_column_dup_text (stmt, 0);
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;
  if (value != NULL)
    return g_steal_pointer (&value);

  value = sc_platform_random_hex (n_bytes);
  stmt = sc_db_prepare (db, "INSERT INTO meta (key, value) VALUES (?1, ?2)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  if (!sc_db_step_done (db, stmt, error))
    return NULL;
  return g_steal_pointer (&value);
}

/* The platform's secret (live-token signatures, the stores' keys). */
static gpointer
load_secret_job (ScDb     *db,
                 gpointer  data,
                 GError  **error)
{
  /* Room for a large test data set (admin bulk orders) in memory: 64 MiB. */
  if (!sc_db_exec (db, "PRAGMA cache_size = -65536", error))
    return NULL;
  return meta_get_or_create (db, "secret", 32, error);
}

/* Clear PINs (from before the hashes) become hashes, and the column goes. */
static gpointer
secure_pins_job (ScDb     *db,
                 gpointer  data,
                 GError  **error)
{
  sqlite3_stmt *stmt;
  gboolean has_pin = FALSE;
  int rc;

  stmt = sc_db_prepare (db, "SELECT 1 FROM pragma_table_info ('clerks') WHERE name = 'pin'",
                        error);
  if (stmt == NULL)
    return NULL;
  rc = sc_db_step (db, stmt, error);
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;
  has_pin = rc == SQLITE_ROW;
  if (!has_pin)
    return GINT_TO_POINTER (TRUE);

  for (;;)
    {
      g_autofree char *store_id = NULL;
      g_autofree char *clerk_id = NULL;
      g_autoptr(ScSecretText) pin = NULL;
      g_autofree char *hash = NULL;

      stmt = sc_db_prepare (db, "SELECT store_id, id, pin FROM clerks WHERE pin_hash IS NULL"
                                " LIMIT 1", error);
      if (stmt == NULL)
        return NULL;
      rc = sc_db_step (db, stmt, error);
      if (rc == SQLITE_ROW)
        {
          store_id = sc_db_column_dup_text (stmt, 0);
          clerk_id = sc_db_column_dup_text (stmt, 1);
          pin = sc_db_column_dup_text (stmt, 2);
        }
      sqlite3_reset (stmt);
      if (rc < 0)
        return NULL;
      if (rc != SQLITE_ROW)
        break;

      hash = sc_platform_pin_hash_new (pin != NULL ? pin : "");
      stmt = sc_db_prepare (db, "UPDATE clerks SET pin_hash = ?3 WHERE store_id = ?1 AND id = ?2",
                            error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, store_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, clerk_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_TRANSIENT);
      if (!sc_db_step_done (db, stmt, error))
        return NULL;
    }

  if (!sc_db_exec (db, "ALTER TABLE clerks DROP COLUMN pin", error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

/* The platform's own id (DESIGN §6): random, made at the first open and
 * kept in meta, so that counters know it under any address. */
static gpointer
load_platform_id_job (ScDb     *db,
                      gpointer  data,
                      GError  **error)
{
  return meta_get_or_create (db, "platform_id", 16, error);
}

gboolean
sc_platform_store_open_sync (ScPlatformStore  *self,
                             GError          **error)
{
  g_return_val_if_fail (SC_IS_PLATFORM_STORE (self), FALSE);

  if (!sc_db_open_sync (self->db, error))
    return FALSE;
  if (sc_db_run_sync (self->db, SC_DB_JOB_WRITE, secure_pins_job, NULL, error) == NULL)
    return FALSE;
  self->secret = sc_db_run_sync (self->db, SC_DB_JOB_WRITE, load_secret_job, NULL, error);
  if (self->secret == NULL)
    return FALSE;
  self->platform_id = sc_db_run_sync (self->db, SC_DB_JOB_WRITE, load_platform_id_job, NULL,
                                      error);
  return self->platform_id != NULL;
}

const char *
sc_platform_store_get_platform_id (ScPlatformStore *self)
{
  g_return_val_if_fail (SC_IS_PLATFORM_STORE (self), NULL);

  return self->platform_id;
}

typedef struct
{
  gint64 now;
} SeedData;

static gpointer
seed_job (ScDb     *db,
          gpointer  data,
          GError  **error)
{
  SeedData *seed = data;
  sqlite3_stmt *stmt = sc_db_prepare (db, "SELECT COUNT(*) FROM stores", error);
  gint64 n_stores;
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    return NULL;
  n_stores = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);

  if (n_stores == 0)
    {
      if (!sc_platform_seed_demo_insert (db, seed->now, error))
        return NULL;
    }
  else if (!sc_platform_seed_redate (db, seed->now, error))
    return NULL;

  return GINT_TO_POINTER (TRUE);
}

gboolean
sc_platform_store_seed_demo_sync (ScPlatformStore  *self,
                                  gint64            now,
                                  GError          **error)
{
  SeedData seed = { now };

  g_return_val_if_fail (SC_IS_PLATFORM_STORE (self), FALSE);

  return sc_db_run_sync (self->db, SC_DB_JOB_WRITE, seed_job, &seed, error) != NULL;
}

static void
call_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  ScPlatformReply *reply;

  reply = sc_db_run_finish (SC_DB (source), result, &error);
  if (reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, reply, (GDestroyNotify) sc_platform_reply_free);
}

static ScPlatformReply *
login_refused (void)
{
  return sc_platform_reply_new_error (401, "bad_credentials", _("Wrong store, clerk or PIN."),
                                      NULL);
}

/* Step 2 (a worker thread): the slow PIN check. */
static void
login_check_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  LoginCall *login = task_data;

  /* No such clerk: the same work against a hash nobody has. */
  login->pin_ok = sc_platform_pin_hash_check (login->found ? login->pin_hash : PIN_HASH_NOBODY,
                                              login->req->pin) && login->found;
  g_task_return_boolean (task, TRUE);
}

static void
login_checked_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ScPlatformStore *self = SC_PLATFORM_STORE (source);
  g_autoptr(GTask) task = user_data;
  LoginCall *login = g_task_get_task_data (task);

  if (!login->pin_ok)
    {
      g_task_return_pointer (task, login_refused (), (GDestroyNotify) sc_platform_reply_free);
      return;
    }
  sc_db_run_async (self->db, SC_DB_JOB_WRITE, login_create_job, login, NULL,
                   (GDestroyNotify) sc_platform_reply_free, NULL, call_cb,
                   g_steal_pointer (&task));
}

static void
login_fetched_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScPlatformStore *self = g_task_get_source_object (task);
  g_autoptr(GTask) check = NULL;
  g_autoptr(GError) error = NULL;
  LoginCall *login;

  if (sc_db_run_finish (SC_DB (source), result, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  login = g_task_get_task_data (task);
  check = g_task_new (self, NULL, login_checked_cb, g_steal_pointer (&task));
  g_task_set_source_tag (check, login_fetched_cb);
  g_task_set_task_data (check, login, NULL);
  g_task_run_in_thread (check, login_check_thread);
}

void
sc_platform_store_call_async (ScPlatformStore     *self,
                              ScPlatformRequest   *request,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ScDbJobFlags flags;

  g_return_if_fail (SC_IS_PLATFORM_STORE (self));
  g_return_if_fail (request != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, sc_platform_store_call_async);

  request->secret = g_strdup (self->secret);
  request->platform_id = g_strdup (self->platform_id);
  request->undo_window_s = self->undo_window_s;
  request->session_ttl_s = self->session_ttl_s;
  flags = op_is_write (request->op) ? SC_DB_JOB_WRITE : SC_DB_JOB_READ;

  /* A login reads the clerk, checks the PIN in a worker thread (PBKDF2 is
   * slow on purpose: not on the DB thread), then writes the session. */
  if (request->op == SC_PLATFORM_OP_LOGIN)
    {
      LoginCall *login = g_new0 (LoginCall, 1);

      login->req = request;
      g_task_set_task_data (task, login, (GDestroyNotify) login_call_free);
      sc_db_run_async (self->db, SC_DB_JOB_READ, login_fetch_job, login, NULL, NULL, NULL,
                       login_fetched_cb, g_steal_pointer (&task));
      return;
    }

  sc_db_run_async (self->db, flags, store_job, request,
                   (GDestroyNotify) sc_platform_request_free,
                   (GDestroyNotify) sc_platform_reply_free,
                   NULL, call_cb, g_steal_pointer (&task));
}

ScPlatformReply *
sc_platform_store_call_finish (ScPlatformStore  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (SC_IS_PLATFORM_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sc_platform_store_close (ScPlatformStore *self)
{
  g_return_if_fail (SC_IS_PLATFORM_STORE (self));

  if (self->db != NULL)
    sc_db_close (self->db);
}
