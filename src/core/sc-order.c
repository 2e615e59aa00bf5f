/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-order.c: ScOrder, its lines and timeline, read from the platform's
 * order answers with sc-json-reader and written back for `--json`. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sc-json-reader.h"
#include "sc-names.h"
#include "sc-order.h"
#include "sc-verdict.h"

/* ------------------------------------------------------------------------ */
/* Status                                                                    */

static const char * const status_names[] = {
  [SC_ORDER_STATUS_OPEN]                = "open",
  [SC_ORDER_STATUS_PARTIALLY_PICKED_UP] = "partially_picked_up",
  [SC_ORDER_STATUS_PICKED_UP]           = "picked_up",
  [SC_ORDER_STATUS_EXPIRED]             = "expired",
  [SC_ORDER_STATUS_CANCELLED]           = "cancelled",
  [SC_ORDER_STATUS_MISSING_ITEMS]       = "missing_items",
};

G_STATIC_ASSERT (G_N_ELEMENTS (status_names) == SC_ORDER_STATUS_LAST);

G_DEFINE_ENUM_TYPE (ScOrderStatus, sc_order_status,
  G_DEFINE_ENUM_VALUE (SC_ORDER_STATUS_OPEN, "open"),
  G_DEFINE_ENUM_VALUE (SC_ORDER_STATUS_PARTIALLY_PICKED_UP, "partially-picked-up"),
  G_DEFINE_ENUM_VALUE (SC_ORDER_STATUS_PICKED_UP, "picked-up"),
  G_DEFINE_ENUM_VALUE (SC_ORDER_STATUS_EXPIRED, "expired"),
  G_DEFINE_ENUM_VALUE (SC_ORDER_STATUS_CANCELLED, "cancelled"),
  G_DEFINE_ENUM_VALUE (SC_ORDER_STATUS_MISSING_ITEMS, "missing-items"))

const char *
sc_order_status_to_string (ScOrderStatus status)
{
  if ((guint) status >= G_N_ELEMENTS (status_names))
    return NULL;

  return status_names[status];
}

gboolean
sc_order_status_from_string (const char    *str,
                             ScOrderStatus *out_status)
{
  int i = sc_names_find (status_names, G_N_ELEMENTS (status_names), str);

  if (i < 0)
    return FALSE;
  if (out_status != NULL)
    *out_status = (ScOrderStatus) i;
  return TRUE;
}

const char *
sc_order_status_get_label (ScOrderStatus status)
{
  switch (status)
    {
    case SC_ORDER_STATUS_OPEN:
      /* Translators: an order's status: nothing handed over yet */
      return C_("order status", "Open");
    case SC_ORDER_STATUS_PARTIALLY_PICKED_UP:
      return C_("order status", "Partially picked up");
    case SC_ORDER_STATUS_PICKED_UP:
      return C_("order status", "Picked up");
    case SC_ORDER_STATUS_EXPIRED:
      return C_("order status", "Expired");
    case SC_ORDER_STATUS_CANCELLED:
      return C_("order status", "Cancelled");
    case SC_ORDER_STATUS_MISSING_ITEMS:
      /* Translators: an order closed with items marked missing or damaged */
      return C_("order status", "Missing items");
    case SC_ORDER_STATUS_LAST:
    default:
      return NULL;
    }
}

/* ------------------------------------------------------------------------ */
/* Lines                                                                     */

ScOrderLine *
sc_order_line_copy (const ScOrderLine *line)
{
  ScOrderLine *copy = g_new0 (ScOrderLine, 1);

  *copy = *line;
  copy->line_id = g_strdup (line->line_id);
  copy->name = g_strdup (line->name);
  return copy;
}

void
sc_order_line_free (ScOrderLine *line)
{
  if (line == NULL)
    return;

  g_free (line->line_id);
  g_free (line->name);
  g_free (line);
}

G_DEFINE_BOXED_TYPE (ScOrderLine, sc_order_line, sc_order_line_copy, sc_order_line_free)

