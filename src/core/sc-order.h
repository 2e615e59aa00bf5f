/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sc-types.h"

G_BEGIN_DECLS

/*
 * sc-order: a pickup order as `GET /v1/orders` and `GET /v1/orders/{id}`
 * answer it (docs/platform-api.md, "Orders and lines"): ScOrder with its
 * lines (ScOrderLine) and, for one order, its timeline (ScOrderEvent).
 * Read with sc-json-reader: every error names the member's path.
 */

/**
 * ScOrderStatus: an order's own status (the code's verdict is apart:
 * "code-status"). Wire names: sc_order_status_to_string.
 */
typedef enum
{
  SC_ORDER_STATUS_OPEN,                 /* "open"                待提货 */
  SC_ORDER_STATUS_PARTIALLY_PICKED_UP,  /* "partially_picked_up" 部分提货 */
  SC_ORDER_STATUS_PICKED_UP,            /* "picked_up"           已提货 */
  SC_ORDER_STATUS_EXPIRED,              /* "expired"             已过期 */
  SC_ORDER_STATUS_CANCELLED,            /* "cancelled"           已取消 */
  SC_ORDER_STATUS_MISSING_ITEMS,        /* "missing_items"       缺货/破损 */
  SC_ORDER_STATUS_LAST
} ScOrderStatus;

#define SC_TYPE_ORDER_STATUS (sc_order_status_get_type ())
GType       sc_order_status_get_type    (void) G_GNUC_CONST;
const char *sc_order_status_to_string   (ScOrderStatus  status);
gboolean    sc_order_status_from_string (const char    *str,
                                         ScOrderStatus *out_status);
/* Translated, for people: "Partially picked up" / "部分提货". */
const char *sc_order_status_get_label   (ScOrderStatus  status);

/*
 * ScOrderLine: one line of an order. The same struct is a lookup's
 * ScOrderItem (sc-verdict.h), whose line members an older platform may
 * omit: then line_id is NULL and remaining_qty is the quantity.
 */
struct _ScOrderLine
{
  char   *line_id;        /* (owned) (nullable for an older platform's item) */
  char   *name;           /* (owned) (nullable) */
  int     quantity;       /* as ordered */
  gint64  price_fen;      /* unit price */
  int     picked_qty;     /* handed over (redemptions not reversed) */
  int     missing_qty;    /* marked missing or damaged */
  int     remaining_qty;  /* still to hand over */
};
typedef struct _ScOrderLine ScOrderLine;

#define SC_TYPE_ORDER_LINE (sc_order_line_get_type ())
GType        sc_order_line_get_type (void) G_GNUC_CONST;
ScOrderLine *sc_order_line_copy     (const ScOrderLine *line);
void         sc_order_line_free     (ScOrderLine       *line);

/* Reads one line object at @path. @strict: line_id, name, quantity,
 * price_fen and the three quantities are required (an order answer);
 * otherwise all are optional (a lookup's items, from any platform). */
ScOrderLine *sc_order_line_read     (JsonObject        *object,
                                     const char        *path,
                                     gboolean           strict,
                                     GError           **error);
/* Reads the array @name of @object (at @path) into @lines (element-type
 * ScOrderLine); a missing array is an error only when @strict. */
gboolean     sc_order_lines_read    (JsonObject        *object,
                                     const char        *path,
                                     const char        *name,
                                     gboolean           strict,
                                     GPtrArray         *lines,
                                     GError           **error);
/* The line as the platform writes it, members of an older platform's item
 * (line_id NULL) left out but name, quantity and price. */
void         sc_order_line_write    (const ScOrderLine *line,
                                     JsonBuilder       *builder);

/* {line_id, qty}: what a redemption took or a mark marked of one line. */
typedef struct
{
  char *line_id;  /* (owned) */
  int   qty;
} ScLineQty;

