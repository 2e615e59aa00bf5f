/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-seed.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "sc-code.h"
#include "sc-db.h"
#include "sc-platform-seed-private.h"
#include "sc-platform-util.h"
#include "sc-time.h"

#define SEED       20240501u

typedef struct
{
  ScDb       *db;       /* (unowned) */
  GRand      *rand;     /* (owned) */
  GHashTable *used;     /* (owned) codes handed out */
  gint64      now;
  gint64      today;    /* 00:00 of today, local */
  int         n_orders;
} Seed;

static void
seed_clear (Seed *seed)
{
  g_clear_pointer (&seed->rand, g_rand_free);
  g_clear_pointer (&seed->used, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Seed, seed_clear)

static char *
new_code (Seed *seed,
          char  first_lo,
          char  first_hi)
{
  char code[SC_CODE_LENGTH + 1];

  do
    {
      code[0] = (char) g_rand_int_range (seed->rand, first_lo, first_hi + 1);
      for (int i = 1; i < SC_CODE_LENGTH - 1; i++)
        code[i] = (char) ('0' + g_rand_int_range (seed->rand, 0, 10));
      code[SC_CODE_LENGTH - 1] = sc_code_luhn_check_digit (code, SC_CODE_LENGTH - 1);
      code[SC_CODE_LENGTH] = '\0';
    }
  while (g_hash_table_contains (seed->used, code));

  g_hash_table_add (seed->used, g_strdup (code));
  return g_strdup (code);
}

static char *
new_uuid (Seed *seed)
{
  return g_strdup_printf ("%08x-%04x-4%03x-%04x-%04x%08x",
                          g_rand_int (seed->rand),
                          g_rand_int_range (seed->rand, 0, 0x10000),
                          g_rand_int_range (seed->rand, 0, 0x1000),
                          0x8000 | g_rand_int_range (seed->rand, 0, 0x4000),
                          g_rand_int_range (seed->rand, 0, 0x10000),
                          g_rand_int (seed->rand));
}

typedef struct
{
  const char *code;
  const char *kind;
  const char *store_id;
  const char *state;
  gboolean    has_from;
  gint64      valid_from;
  gboolean    has_until;
  gint64      valid_until;
  gboolean    realtime_only;
  const char *note;
  /* pickup */
  const char *order_id;
  const char *customer_name;
  const char *customer_masked;
  const char *phone_tail;
  gint64      total_fen;
  const char *items;
  /* coupon */
  const char *coupon_type;
  const char *title;
  gint64      value_fen;
  gint64      min_spend_fen;
  int         percent_off;
  gint64      cap_fen;
  /* prize */
  const char *activity_id;
  const char *prize_name;
  const char *person_id;
} CodeSpec;

static gboolean
insert_code (Seed            *seed,
             const CodeSpec  *c,
             GError         **error)
{
  sqlite3_stmt *stmt;
  gboolean is_pickup = g_strcmp0 (c->kind, "pickup") == 0;
  gboolean is_coupon = g_strcmp0 (c->kind, "coupon") == 0;

  stmt = sc_db_prepare (seed->db,
                        "INSERT INTO codes (code, kind, store_id, state, valid_from, valid_until,"
                        " realtime_only, note, order_id, customer_name, customer_masked,"
                        " phone_tail, total_fen, items, coupon_type, title, value_fen,"
                        " min_spend_fen, percent_off, cap_fen, activity_id, prize_name, person_id,"
                        " created_at)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                        " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, c->code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, c->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, c->store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, c->state != NULL ? c->state : "active", -1, SQLITE_TRANSIENT);
  if (c->has_from)
    sqlite3_bind_int64 (stmt, 5, c->valid_from);
  if (c->has_until)
    sqlite3_bind_int64 (stmt, 6, c->valid_until);
  sqlite3_bind_int (stmt, 7, c->realtime_only ? 1 : 0);
  sqlite3_bind_text (stmt, 8, c->note != NULL ? c->note : "", -1, SQLITE_TRANSIENT);
  sc_db_bind_text_or_null (stmt, 9, c->order_id);
  sc_db_bind_text_or_null (stmt, 10, c->customer_name);
  sc_db_bind_text_or_null (stmt, 11, c->customer_masked);
  sc_db_bind_text_or_null (stmt, 12, c->phone_tail);
  if (is_pickup)
    sqlite3_bind_int64 (stmt, 13, c->total_fen);
  sc_db_bind_text_or_null (stmt, 14, c->items);
  sc_db_bind_text_or_null (stmt, 15, c->coupon_type);
  sc_db_bind_text_or_null (stmt, 16, c->title);
  if (is_coupon)
    {
      sqlite3_bind_int64 (stmt, 17, c->value_fen);
      sqlite3_bind_int64 (stmt, 18, c->min_spend_fen);
      sqlite3_bind_int (stmt, 19, c->percent_off);
      sqlite3_bind_int64 (stmt, 20, c->cap_fen);
    }
  sc_db_bind_text_or_null (stmt, 21, c->activity_id);
  sc_db_bind_text_or_null (stmt, 22, c->prize_name);
  sc_db_bind_text_or_null (stmt, 23, c->person_id);
  /* Made two hours before it could be used (its place among the newest
   * orders). */
  sqlite3_bind_int64 (stmt, 24, (c->has_from ? c->valid_from : seed->now) - 2 * 3600);
  return sc_db_step_done (seed->db, stmt, error);
}

/* A redemption earlier today by clerk @clerk_id of store @store_id,
 * outside the undo window. */
static gboolean
insert_redemption_by (Seed        *seed,
                      const char  *store_id,
                      const char  *clerk_id,
                      const char  *code,
                      const char  *kind,
                      gint64       bill_fen,
                      gint64       discount_fen,
                      GError     **error)
{
  g_autofree char *id = new_uuid (seed);
  gint64 at = seed->now - 600 - g_rand_int_range (seed->rand, 0, 5 * 3600);
  sqlite3_stmt *stmt;

  if (at < seed->today + 60)
    at = MIN (seed->today + 60, seed->now - 600);

  stmt = sc_db_prepare (seed->db,
                        "INSERT INTO redemptions (id, code, kind, store_id, clerk_id, source,"
                        " scanned_at, redeemed_at, offline, bill_fen, discount_fen)"
                        " VALUES (?1, ?2, ?3, ?8, ?9, 'scanner', ?4, ?5, 0, ?6, ?7)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, clerk_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, at - 3);
  sqlite3_bind_int64 (stmt, 5, at);
  if (bill_fen >= 0)
    {
      sqlite3_bind_int64 (stmt, 6, bill_fen);
      sqlite3_bind_int64 (stmt, 7, discount_fen);
    }
  if (!sc_db_step_done (seed->db, stmt, error))
    return FALSE;

  stmt = sc_db_prepare (seed->db, "UPDATE codes SET redemption_id = ?1 WHERE code = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, code, -1, SQLITE_TRANSIENT);
  if (!sc_db_step_done (seed->db, stmt, error))
    return FALSE;

  /* The whole order went: every line picked by it. */
  stmt = sc_db_prepare (seed->db, "INSERT INTO line_events (code, line_id, kind, qty,"
                                  " redemption_id, store_id, clerk_id, at)"
                                  " SELECT code, line_id, 'picked', qty, ?1, ?3, ?4, ?5"
                                  " FROM order_lines WHERE code = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, clerk_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, at);
  return sc_db_step_done (seed->db, stmt, error);
}

/* A redemption earlier today by clerk 2 of store 1001. */
static gboolean
insert_redemption (Seed        *seed,
                   const char  *code,
                   const char  *kind,
                   gint64       bill_fen,
                   gint64       discount_fen,
                   GError     **error)
{
  return insert_redemption_by (seed, "1001", "2", code, kind, bill_fen, discount_fen, error);
}

typedef enum
{
  PICKUP_REDEEMABLE,
  PICKUP_REDEEMED,
  PICKUP_EXPIRED,
  PICKUP_NOT_YET_VALID,
  PICKUP_INVALIDATED,
  PICKUP_GIFTING,
  PICKUP_DELETED,
  PICKUP_OTHER_STORE,
} PickupKind;

static const struct
{
  PickupKind  kind;
  int         count;
  const char *note;
} pickup_plan[] = {
  { PICKUP_REDEEMABLE, 140, "pickup order, redeemable today" },
  { PICKUP_REDEEMED, 15, "pickup order, redeemed earlier today by clerk 2 (李强)" },
  { PICKUP_EXPIRED, 10, "pickup order, pickup window ended yesterday" },
  { PICKUP_NOT_YET_VALID, 10, "pickup order for tomorrow" },
  { PICKUP_INVALIDATED, 6, "pickup order cancelled by the merchant" },
  { PICKUP_GIFTING, 6, "pickup order being given to someone else" },
  { PICKUP_DELETED, 6, "pickup order deleted by the customer" },
  { PICKUP_OTHER_STORE, 8, "pickup order of store 1002 (东门自提点)" },
};

/* The customer of a pickup order: full and masked name. */
static void
pickup_customer (Seed  *seed,
                 char **out_name,
                 char **out_masked)
{
  const char *surname = sc_platform_seed_surname (seed->rand);
  const char *given = sc_platform_seed_given_name (seed->rand);
  gboolean long_name = g_rand_int_range (seed->rand, 0, 3) == 0;
  const char *given2 = sc_platform_seed_given_name (seed->rand);

  if (long_name)
    {
      *out_name = g_strconcat (surname, given, given2, NULL);
      *out_masked = g_strconcat (surname, "*", given2, NULL);
    }
  else
    {
      *out_name = g_strconcat (surname, given, NULL);
      *out_masked = g_strconcat (surname, "*", NULL);
    }
}

/* Up to @n_items lines of products (JSON text), and their total. */
static char *
pickup_items (Seed   *seed,
              int     n_items,
              gint64 *out_total)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) items = NULL;
  gboolean picked[SC_PLATFORM_SEED_N_PRODUCTS] = { FALSE, };

  *out_total = 0;
  json_builder_begin_array (b);
  for (int k = 0; k < n_items; k++)
    {
      int j = g_rand_int_range (seed->rand, 0, SC_PLATFORM_SEED_N_PRODUCTS);
      int quantity = g_rand_int_range (seed->rand, 1, 4);

      if (picked[j])
        continue;
      picked[j] = TRUE;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, sc_platform_seed_products[j].name);
      json_builder_set_member_name (b, "quantity");
      json_builder_add_int_value (b, quantity);
      json_builder_set_member_name (b, "price_fen");
      json_builder_add_int_value (b, sc_platform_seed_products[j].price_fen);
      json_builder_end_object (b);
      *out_total += quantity * sc_platform_seed_products[j].price_fen;
    }
  json_builder_end_array (b);
  items = json_builder_get_root (b);
  return json_to_string (items, FALSE);
}

static gboolean
seed_pickups (Seed    *seed,
              GError **error)
{
  g_autoptr(GPtrArray) tails = g_ptr_array_new_with_free_func (g_free);

  for (guint p = 0; p < G_N_ELEMENTS (pickup_plan); p++)
    for (int i = 0; i < pickup_plan[p].count; i++)
      {
        g_autofree char *items_json = NULL;
        g_autofree char *code = new_code (seed, '1', '3');
        g_autofree char *order_id = g_strdup_printf ("SO%06d", 100001 + seed->n_orders++);
        g_autofree char *name = NULL;
        g_autofree char *masked = NULL;
        g_autofree char *tail = NULL;
        int n_items;
        gint64 total = 0;
        CodeSpec c = { 0, };

        pickup_customer (seed, &name, &masked);
        n_items = g_rand_int_range (seed->rand, 1, 5);

        /* About one order in six shares its phone tail with an earlier one. */
        if (tails->len > 3 && g_rand_int_range (seed->rand, 0, 6) == 0)
          tail = g_strdup (g_ptr_array_index (tails, g_rand_int_range (seed->rand, 0,
                                                                       tails->len)));
        else
          tail = g_strdup_printf ("%04d", g_rand_int_range (seed->rand, 0, 10000));
        g_ptr_array_add (tails, g_strdup (tail));
        items_json = pickup_items (seed, n_items, &total);

        c.code = code;
        c.kind = "pickup";
        c.store_id = pickup_plan[p].kind == PICKUP_OTHER_STORE ? "1002" : "1001";
        c.note = pickup_plan[p].note;
        c.order_id = order_id;
        c.customer_name = name;
        c.customer_masked = masked;
        c.phone_tail = tail;
        c.total_fen = total;
        c.items = items_json;
        c.has_from = c.has_until = TRUE;
        c.valid_from = seed->today - DAY_S;
        c.valid_until = seed->today + 3 * DAY_S - 1;

        switch (pickup_plan[p].kind)
          {
          case PICKUP_EXPIRED:
            c.valid_from = seed->today - 4 * DAY_S;
            c.valid_until = seed->today - DAY_S - 1;
            break;
          case PICKUP_NOT_YET_VALID:
            c.valid_from = seed->today + DAY_S;
            c.valid_until = seed->today + 4 * DAY_S - 1;
            break;
          case PICKUP_INVALIDATED:
            c.state = "invalidated";
            break;
          case PICKUP_GIFTING:
            c.state = "gifting";
            break;
          case PICKUP_DELETED:
            c.state = "deleted";
            break;
          case PICKUP_REDEEMABLE:
          case PICKUP_REDEEMED:
          case PICKUP_OTHER_STORE:
          default:
            break;
          }

        if (!insert_code (seed, &c, error))
          return FALSE;
        if (pickup_plan[p].kind == PICKUP_REDEEMED &&
            !insert_redemption (seed, code, "pickup", -1, -1, error))
          return FALSE;
      }

  return TRUE;
}

typedef enum
{
  COUPON_REDEEMABLE,
  COUPON_REDEEMED,
  COUPON_EXPIRED,
  COUPON_NOT_YET_VALID,
  COUPON_INVALIDATED,
  COUPON_GIFTING,
  COUPON_DELETED,
  COUPON_OTHER_STORE,
} CouponState;

static const struct
{
  CouponState  state;
  int          count;
  const char  *type;
  const char  *title;
  gint64       value_fen;
  gint64       min_spend_fen;
  int          percent_off;
  gint64       cap_fen;
  gboolean     realtime_only;
  const char  *note;
} coupon_plan[] = {
  { COUPON_REDEEMABLE, 4, "cash", "立减5元", 500, 0, 0, 0, FALSE,
    "coupon cash: 500 fen off" },
  { COUPON_REDEEMABLE, 4, "threshold", "满100减20", 2000, 10000, 0, 0, FALSE,
    "coupon threshold: 2000 fen off a bill of at least 10000 fen" },
  { COUPON_REDEEMABLE, 4, "discount", "88折 最高减30元", 0, 0, 12, 3000, FALSE,
    "coupon discount: 12% off, at most 3000 fen" },
  { COUPON_REDEEMABLE, 3, "discount", "9折", 0, 0, 10, 0, FALSE,
    "coupon discount: 10% off, no cap" },
  { COUPON_REDEEMABLE, 4, "cash", "实时立减10元", 1000, 0, 0, 0, TRUE,
    "real-time coupon cash 1000 fen: needs a live token" },
  { COUPON_REDEEMABLE, 2, "discount", "实时95折", 0, 0, 5, 0, TRUE,
    "real-time coupon discount 5%: needs a live token" },
  { COUPON_REDEEMED, 3, "cash", "立减5元", 500, 0, 0, 0, FALSE,
    "coupon redeemed earlier today by clerk 2 (李强)" },
  { COUPON_EXPIRED, 3, "threshold", "满50减5", 500, 5000, 0, 0, FALSE,
    "coupon expired yesterday" },
  { COUPON_NOT_YET_VALID, 3, "cash", "明日立减3元", 300, 0, 0, 0, FALSE,
    "coupon valid from tomorrow" },
  { COUPON_INVALIDATED, 3, "cash", "立减8元", 800, 0, 0, 0, FALSE,
    "coupon cancelled by the merchant" },
  { COUPON_GIFTING, 3, "discount", "95折", 0, 0, 5, 0, FALSE,
    "coupon being given to someone else" },
  { COUPON_DELETED, 3, "cash", "立减2元", 200, 0, 0, 0, FALSE,
    "coupon deleted by the customer" },
  { COUPON_OTHER_STORE, 4, "cash", "东门店立减5元", 500, 0, 0, 0, FALSE,
    "coupon of store 1002 (东门自提点)" },
};

static gboolean
seed_coupons (Seed    *seed,
              GError **error)
{
  for (guint p = 0; p < G_N_ELEMENTS (coupon_plan); p++)
    for (int i = 0; i < coupon_plan[p].count; i++)
      {
        g_autofree char *code = new_code (seed, '5', '6');
        CodeSpec c = { 0, };

        c.code = code;
        c.kind = "coupon";
        c.store_id = coupon_plan[p].state == COUPON_OTHER_STORE ? "1002" : "1001";
        c.note = coupon_plan[p].note;
        c.coupon_type = coupon_plan[p].type;
        c.title = coupon_plan[p].title;
        c.value_fen = coupon_plan[p].value_fen;
        c.min_spend_fen = coupon_plan[p].min_spend_fen;
        c.percent_off = coupon_plan[p].percent_off;
        c.cap_fen = coupon_plan[p].cap_fen;
        c.realtime_only = coupon_plan[p].realtime_only;
        c.has_from = c.has_until = TRUE;
        c.valid_from = seed->today - 7 * DAY_S;
        c.valid_until = seed->today + 30 * DAY_S - 1;

        switch (coupon_plan[p].state)
          {
          case COUPON_EXPIRED:
            c.valid_from = seed->today - 30 * DAY_S;
            c.valid_until = seed->today - 1;
            break;
          case COUPON_NOT_YET_VALID:
            c.valid_from = seed->today + DAY_S;
            break;
          case COUPON_INVALIDATED:
            c.state = "invalidated";
            break;
          case COUPON_GIFTING:
            c.state = "gifting";
            break;
          case COUPON_DELETED:
            c.state = "deleted";
            break;
          case COUPON_REDEEMABLE:
          case COUPON_REDEEMED:
          case COUPON_OTHER_STORE:
          default:
            break;
          }

        if (!insert_code (seed, &c, error))
          return FALSE;
        if (coupon_plan[p].state == COUPON_REDEEMED &&
            !insert_redemption (seed, code, "coupon", 3000, MIN (c.value_fen, 3000), error))
          return FALSE;
      }

  return TRUE;
}

static gboolean
insert_activity (Seed        *seed,
                 const char  *id,
                 const char  *name,
                 gint64       end_at,
                 int          claim_days,
                 GError     **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (seed->db, "INSERT INTO activities (id, name, end_at,"
                                                " claim_days) VALUES (?1, ?2, ?3, ?4)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, end_at);
  sqlite3_bind_int (stmt, 4, claim_days);
  return sc_db_step_done (seed->db, stmt, error);
}

static gboolean
insert_prize (Seed        *seed,
              const char  *store_id,
              const char  *activity_id,
              const char  *prize_name,
              const char  *person_id,
              const char  *note,
              char       **out_code,
              GError     **error)
{
  g_autofree char *code = new_code (seed, '8', '8');
  CodeSpec c = { 0, };

  c.code = code;
  c.kind = "prize";
  c.store_id = store_id;
  c.note = note;
  c.has_from = TRUE;
  c.valid_from = seed->today - 60 * DAY_S;
  c.activity_id = activity_id;
  c.prize_name = prize_name;
  c.person_id = person_id;
  if (!insert_code (seed, &c, error))
    return FALSE;
  if (out_code != NULL)
    *out_code = g_steal_pointer (&code);
  return TRUE;
}

/* The claim (C<person>) of winner P<person>'s prize @code, handed over. */
static gboolean
insert_prize_claim (Seed        *seed,
                    const char  *activity_id,
                    int          person,
                    const char  *code,
                    GError     **error)
{
  g_autofree char *claim_id = g_strdup_printf ("C%04d", person);
  g_autofree char *person_id = g_strdup_printf ("P%04d", person);
  sqlite3_stmt *stmt = sc_db_prepare (seed->db, "INSERT INTO prize_claims (id, activity_id,"
                                                " person_id, code, status, created_at)"
                                                " VALUES (?1, ?2, ?3, ?4, 'handed_over', ?5)",
                                      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, claim_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, activity_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, person_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, seed->today - 3600);
  return sc_db_step_done (seed->db, stmt, error);
}

typedef enum
{
  PRIZE_OPEN,       /* a voucher, not redeemed */
  PRIZE_REDEEMED,   /* redeemed earlier today by clerk 2 */
  PRIZE_CLAIMED,    /* redeemed and claimed, and the winner's second voucher */
} PrizeFate;

static gboolean
seed_prizes (Seed    *seed,
             GError **error)
{
  static const char * const prize_names[] = {
    "九阳电饭煲", "五常大米 10斤", "不锈钢保温杯", "洗衣液套装",
  };
  /* One winner (person) a voucher, in this order. */
  static const struct
  {
    const char *store_id;
    const char *activity_id;
    int         winners;
    PrizeFate   fate;
    const char *note;
  } plan[] = {
    { "1001", "A2024SPRING", 5, PRIZE_OPEN,
      "prize voucher, claim window open (7 working days)" },
    { "1001", "A2024SPRING", 3, PRIZE_REDEEMED,
      "prize voucher redeemed earlier today by clerk 2 (李强)" },
    /* Winners who already claimed one prize of the draw: their second
     * voucher is not eligible. */
    { "1001", "A2024SPRING", 3, PRIZE_CLAIMED, "prize voucher already handed over (claimed)" },
    { "1001", "A2024NEWYEAR", 4, PRIZE_OPEN, "prize voucher, claim window closed" },
    { "1002", "A2024EAST", 3, PRIZE_OPEN, "prize voucher of store 1002 (东门自提点)" },
  };
  gint64 yesterday_evening = seed->today - DAY_S + 20 * 3600;
  int person = 1;

  if (!insert_activity (seed, "A2024SPRING", "春季幸运抽奖", yesterday_evening, 7, error) ||
      !insert_activity (seed, "A2024NEWYEAR", "元旦抽奖", seed->today - 30 * DAY_S, 7, error) ||
      !insert_activity (seed, "A2024EAST", "东门店庆抽奖", yesterday_evening, 7, error))
    return FALSE;

  for (guint p = 0; p < G_N_ELEMENTS (plan); p++)
    for (int i = 0; i < plan[p].winners; i++, person++)
      {
        g_autofree char *pid = g_strdup_printf ("P%04d", person);
        g_autofree char *code = NULL;

        if (!insert_prize (seed, plan[p].store_id, plan[p].activity_id, prize_names[i % 4], pid,
                           plan[p].note, &code, error))
          return FALSE;
        if (plan[p].fate != PRIZE_OPEN && !insert_redemption (seed, code, "prize", -1, -1, error))
          return FALSE;
        if (plan[p].fate == PRIZE_CLAIMED &&
            (!insert_prize (seed, plan[p].store_id, plan[p].activity_id,
                            prize_names[(i + 1) % 4], pid,
                            "prize voucher of a winner who already claimed in this draw",
                            NULL, error) ||
             !insert_prize_claim (seed, plan[p].activity_id, person, code, error)))
          return FALSE;
      }

  return TRUE;
}

/* Store 1002's codes in every state, so that a counter of store 1001 can
 * be shown to learn nothing about any of them (seeded last, so that the
 * codes above stay the same). */
static gboolean
seed_other_store (Seed    *seed,
                  GError **error)
{
  static const struct
  {
    const char *kind;
    const char *state;
    int         when;     /* 0 valid now, -1 ended yesterday, 1 from tomorrow */
    gboolean    redeemed;
    const char *note;
  } plan[] = {
    { "pickup", "deleted", 0, FALSE, "pickup order of store 1002, deleted by the customer" },
    { "pickup", "invalidated", 0, FALSE, "pickup order of store 1002, cancelled" },
    { "pickup", "gifting", 0, FALSE, "pickup order of store 1002, being given away" },
    { "pickup", NULL, 0, TRUE, "pickup order of store 1002, redeemed there" },
    { "pickup", NULL, -1, FALSE, "pickup order of store 1002, ended yesterday" },
    { "pickup", NULL, 1, FALSE, "pickup order of store 1002, for tomorrow" },
    { "coupon", "deleted", 0, FALSE, "coupon of store 1002, deleted by the customer" },
    { "coupon", "invalidated", 0, FALSE, "coupon of store 1002, cancelled" },
    { "coupon", "gifting", 0, FALSE, "coupon of store 1002, being given away" },
    { "coupon", NULL, 0, TRUE, "coupon of store 1002, redeemed there" },
    { "coupon", NULL, -1, FALSE, "coupon of store 1002, expired yesterday" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (plan); i++)
    {
      gboolean pickup = strcmp (plan[i].kind, "pickup") == 0;
      g_autofree char *code = pickup ? new_code (seed, '1', '3') : new_code (seed, '5', '6');
      g_autofree char *order_id = g_strdup_printf ("SO%06d", 100001 + seed->n_orders++);
      CodeSpec c = { 0, };

      c.code = code;
      c.kind = plan[i].kind;
      c.store_id = "1002";
      c.state = plan[i].state;
      c.note = plan[i].note;
      c.has_from = c.has_until = TRUE;
      c.valid_from = seed->today - DAY_S;
      c.valid_until = seed->today + 3 * DAY_S - 1;
      if (plan[i].when < 0)
        {
          c.valid_from = seed->today - 4 * DAY_S;
          c.valid_until = seed->today - 1;
        }
      else if (plan[i].when > 0)
        {
          c.valid_from = seed->today + DAY_S;
          c.valid_until = seed->today + 4 * DAY_S - 1;
        }
      if (pickup)
        {
          c.order_id = order_id;
          c.customer_name = "郑秀英";
          c.customer_masked = "郑*";
          c.phone_tail = "6688";
          c.total_fen = 2590;
          c.items = "[{\"name\":\"手工水饺 1kg\",\"quantity\":1,\"price_fen\":2590}]";
        }
      else
        {
          c.coupon_type = "cash";
          c.title = "东门店立减6元";
          c.value_fen = 600;
        }
      if (!insert_code (seed, &c, error))
        return FALSE;
      if (plan[i].redeemed &&
          !insert_redemption_by (seed, "1002", "1", code, plan[i].kind, pickup ? -1 : 3000,
                                 pickup ? -1 : 600, error))
        return FALSE;
    }
  return TRUE;
}

/* Households of store 1001 (issue 12): several orders under one phone
 * tail, two households sharing a tail, orders of several lines, one
 * partially picked up and one with a line marked damaged. Their codes
 * start with 39999 (after every other demo code) and their order ids with
 * SO9, so that the codes above stay as they were. */
static gboolean
seed_households (Seed    *seed,
                 GError **error)
{
  static const struct
  {
    const char *order_id;
    const char *name;
    const char *masked;
    const char *tail;
    const char *items;
    gint64      total_fen;
    int         fate;      /* 0 open, 1 line 1 picked, 2 line 2 marked damaged */
    const char *note;
  } plan[] = {
    { "SO900001", "王小明", "王*明", "5201",
      "[{\"name\":\"土鸡蛋 30枚\",\"quantity\":1,\"price_fen\":2890},"
      "{\"name\":\"鲜牛奶 1L\",\"quantity\":2,\"price_fen\":1390}]", 5670, 0,
      "household 王*明 (tail 5201), order 1 of 3: 2 lines" },
    { "SO900002", "王小明", "王*明", "5201",
      "[{\"name\":\"番茄 1kg\",\"quantity\":2,\"price_fen\":890},"
      "{\"name\":\"黄瓜 500g\",\"quantity\":3,\"price_fen\":390},"
      "{\"name\":\"老豆腐 2盒\",\"quantity\":1,\"price_fen\":590}]", 3540, 0,
      "household 王*明 (tail 5201), order 2 of 3: 3 lines" },
    { "SO900003", "王小明", "王*明", "5201",
      "[{\"name\":\"五常大米 10斤\",\"quantity\":1,\"price_fen\":5990},"
      "{\"name\":\"花生油 5L\",\"quantity\":1,\"price_fen\":8990},"
      "{\"name\":\"生菜 400g\",\"quantity\":2,\"price_fen\":350},"
      "{\"name\":\"猪肋排 500g\",\"quantity\":2,\"price_fen\":3290}]", 22260, 1,
      "household 王*明 (tail 5201), order 3 of 3: 4 lines, line 1 picked up (partially)" },
    { "SO900004", "李建华", "李*华", "5201",
      "[{\"name\":\"红富士苹果 5斤\",\"quantity\":1,\"price_fen\":2990},"
      "{\"name\":\"海南香蕉 3斤\",\"quantity\":1,\"price_fen\":1290}]", 4280, 0,
      "household 李*华, sharing tail 5201 with 王*明: 2 lines" },
    { "SO900005", "李建华", "李*华", "5201",
      "[{\"name\":\"冰鲜三文鱼 200g\",\"quantity\":1,\"price_fen\":4590},"
      "{\"name\":\"散养鸭蛋 12枚\",\"quantity\":2,\"price_fen\":1890},"
      "{\"name\":\"云南蓝莓 125g×4\",\"quantity\":1,\"price_fen\":3990},"
      "{\"name\":\"砂糖橘 5斤\",\"quantity\":1,\"price_fen\":2490},"
      "{\"name\":\"手工水饺 1kg\",\"quantity\":1,\"price_fen\":2590}]", 17440, 2,
      "household 李*华 (tail 5201): 5 lines, line 2 marked damaged (1 of 2)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (plan); i++)
    {
      char code[SC_CODE_LENGTH + 1];
      CodeSpec c = { 0, };

      g_snprintf (code, sizeof code, "3999990000%u", i);
      code[SC_CODE_LENGTH - 1] = sc_code_luhn_check_digit (code, SC_CODE_LENGTH - 1);
      code[SC_CODE_LENGTH] = '\0';

      c.code = code;
      c.kind = "pickup";
      c.store_id = "1001";
      c.note = plan[i].note;
      c.order_id = plan[i].order_id;
      c.customer_name = plan[i].name;
      c.customer_masked = plan[i].masked;
      c.phone_tail = plan[i].tail;
      c.total_fen = plan[i].total_fen;
      c.items = plan[i].items;
      c.has_from = c.has_until = TRUE;
      c.valid_from = seed->today - DAY_S + (gint64) i * 60;
      c.valid_until = seed->today + 3 * DAY_S - 1;
      if (!insert_code (seed, &c, error))
        return FALSE;

      if (plan[i].fate == 1 &&
          (!insert_redemption (seed, code, "pickup", -1, -1, error) ||
           !sc_db_exec (seed->db,
                        "UPDATE codes SET redemption_id = NULL WHERE code LIKE '39999900002_';"
                        "UPDATE redemptions SET partial = 1 WHERE code LIKE '39999900002_';"
                        "DELETE FROM line_events WHERE code LIKE '39999900002_'"
                        " AND kind = 'picked' AND line_id != '1';", error)))
        return FALSE;
      if (plan[i].fate == 2 &&
          !sc_db_exec (seed->db,
                       "INSERT INTO line_events (code, line_id, kind, qty, store_id, clerk_id,"
                       " at, reason, note) SELECT code, '2', 'missing', 1, '1001', '2',"
                       " valid_from + 3600, 'damaged', '蛋壳破裂' FROM codes"
                       " WHERE code LIKE '39999900004_';", error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
bump_all_versions (ScDb    *db,
                   GError **error)
{
  return sc_db_exec (db,
                     "UPDATE counters SET value = value + 1 WHERE name = 'code_version';"
                     "UPDATE codes SET version ="
                     " (SELECT value FROM counters WHERE name = 'code_version');",
                     error);
}

static gboolean
set_seed_day (ScDb    *db,
              gint64   today,
              GError **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, "INSERT OR REPLACE INTO meta (key, value)"
                                          " VALUES ('seed_day', ?1)", error);
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, today);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  return sc_db_step_done (db, stmt, error);
}

static gboolean
seed_stores (Seed    *seed,
             GError **error)
{
  static const struct { const char *id; const char *name; } stores[] = {
    { "1001", "示范自提点" },
    { "1002", "东门自提点" },
  };
  /* PIN 1234, hashed beforehand (sc_platform_pin_hash_new) so that
   * seeding stays fast; each clerk has its own salt. */
  static const struct
  {
    const char *store;
    const char *id;
    const char *name;
    const char *pin_hash;
  } clerks[] = {
    { "1001", "1", "王芳",
      "pbkdf2-sha256$20000$65a1b5bd61631be0aec9a04a63d773b2$"
      "c9f3a34470da6a83f159cefe0eb4df88a4369ef6254128c40e5767ac6bfe8c28" },
    { "1001", "2", "李强",
      "pbkdf2-sha256$20000$b7f840267d6d729c81d441d5d07895f7$"
      "fa9c542c62f0b966875a75fdb49655148309c24c7ba66d7727776090d4a002f4" },
    { "1002", "1", "赵敏",
      "pbkdf2-sha256$20000$50f54611289e74405eb492c68a9f488a$"
      "04b2777356957c2e57e24f6426976b0dd0f6f1ed94f26ab64fbe2e3f8d03f367" },
  };
  sqlite3_stmt *stmt;

  for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
    {
      g_autofree char *salt = sc_platform_random_hex (16);

      stmt = sc_db_prepare (seed->db, "INSERT OR IGNORE INTO stores (id, name, timezone, salt)"
                                      " VALUES (?1, ?2, 'Asia/Shanghai', ?3)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, stores[i].id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, stores[i].name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, salt, -1, SQLITE_TRANSIENT);
      if (!sc_db_step_done (seed->db, stmt, error))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (clerks); i++)
    {
      stmt = sc_db_prepare (seed->db, "INSERT OR IGNORE INTO clerks (store_id, id, name,"
                                      " pin_hash) VALUES (?1, ?2, ?3, ?4)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 4, clerks[i].pin_hash, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 1, clerks[i].store, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, clerks[i].id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, clerks[i].name, -1, SQLITE_STATIC);
      if (!sc_db_step_done (seed->db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
sc_platform_seed_demo_insert (ScDb    *db,
                              gint64   now,
                              GError **error)
{
  g_autoptr(GTimeZone) tz = sc_platform_store_timezone ();
  g_auto(Seed) seed = { 0, };

  g_return_val_if_fail (sc_db_is_db_thread (db), FALSE);

  seed.db = db;
  seed.rand = g_rand_new_with_seed (SEED);
  seed.used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  seed.now = now;
  seed.today = sc_time_day_start (tz, now, NULL);

  if (!sc_db_exec (db,
                   "DELETE FROM idempotency;"
                   "DELETE FROM prize_claims;"
                   "UPDATE codes SET redemption_id = NULL;"
                   "DELETE FROM redemptions;"
                   "DELETE FROM codes;"
                   "DELETE FROM activities;",
                   error))
    return FALSE;

  return seed_stores (&seed, error) &&
         seed_pickups (&seed, error) &&
         seed_coupons (&seed, error) &&
         seed_prizes (&seed, error) &&
         seed_other_store (&seed, error) &&
         seed_households (&seed, error) &&
         set_seed_day (db, seed.today, error) &&
         bump_all_versions (db, error);
}

/* What moves with the days (?1: the shift, ?2: now): redemptions and line
 * records too, but never into the future or the undo window. */
static const char * const shifts[] = {
  "UPDATE codes SET valid_from = valid_from + ?1, valid_until = valid_until + ?1,"
  " created_at = created_at + ?1",
  "UPDATE redemptions SET scanned_at = MIN (scanned_at + ?1, ?2 - 603),"
  " redeemed_at = MIN (redeemed_at + ?1, ?2 - 600),"
  " reversed_at = MIN (reversed_at + ?1, ?2 - 600)",
  "UPDATE line_events SET at = MIN (at + ?1, ?2 - 600)",
  "UPDATE activities SET end_at = end_at + ?1",
  "UPDATE prize_claims SET created_at = created_at + ?1",
};

gboolean
sc_platform_seed_redate (ScDb    *db,
                         gint64   now,
                         GError **error)
{
  g_autoptr(GTimeZone) tz = sc_platform_store_timezone ();
  gint64 today = sc_time_day_start (tz, now, NULL);
  sqlite3_stmt *stmt;
  gint64 seed_day;
  gint64 shift;
  int rc;

  g_return_val_if_fail (sc_db_is_db_thread (db), FALSE);

  stmt = sc_db_prepare (db, "SELECT value FROM meta WHERE key = 'seed_day'", error);
  if (stmt == NULL)
    return FALSE;
  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc != SQLITE_ROW)
    {
      /* Not a demo database: leave it alone. */
      sqlite3_reset (stmt);
      return TRUE;
    }
  seed_day = g_ascii_strtoll ((const char *) sqlite3_column_text (stmt, 0), NULL, 10);
  sqlite3_reset (stmt);

  /* Whole days; Asia/Shanghai has no DST. */
  shift = ((today - seed_day) / DAY_S) * DAY_S;
  if (shift == 0)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (shifts); i++)
    {
      stmt = sc_db_prepare (db, shifts[i], error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, shift);
      if (sqlite3_bind_parameter_count (stmt) > 1)
        sqlite3_bind_int64 (stmt, 2, now);
      if (!sc_db_step_done (db, stmt, error))
        return FALSE;
    }

  return set_seed_day (db, today, error) && bump_all_versions (db, error);
}