static gboolean
read_qty (JsonObject  *object,
          const char  *path,
          const char  *name,
          ScJsonFlags  flags,
          int         *out,
          GError     **error)
{
  gint64 value = *out;

  if (!sc_json_read_int (object, path, name, flags, 0, G_MAXINT, NULL, &value, error))
    return FALSE;
  *out = (int) value;
  return TRUE;
}

ScOrderLine *
sc_order_line_read (JsonObject  *object,
                    const char  *path,
                    gboolean     strict,
                    GError     **error)
{
  g_autoptr(ScOrderLine) line = g_new0 (ScOrderLine, 1);
  ScJsonFlags flags = strict ? SC_JSON_REQUIRED : SC_JSON_OPTIONAL;
  gboolean has_remaining = FALSE;
  gint64 remaining = 0;

  if (!sc_json_read_string_dup (object, path, "line_id", flags | SC_JSON_NON_EMPTY,
                                &line->line_id, error)
      || !sc_json_read_string_dup (object, path, "name", flags, &line->name, error)
      || !read_qty (object, path, "quantity", flags, &line->quantity, error)
      || !sc_json_read_int (object, path, "price_fen", flags, 0, G_MAXINT64, NULL,
                            &line->price_fen, error)
      || !read_qty (object, path, "picked_qty", flags, &line->picked_qty, error)
      || !read_qty (object, path, "missing_qty", flags, &line->missing_qty, error)
      || !sc_json_read_int (object, path, "remaining_qty", flags, 0, G_MAXINT,
                            &has_remaining, &remaining, error))
    return NULL;

  /* An older platform's item says nothing of what is left: all of it. */
  line->remaining_qty = has_remaining ? (int) remaining : line->quantity;
  return g_steal_pointer (&line);
}

gboolean
sc_order_lines_read (JsonObject  *object,
                     const char  *path,
                     const char  *name,
                     gboolean     strict,
                     GPtrArray   *lines,
                     GError     **error)
{
  g_autofree char *array_path = sc_json_path_member (path, name);
  JsonArray *array = NULL;

  if (!sc_json_read_array (object, path, name, strict ? SC_JSON_REQUIRED : SC_JSON_OPTIONAL,
                           &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *line_path = sc_json_path_index (array_path, i);
      JsonObject *line_object = NULL;
      ScOrderLine *line;

      if (!sc_json_array_get_object (array, array_path, i, &line_object, error))
        return FALSE;
      line = sc_order_line_read (line_object, line_path, strict, error);
      if (line == NULL)
        return FALSE;
      g_ptr_array_add (lines, line);
    }

  return TRUE;
}

void
sc_order_line_write (const ScOrderLine *line,
                     JsonBuilder       *builder)
{
  json_builder_begin_object (builder);
  sc_json_builder_add_string (builder, "line_id", line->line_id);
  sc_json_builder_add_string (builder, "name", line->name);
  sc_json_builder_add_int (builder, "quantity", line->quantity);
  sc_json_builder_add_int (builder, "price_fen", line->price_fen);
  if (line->line_id != NULL)
    {
      sc_json_builder_add_int (builder, "picked_qty", line->picked_qty);
      sc_json_builder_add_int (builder, "missing_qty", line->missing_qty);
      sc_json_builder_add_int (builder, "remaining_qty", line->remaining_qty);
    }
  json_builder_end_object (builder);
}

/* ------------------------------------------------------------------------ */
/* Line quantities and timeline entries                                      */

ScLineQty *
sc_line_qty_new (const char *line_id,
                 int         qty)
{
  ScLineQty *line_qty = g_new0 (ScLineQty, 1);

  line_qty->line_id = g_strdup (line_id);
  line_qty->qty = qty;
  return line_qty;
}

ScLineQty *
sc_line_qty_copy (const ScLineQty *line_qty)
{
  return sc_line_qty_new (line_qty->line_id, line_qty->qty);
}

void
sc_line_qty_free (ScLineQty *line_qty)
{
  if (line_qty == NULL)
    return;

  g_free (line_qty->line_id);
  g_free (line_qty);
}

G_DEFINE_BOXED_TYPE (ScLineQty, sc_line_qty, sc_line_qty_copy, sc_line_qty_free)

GPtrArray *
sc_line_qtys_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) sc_line_qty_free);
}