#define SC_TYPE_LINE_QTY (sc_line_qty_get_type ())
GType      sc_line_qty_get_type (void) G_GNUC_CONST;
ScLineQty *sc_line_qty_new      (const char      *line_id,
                                 int              qty);
ScLineQty *sc_line_qty_copy     (const ScLineQty *line_qty);
void       sc_line_qty_free     (ScLineQty       *line_qty);
/* A new array of ScLineQty (with its free function). */
GPtrArray *sc_line_qtys_new     (void);
/* A deep copy of @lines (nullable: NULL). */
GPtrArray *sc_line_qtys_copy    (GPtrArray       *lines);
/* The member "lines" of @object (at @path), optional, into @into. */
gboolean   sc_line_qtys_read    (JsonObject      *object,
                                 const char      *path,
                                 GPtrArray       *into,
                                 GError         **error);
/* [{line_id, qty}, …] (transfer full) */
JsonArray *sc_line_qtys_to_json (GPtrArray       *lines);
/* The same as JSON text, and back (NULL for text that is not such an
 * array). (transfer full) */
char      *sc_line_qtys_to_text   (GPtrArray     *lines);
GPtrArray *sc_line_qtys_from_text (const char    *text);
/* "LINE:QTY[,LINE:QTY…]" (the CLI's --lines): each line once, QTY from 1.
 * (transfer full) (nullable): NULL with a G_OPTION_ERROR_BAD_VALUE. */
GPtrArray *sc_line_qtys_parse     (const char    *text,
                                   GError       **error);

/* Why a line is marked instead of handed over (缺货 / 破损). */
typedef enum
{
  SC_MISSING_REASON_MISSING,  /* "missing" */
  SC_MISSING_REASON_DAMAGED,  /* "damaged" */
} ScMissingReason;

typedef enum
{
  SC_ORDER_EVENT_CREATED,         /* "created" */
  SC_ORDER_EVENT_PICKED_UP,       /* "picked_up": a redemption that left no line */
  SC_ORDER_EVENT_PARTIAL_PICKUP,  /* "partial_pickup": one that left lines */
  SC_ORDER_EVENT_REVERSED,        /* "reversed": the undo of a redemption */
  SC_ORDER_EVENT_MISSING,         /* "missing": a missing or damaged mark */
  SC_ORDER_EVENT_LAST
} ScOrderEventKind;

const char *sc_order_event_kind_to_string (ScOrderEventKind kind);

/* One entry of an order's timeline. */
typedef struct
{
  GDateTime        *at;             /* (owned) */
  ScOrderEventKind  kind;
  GPtrArray        *lines;          /* (owned) (element-type ScLineQty), maybe empty */
  char             *clerk_id;       /* (owned) (nullable) */
  char             *clerk_name;     /* (owned) (nullable) */
  char             *store_id;       /* (owned) (nullable) */
  char             *redemption_id;  /* (owned) (nullable) */
  char             *reason;         /* (owned) (nullable) "missing" | "damaged" */
  char             *note;           /* (owned) (nullable) */
} ScOrderEvent;

#define SC_TYPE_ORDER_EVENT (sc_order_event_get_type ())
GType         sc_order_event_get_type (void) G_GNUC_CONST;
ScOrderEvent *sc_order_event_copy     (const ScOrderEvent *event);
void          sc_order_event_free     (ScOrderEvent       *event);

/**
 * ScOrder: one order, immutable. Read-only properties: "order-id",
 * "status" (ScOrderStatus), "code" (nullable), "code-status" (the code's
 * verdict wire name, nullable), "customer-masked", "phone-tail",
 * "recipient-id" (nullable), "total-fen", "created-at", "valid-from",
 * "valid-until" (GDateTime, nullable).
 */
#define SC_TYPE_ORDER (sc_order_get_type ())
G_DECLARE_FINAL_TYPE (ScOrder, sc_order, SC, ORDER, GObject)

/* An order answer (docs/platform-api.md): order_id, status,
 * customer_masked, phone_tail, total_fen and items are required; the
 * timeline is read when present. Errors: SC_JSON_READER_ERROR with the
 * member's path ("items[1].remaining_qty"). */