GPtrArray *
sc_line_qtys_copy (GPtrArray *lines)
{
  GPtrArray *copy;

  if (lines == NULL)
    return NULL;

  copy = sc_line_qtys_new ();
  for (guint i = 0; i < lines->len; i++)
    g_ptr_array_add (copy, sc_line_qty_copy (g_ptr_array_index (lines, i)));
  return copy;
}

JsonArray *
sc_line_qtys_to_json (GPtrArray *lines)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      const ScLineQty *line_qty = g_ptr_array_index (lines, i);
      JsonObject *entry = json_object_new ();

      json_object_set_string_member (entry, "line_id", line_qty->line_id);
      json_object_set_int_member (entry, "qty", line_qty->qty);
      json_array_add_object_element (array, entry);
    }
  return array;
}

char *
sc_line_qtys_to_text (GPtrArray *lines)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, sc_line_qtys_to_json (lines));
  return json_to_string (node, FALSE);
}

GPtrArray *
sc_line_qtys_from_text (const char *text)
{
  g_autofree char *wrapped = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GPtrArray) lines = NULL;

  if (text == NULL)
    return NULL;

  wrapped = g_strconcat ("{\"lines\": ", text, "}", NULL);
  object = sc_json_parse_object (wrapped, strlen (wrapped), 8, NULL);
  if (object == NULL)
    return NULL;
  lines = sc_line_qtys_new ();
  if (!sc_line_qtys_read (object, "", lines, NULL))
    return NULL;
  return g_steal_pointer (&lines);
}

GPtrArray *
sc_line_qtys_parse (const char  *text,
                    GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text != NULL ? text : "", ",", -1);
  g_autoptr(GPtrArray) lines = sc_line_qtys_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (g_strstrip (parts[i]), ":", 2);
      guint64 qty = 0;

      if (g_strv_length (pair) != 2 || pair[0][0] == '\0'
          || !g_ascii_string_to_unsigned (pair[1], 10, 1, 100000, &qty, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” is not LINE:QTY, such as 1:2"), parts[i]);
          return NULL;
        }
      for (guint j = 0; j < lines->len; j++)
        if (g_str_equal (((ScLineQty *) g_ptr_array_index (lines, j))->line_id, pair[0]))
          {
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         _("Line %s is named twice"), pair[0]);
            return NULL;
          }
      g_ptr_array_add (lines, sc_line_qty_new (pair[0], (int) qty));
    }
  if (lines->len == 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Name at least one line as LINE:QTY, such as 1:2"));
      return NULL;
    }
  return g_steal_pointer (&lines);
}

static const char * const event_kind_names[] = {
  [SC_ORDER_EVENT_CREATED]        = "created",
  [SC_ORDER_EVENT_PICKED_UP]      = "picked_up",
  [SC_ORDER_EVENT_PARTIAL_PICKUP] = "partial_pickup",
  [SC_ORDER_EVENT_REVERSED]       = "reversed",
  [SC_ORDER_EVENT_MISSING]        = "missing",
};

G_STATIC_ASSERT (G_N_ELEMENTS (event_kind_names) == SC_ORDER_EVENT_LAST);

const char *
sc_order_event_kind_to_string (ScOrderEventKind kind)
{
  if ((guint) kind >= G_N_ELEMENTS (event_kind_names))
    return NULL;

  return event_kind_names[kind];
}

ScOrderEvent *
sc_order_event_copy (const ScOrderEvent *event)
{
  ScOrderEvent *copy = g_new0 (ScOrderEvent, 1);

  copy->at = g_date_time_ref (event->at);
  copy->kind = event->kind;
  copy->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_line_qty_free);
  for (guint i = 0; i < event->lines->len; i++)
    g_ptr_array_add (copy->lines, sc_line_qty_copy (g_ptr_array_index (event->lines, i)));
  copy->clerk_id = g_strdup (event->clerk_id);
  copy->clerk_name = g_strdup (event->clerk_name);
  copy->store_id = g_strdup (event->store_id);
  copy->redemption_id = g_strdup (event->redemption_id);
  copy->reason = g_strdup (event->reason);
  copy->note = g_strdup (event->note);
  return copy;
}

void
sc_order_event_free (ScOrderEvent *event)
{
  if (event == NULL)
    return;

  g_clear_pointer (&event->at, g_date_time_unref);
  g_clear_pointer (&event->lines, g_ptr_array_unref);
  g_free (event->clerk_id);
  g_free (event->clerk_name);
  g_free (event->store_id);
  g_free (event->redemption_id);
  g_free (event->reason);
  g_free (event->note);
  g_free (event);
}

G_DEFINE_BOXED_TYPE (ScOrderEvent, sc_order_event, sc_order_event_copy, sc_order_event_free)

gboolean
sc_line_qtys_read (JsonObject  *object,
                   const char  *path,
                   GPtrArray   *into,
                   GError     **error)
{
  g_autofree char *array_path = sc_json_path_member (path, "lines");
  JsonArray *array = NULL;

  if (!sc_json_read_array (object, path, "lines", SC_JSON_OPTIONAL, &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *entry_path = sc_json_path_index (array_path, i);
      g_autoptr(ScLineQty) line_qty = g_new0 (ScLineQty, 1);
      JsonObject *entry = NULL;

      if (!sc_json_array_get_object (array, array_path, i, &entry, error)
          || !sc_json_read_string_dup (entry, entry_path, "line_id",
                                       SC_JSON_REQUIRED | SC_JSON_NON_EMPTY,
                                       &line_qty->line_id, error)
          || !read_qty (entry, entry_path, "qty", SC_JSON_REQUIRED, &line_qty->qty, error))
        return FALSE;
      g_ptr_array_add (into, g_steal_pointer (&line_qty));
    }

  return TRUE;
}

static ScOrderEvent *
read_event (JsonObject  *object,
            const char  *path,
            GError     **error)
{
  g_autoptr(ScOrderEvent) event = g_new0 (ScOrderEvent, 1);
  int kind = 0;

  event->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_line_qty_free);
  if (!sc_json_read_time (object, path, "at", SC_JSON_REQUIRED, &event->at, error)
      || !sc_json_read_enum (object, path, "kind", SC_JSON_REQUIRED, event_kind_names,
                             G_N_ELEMENTS (event_kind_names), &kind, error)
      || !sc_line_qtys_read (object, path, event->lines, error)
      || !sc_json_read_string_dup (object, path, "clerk_id", SC_JSON_OPTIONAL,
                                   &event->clerk_id, error)
      || !sc_json_read_string_dup (object, path, "clerk_name", SC_JSON_OPTIONAL,
                                   &event->clerk_name, error)
      || !sc_json_read_string_dup (object, path, "store_id", SC_JSON_OPTIONAL,
                                   &event->store_id, error)
      || !sc_json_read_string_dup (object, path, "redemption_id", SC_JSON_OPTIONAL,
                                   &event->redemption_id, error)
      || !sc_json_read_string_dup (object, path, "reason", SC_JSON_OPTIONAL,
                                   &event->reason, error)
      || !sc_json_read_string_dup (object, path, "note", SC_JSON_OPTIONAL, &event->note, error))
    return NULL;
  event->kind = (ScOrderEventKind) kind;
  return g_steal_pointer (&event);
}

/* ------------------------------------------------------------------------ */
/* ScOrder                                                                   */

struct _ScOrder
{
  GObject        parent_instance;

  char          *order_id;         /* (owned) */
  ScOrderStatus  status;
  char          *code;             /* (owned) (nullable) */
  char          *code_status;      /* (owned) (nullable) */
  char          *customer_masked;  /* (owned) */
  char          *phone_tail;       /* (owned) */
  char          *recipient_id;     /* (owned) (nullable) */
  gint64         total_fen;
  GDateTime     *created_at;       /* (owned) (nullable) */
  GDateTime     *valid_from;       /* (owned) (nullable) */
  GDateTime     *valid_until;      /* (owned) (nullable) */
  GPtrArray     *lines;            /* (owned) (element-type ScOrderLine) */
  GPtrArray     *timeline;         /* (owned) (nullable) (element-type ScOrderEvent) */
};