ScOrder       *sc_order_new_from_json      (JsonObject  *object,
                                            GError     **error);
/* The order as the platform's answer has it (with "timeline" when it has
 * one), plus "status_label" (translated): the CLI's `--json`. */
JsonNode      *sc_order_to_json            (ScOrder     *self);

const char    *sc_order_get_order_id       (ScOrder     *self);
ScOrderStatus  sc_order_get_status         (ScOrder     *self);
const char    *sc_order_get_code           (ScOrder     *self);
const char    *sc_order_get_code_status    (ScOrder     *self);
const char    *sc_order_get_customer_masked (ScOrder    *self);
const char    *sc_order_get_phone_tail     (ScOrder     *self);
const char    *sc_order_get_recipient_id   (ScOrder     *self);
gint64         sc_order_get_total_fen      (ScOrder     *self);
GDateTime     *sc_order_get_created_at     (ScOrder     *self);
GDateTime     *sc_order_get_valid_from     (ScOrder     *self);
GDateTime     *sc_order_get_valid_until    (ScOrder     *self);
/* (transfer none) (element-type ScOrderLine) */
GPtrArray     *sc_order_get_lines          (ScOrder     *self);
/* (transfer none) (nullable) (element-type ScOrderEvent): only for an
 * order read from `GET /v1/orders/{id}`. */
GPtrArray     *sc_order_get_timeline       (ScOrder     *self);
/* The sum of the lines' remaining quantities. */
int            sc_order_get_remaining_qty  (ScOrder     *self);

/* The filters of `GET /v1/orders`; every member optional. */
typedef struct
{
  char  *q;         /* (owned) (nullable) text: code, order id, name, tail */
  char  *tail;      /* (owned) (nullable) exactly 4 digits */
  guint  statuses;  /* 1 << ScOrderStatus for each status asked; 0 = all */
  char  *from;      /* (owned) (nullable) store day "YYYY-MM-DD" */
  char  *to;        /* (owned) (nullable) store day "YYYY-MM-DD" */
} ScOrderQuery;

ScOrderQuery *sc_order_query_new  (void);
void          sc_order_query_free (ScOrderQuery *query);
/* The query string ("q=…&status=open,expired"), escaped; "" for none. */
char         *sc_order_query_to_string (const ScOrderQuery *query);
/* TRUE when @day is a real "YYYY-MM-DD" date. */
gboolean      sc_order_day_is_valid    (const char *day);

/* One page of orders. */
typedef struct
{
  GPtrArray *orders;       /* (owned) (element-type ScOrder) */
  char      *next_cursor;  /* (owned) (nullable): NULL on the last page */
} ScOrderPage;

void          sc_order_page_free  (ScOrderPage *page);
/* A page answer {orders[], next_cursor}; errors as sc_order_new_from_json
 * with paths "orders[3].status". */
ScOrderPage  *sc_order_page_new_from_json (JsonObject  *object,
                                           GError     **error);

/* One household: the orders of one recipient (recipient_id; the masked
 * name when the platform sends no id). */
typedef struct
{
  char      *recipient_id;     /* (owned) (nullable) */
  char      *customer_masked;  /* (owned) */
  char      *phone_tail;       /* (owned) */
  GPtrArray *orders;           /* (owned) (element-type ScOrder) newest first */
} ScHousehold;

void          sc_household_free   (ScHousehold *household);
/* @orders (element-type ScOrder), newest first, grouped by recipient: the
 * households in the order of their newest order.
 * Returns: (transfer full) (element-type ScHousehold) */
GPtrArray    *sc_household_group  (GPtrArray   *orders);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScOrderLine, sc_order_line_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScLineQty, sc_line_qty_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScOrderEvent, sc_order_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScOrderQuery, sc_order_query_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScOrderPage, sc_order_page_free)

G_END_DECLS