G_DEFINE_FINAL_TYPE (ScOrder, sc_order, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ORDER_ID,
  PROP_STATUS,
  PROP_CODE,
  PROP_CODE_STATUS,
  PROP_CUSTOMER_MASKED,
  PROP_PHONE_TAIL,
  PROP_RECIPIENT_ID,
  PROP_TOTAL_FEN,
  PROP_CREATED_AT,
  PROP_VALID_FROM,
  PROP_VALID_UNTIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sc_order_finalize (GObject *object)
{
  ScOrder *self = SC_ORDER (object);

  g_free (self->order_id);
  g_free (self->code);
  g_free (self->code_status);
  g_free (self->customer_masked);
  g_free (self->phone_tail);
  g_free (self->recipient_id);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->valid_from, g_date_time_unref);
  g_clear_pointer (&self->valid_until, g_date_time_unref);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_pointer (&self->timeline, g_ptr_array_unref);

  G_OBJECT_CLASS (sc_order_parent_class)->finalize (object);
}

static void
sc_order_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  ScOrder *self = SC_ORDER (object);

  switch (prop_id)
    {
    case PROP_ORDER_ID:
      g_value_set_string (value, self->order_id);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_CODE_STATUS:
      g_value_set_string (value, self->code_status);
      break;
    case PROP_CUSTOMER_MASKED:
      g_value_set_string (value, self->customer_masked);
      break;
    case PROP_PHONE_TAIL:
      g_value_set_string (value, self->phone_tail);
      break;
    case PROP_RECIPIENT_ID:
      g_value_set_string (value, self->recipient_id);
      break;
    case PROP_TOTAL_FEN:
      g_value_set_int64 (value, self->total_fen);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_VALID_FROM:
      g_value_set_boxed (value, self->valid_from);
      break;
    case PROP_VALID_UNTIL:
      g_value_set_boxed (value, self->valid_until);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_order_class_init (ScOrderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sc_order_finalize;
  object_class->get_property = sc_order_get_property;

  properties[PROP_ORDER_ID] = g_param_spec_string ("order-id", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, SC_TYPE_ORDER_STATUS,
                                               SC_ORDER_STATUS_OPEN, flags);
  properties[PROP_CODE] = g_param_spec_string ("code", NULL, NULL, NULL, flags);
  properties[PROP_CODE_STATUS] = g_param_spec_string ("code-status", NULL, NULL, NULL, flags);
  properties[PROP_CUSTOMER_MASKED] = g_param_spec_string ("customer-masked", NULL, NULL, NULL,
                                                          flags);
  properties[PROP_PHONE_TAIL] = g_param_spec_string ("phone-tail", NULL, NULL, NULL, flags);
  properties[PROP_RECIPIENT_ID] = g_param_spec_string ("recipient-id", NULL, NULL, NULL, flags);
  properties[PROP_TOTAL_FEN] = g_param_spec_int64 ("total-fen", NULL, NULL, 0, G_MAXINT64, 0,
                                                   flags);
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME,
                                                    flags);
  properties[PROP_VALID_FROM] = g_param_spec_boxed ("valid-from", NULL, NULL, G_TYPE_DATE_TIME,
                                                    flags);
  properties[PROP_VALID_UNTIL] = g_param_spec_boxed ("valid-until", NULL, NULL,
                                                     G_TYPE_DATE_TIME, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sc_order_init (ScOrder *self)
{
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_order_line_free);
}

static gboolean
read_timeline (ScOrder     *self,
               JsonObject  *object,
               GError     **error)
{
  JsonArray *array = NULL;

  if (!sc_json_read_array (object, "", "timeline", SC_JSON_OPTIONAL, &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  self->timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_order_event_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = sc_json_path_index ("timeline", i);
      JsonObject *entry = NULL;
      ScOrderEvent *event;

      if (!sc_json_array_get_object (array, "timeline", i, &entry, error))
        return FALSE;
      event = read_event (entry, path, error);
      if (event == NULL)
        return FALSE;
      g_ptr_array_add (self->timeline, event);
    }

  return TRUE;
}

/* The order at @path ("" or "orders[3]"); the timeline only at the top. */
static ScOrder *
read_order (JsonObject  *object,
            const char  *path,
            GError     **error)
{
  g_autoptr(ScOrder) self = g_object_new (SC_TYPE_ORDER, NULL);
  int status = 0;

  if (!sc_json_read_string_dup (object, path, "order_id", SC_JSON_REQUIRED | SC_JSON_NON_EMPTY,
                                &self->order_id, error)
      || !sc_json_read_enum (object, path, "status", SC_JSON_REQUIRED, status_names,
                             G_N_ELEMENTS (status_names), &status, error)
      || !sc_json_read_string_dup (object, path, "code", SC_JSON_OPTIONAL, &self->code, error)
      || !sc_json_read_string_dup (object, path, "code_status", SC_JSON_OPTIONAL,
                                   &self->code_status, error)
      || !sc_json_read_string_dup (object, path, "customer_masked", SC_JSON_REQUIRED,
                                   &self->customer_masked, error)
      || !sc_json_read_string_dup (object, path, "phone_tail", SC_JSON_REQUIRED,
                                   &self->phone_tail, error)
      || !sc_json_read_string_dup (object, path, "recipient_id", SC_JSON_OPTIONAL,
                                   &self->recipient_id, error)
      || !sc_json_read_int (object, path, "total_fen", SC_JSON_REQUIRED, 0, G_MAXINT64, NULL,
                            &self->total_fen, error)
      || !sc_json_read_time (object, path, "created_at", SC_JSON_OPTIONAL, &self->created_at,
                             error)
      || !sc_json_read_time (object, path, "valid_from", SC_JSON_OPTIONAL, &self->valid_from,
                             error)
      || !sc_json_read_time (object, path, "valid_until", SC_JSON_OPTIONAL, &self->valid_until,
                             error)
      || !sc_order_lines_read (object, path, "items", TRUE, self->lines, error))
    return NULL;
  self->status = (ScOrderStatus) status;

  if (path[0] == '\0' && !read_timeline (self, object, error))
    return NULL;

  return g_steal_pointer (&self);
}

ScOrder *
sc_order_new_from_json (JsonObject  *object,
                        GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return read_order (object, "", error);
}

JsonNode *
sc_order_to_json (ScOrder *self)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (SC_IS_ORDER (self), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  sc_json_builder_add_string (builder, "order_id", self->order_id);
  sc_json_builder_add_string (builder, "status", sc_order_status_to_string (self->status));
  sc_json_builder_add_string (builder, "status_label", sc_order_status_get_label (self->status));
  sc_json_builder_add_string (builder, "code", self->code);
  sc_json_builder_add_string (builder, "code_status", self->code_status);
  sc_json_builder_add_string (builder, "recipient_id", self->recipient_id);
  sc_json_builder_add_string (builder, "customer_masked", self->customer_masked);
  sc_json_builder_add_string (builder, "phone_tail", self->phone_tail);
  sc_json_builder_add_int (builder, "total_fen", self->total_fen);
  sc_json_builder_add_int (builder, "remaining_qty", sc_order_get_remaining_qty (self));
  sc_json_builder_add_time (builder, "created_at", self->created_at);
  sc_json_builder_add_time (builder, "valid_from", self->valid_from);
  sc_json_builder_add_time (builder, "valid_until", self->valid_until);

  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->lines->len; i++)
    sc_order_line_write (g_ptr_array_index (self->lines, i), builder);
  json_builder_end_array (builder);

  if (self->timeline != NULL)
    {
      json_builder_set_member_name (builder, "timeline");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->timeline->len; i++)
        {
          const ScOrderEvent *event = g_ptr_array_index (self->timeline, i);

          json_builder_begin_object (builder);
          sc_json_builder_add_time (builder, "at", event->at);
          sc_json_builder_add_string (builder, "kind", sc_order_event_kind_to_string (event->kind));
          if (event->lines->len > 0)
            {
              json_builder_set_member_name (builder, "lines");
              json_builder_begin_array (builder);
              for (guint j = 0; j < event->lines->len; j++)
                {
                  const ScLineQty *line_qty = g_ptr_array_index (event->lines, j);

                  json_builder_begin_object (builder);
                  sc_json_builder_add_string (builder, "line_id", line_qty->line_id);
                  sc_json_builder_add_int (builder, "qty", line_qty->qty);
                  json_builder_end_object (builder);
                }
              json_builder_end_array (builder);
            }
          sc_json_builder_add_string (builder, "clerk_id", event->clerk_id);
          sc_json_builder_add_string (builder, "clerk_name", event->clerk_name);
          sc_json_builder_add_string (builder, "store_id", event->store_id);
          sc_json_builder_add_string (builder, "redemption_id", event->redemption_id);
          sc_json_builder_add_string (builder, "reason", event->reason);
          sc_json_builder_add_string (builder, "note", event->note);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

const char *
sc_order_get_order_id (ScOrder *self)
{
  g_return_val_if_fail (SC_IS_ORDER (self), NULL);
  return self->order_id;
}

ScOrderStatus
sc_order_get_status (ScOrder *self)
{
  g_return_val_if_fail (SC_IS_ORDER (self), SC_ORDER_STATUS_OPEN);
  return self->status;
}

const char *
sc_order_get_code (ScOrder *self)
{
  g_return_val_if_fail (SC_IS_ORDER (self), NULL);
  return self->code;
}

const char *
sc_order_get_code_status (ScOrder *self)
{
  g_return_val_if_fail (SC_IS_ORDER (self), NULL);
  return self->code_status;
}

const char *
sc_order_get_customer_masked (ScOrder *self)
{
  g_return_val_if_fail (SC_IS_ORDER (self), NULL);
  return self->customer_masked;
}

const char *
sc_order_get_phone_tail (ScOrder *self)
{
  g_return_val_if_fail (SC_IS_ORDER (self), NULL);
  return self->phone_tail;
}

const char *
sc_order_get_recipient_id (ScOrder *self)
{
  g_return_val_if_fail (SC_IS_ORDER (self), NULL);
  return self->recipient_id;
}

gint64
sc_order_get_total_fen (ScOrder *self)
{
  g_return_val_if_fail (SC_IS_ORDER (self), 0);
  return self->total_fen;
}

GDateTime *
sc_order_get_created_at (ScOrder *self)
{
  g_return_val_if_fail (SC_IS_ORDER (self), NULL);
  return self->created_at;
}

GDateTime *
sc_order_get_valid_from (ScOrder *self)
{
  g_return_val_if_fail (SC_IS_ORDER (self), NULL);
  return self->valid_from;
}

GDateTime *
sc_order_get_valid_until (ScOrder *self)
{
  g_return_val_if_fail (SC_IS_ORDER (self), NULL);
  return self->valid_until;
}

GPtrArray *
sc_order_get_lines (ScOrder *self)
{
  g_return_val_if_fail (SC_IS_ORDER (self), NULL);
  return self->lines;
}

GPtrArray *
sc_order_get_timeline (ScOrder *self)
{
  g_return_val_if_fail (SC_IS_ORDER (self), NULL);
  return self->timeline;
}

int
sc_order_get_remaining_qty (ScOrder *self)
{
  int remaining = 0;

  g_return_val_if_fail (SC_IS_ORDER (self), 0);

  for (guint i = 0; i < self->lines->len; i++)
    remaining += ((const ScOrderLine *) g_ptr_array_index (self->lines, i))->remaining_qty;
  return remaining;
}

/* ------------------------------------------------------------------------ */
/* Queries and pages                                                         */

ScOrderQuery *
sc_order_query_new (void)
{
  return g_new0 (ScOrderQuery, 1);
}

void
sc_order_query_free (ScOrderQuery *query)
{
  if (query == NULL)
    return;

  g_free (query->q);
  g_free (query->tail);
  g_free (query->from);
  g_free (query->to);
  g_free (query);
}

static void
append_param (GString    *str,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL || value[0] == '\0')
    return;

  escaped = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_printf (str, "%s%s=%s", str->len > 0 ? "&" : "", name, escaped);
}

char *
sc_order_query_to_string (const ScOrderQuery *query)
{
  GString *str = g_string_new (NULL);

  if (query == NULL)
    return g_string_free (str, FALSE);

  append_param (str, "q", query->q);
  append_param (str, "tail", query->tail);
  if (query->statuses != 0)
    {
      g_autoptr(GString) statuses = g_string_new (NULL);

      for (guint i = 0; i < SC_ORDER_STATUS_LAST; i++)
        if (query->statuses & (1u << i))
          g_string_append_printf (statuses, "%s%s", statuses->len > 0 ? "," : "",
                                  status_names[i]);
      append_param (str, "status", statuses->str);
    }
  append_param (str, "from", query->from);
  append_param (str, "to", query->to);
  return g_string_free (str, FALSE);
}

gboolean
sc_order_day_is_valid (const char *day)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *text = NULL;

  if (day == NULL || strlen (day) != 10 || day[4] != '-' || day[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (day[i]))
      return FALSE;

  /* A real date: parsed back to the same text (no 02-30). */
  text = g_strconcat (day, "T00:00:00Z", NULL);
  dt = g_date_time_new_from_iso8601 (text, NULL);
  return dt != NULL;
}

void
sc_order_page_free (ScOrderPage *page)
{
  if (page == NULL)
    return;

  g_clear_pointer (&page->orders, g_ptr_array_unref);
  g_free (page->next_cursor);
  g_free (page);
}

ScOrderPage *
sc_order_page_new_from_json (JsonObject  *object,
                             GError     **error)
{
  g_autoptr(ScOrderPage) page = g_new0 (ScOrderPage, 1);
  JsonArray *orders = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  page->orders = g_ptr_array_new_with_free_func (g_object_unref);
  if (!sc_json_read_array (object, "", "orders", SC_JSON_REQUIRED, &orders, error)
      || !sc_json_read_string_dup (object, "", "next_cursor", SC_JSON_OPTIONAL | SC_JSON_NON_EMPTY,
                                   &page->next_cursor, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      g_autofree char *path = sc_json_path_index ("orders", i);
      JsonObject *entry = NULL;
      ScOrder *order;

      if (!sc_json_array_get_object (orders, "orders", i, &entry, error))
        return NULL;
      order = read_order (entry, path, error);
      if (order == NULL)
        return NULL;
      g_ptr_array_add (page->orders, order);
    }

  return g_steal_pointer (&page);
}

/* ------------------------------------------------------------------------ */
/* Households                                                                */

void
sc_household_free (ScHousehold *household)
{
  if (household == NULL)
    return;

  g_free (household->recipient_id);
  g_free (household->customer_masked);
  g_free (household->phone_tail);
  g_clear_pointer (&household->orders, g_ptr_array_unref);
  g_free (household);
}

GPtrArray *
sc_household_group (GPtrArray *orders)
{
  g_autoptr(GPtrArray) households = NULL;
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (orders != NULL, NULL);

  households = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_household_free);
  for (guint i = 0; i < orders->len; i++)
    {
      ScOrder *order = g_ptr_array_index (orders, i);
      /* Without an id only the masked name tells them apart. */
      g_autofree char *key = order->recipient_id != NULL
                             ? g_strconcat ("id:", order->recipient_id, NULL)
                             : g_strconcat ("name:", order->customer_masked, NULL);
      ScHousehold *household = g_hash_table_lookup (by_key, key);

      if (household == NULL)
        {
          household = g_new0 (ScHousehold, 1);
          household->recipient_id = g_strdup (order->recipient_id);
          household->customer_masked = g_strdup (order->customer_masked);
          household->phone_tail = g_strdup (order->phone_tail);
          household->orders = g_ptr_array_new_with_free_func (g_object_unref);
          g_ptr_array_add (households, household);
          g_hash_table_insert (by_key, g_steal_pointer (&key), household);
        }
      g_ptr_array_add (household->orders, g_object_ref (order));
    }

  return g_steal_pointer (&households);
}
