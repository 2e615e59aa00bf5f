/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-a11y.h"
#include "sc-app-util.h"
#include "sc-conflicts-dialog.h"
#include "sc-counter.h"
#include "sc-redemption.h"
#include "sc-time.h"
#include "sc-verdict.h"

#define MAX_ITEMS_SHOWN 3

typedef struct
{
  char      *id;            /* (owned) the redemption id */
  GtkWidget *row;           /* (unowned) in the list box */
  GtkWidget *button;        /* (unowned) "Acknowledge" */
  GtkWidget *done;          /* (unowned) "Acknowledged 14:30" */
  GtkLabel  *done_label;    /* (unowned) */
  gboolean   acknowledged;
  gboolean   busy;          /* an acknowledgement is on its way */
} Entry;

struct _ScConflictsDialog
{
  AdwWindow      parent_instance;

  /* template */
  GtkStack      *stack;
  AdwStatusPage *error_page;
  GtkListBox    *list_box;
  GtkWidget     *acknowledge_all_button;

  ScCounter     *counter;      /* (owned) */
  GCancellable  *cancellable;  /* (owned) cancelled in dispose */
  GPtrArray     *entries;      /* (owned) (element-type Entry) one per row */
  gboolean       loaded;
  gboolean       reload;       /* a new conflict came while loading */
  gboolean       loading;
};

G_DEFINE_FINAL_TYPE (ScConflictsDialog, sc_conflicts_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void listed_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data);

static void
list_conflicts (ScConflictsDialog *self)
{
  sc_counter_list_conflicts_async (self->counter, self->cancellable, listed_cb,
                                   g_object_ref (self->cancellable));
}

static gboolean
is_loaded (ScConflictsDialog *self)
{
  return self->loaded && !self->loading;
}

/* Sets loaded and loading, and tells "loaded" when it changes. */
static void
set_load_state (ScConflictsDialog *self,
                gboolean           loaded,
                gboolean           loading)
{
  gboolean was_loaded = is_loaded (self);

  self->loaded = loaded;
  self->loading = loading;
  if (is_loaded (self) != was_loaded)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
entry_free (Entry *entry)
{
  g_free (entry->id);
  g_free (entry);
}

static ScConflictsDialog *
call_dialog (GCancellable *cancellable)
{
  return g_object_get_data (G_OBJECT (cancellable), "dialog");
}

/* "1234 5678 9012": easier to read aloud to the customer. */
static char *
format_code (const char *code)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; code != NULL && code[i] != '\0'; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, code[i]);
    }
  return g_string_free (out, FALSE);
}

/* "14:02" today (store time), else "2026-11-25 14:02". */
static char *
format_when (GDateTime *dt,
             GTimeZone *tz)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (dt == NULL)
    return NULL;
  local = g_date_time_to_timezone (dt, tz);
  now = g_date_time_new_now (tz);
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");
  return sc_app_format_time (dt, tz, FALSE);
}

static char *
format_unix (gint64     unix_s,
             GTimeZone *tz)
{
  g_autoptr(GDateTime) dt = NULL;

  if (unix_s <= 0)
    return NULL;
  dt = g_date_time_new_from_unix_utc (unix_s);
  return format_when (dt, tz);
}

/* Who the code was for: customer and goods, the coupon, the prize. */
static char *
describe_goods (ScVerdict *platform)
{
  const ScOrderInfo *order;
  const ScCouponInfo *coupon;
  const ScPrizeInfo *prize;

  if (platform == NULL)
    return NULL;

  order = sc_verdict_get_order (platform);
  if (order != NULL)
    {
      g_autoptr(GString) items = g_string_new (NULL);
      guint n = order->items != NULL ? order->items->len : 0;

      for (guint i = 0; i < MIN (n, MAX_ITEMS_SHOWN); i++)
        {
          const ScOrderItem *item = g_ptr_array_index (order->items, i);

          if (items->len > 0)
            /* Translators: separates the items of an order */
            g_string_append (items, _(", "));
          /* Translators: an order item and how many, "鸡蛋 ×2" */
          g_string_append_printf (items, _("%s ×%d"), item->name, item->quantity);
        }
      if (n > MAX_ITEMS_SHOWN)
        g_string_append (items, "…");

      if (order->customer_masked != NULL && items->len > 0)
        /* Translators: "<customer> · <items>", "张*明 · 鸡蛋 ×2, 牛奶 ×1" */
        return g_strdup_printf (_("%s · %s"), order->customer_masked, items->str);
      if (order->customer_masked != NULL)
        return g_strdup (order->customer_masked);
      return items->len > 0 ? g_strdup (items->str) : NULL;
    }

  coupon = sc_verdict_get_coupon (platform);
  if (coupon != NULL && coupon->title != NULL)
    return g_strdup (coupon->title);

  prize = sc_verdict_get_prize (platform);
  if (prize != NULL && prize->prize_name != NULL && prize->activity_name != NULL)
    /* Translators: "<prize> · <activity>" */
    return g_strdup_printf (_("%s · %s"), prize->prize_name, prize->activity_name);
  if (prize != NULL && prize->prize_name != NULL)
    return g_strdup (prize->prize_name);

  return NULL;
}

static char *
describe_ours (const ScConflict *conflict,
               const ScSession  *session,
               GTimeZone        *tz)
{
  const ScRedemption *r = conflict->redemption;
  g_autofree char *when = format_unix (r->created_at, tz);
  g_autofree char *clerk = NULL;

  if (session != NULL && session->clerk_name != NULL &&
      g_strcmp0 (r->clerk_id, session->clerk_id) == 0)
    clerk = g_strdup (session->clerk_name);
  else if (r->clerk_id != NULL)
    /* Translators: a clerk known only by number, "clerk 2" */
    clerk = g_strdup_printf (_("clerk %s"), r->clerk_id);
  else
    clerk = g_strdup (_("an unknown clerk"));

  if (r->offline)
    /* Translators: what this counter did, "Redeemed 14:02 by 张三, offline" */
    return g_strdup_printf (_("Redeemed %s by %s, offline"), when, clerk);
  /* Translators: what this counter did, "Redeemed 14:02 by 张三" */
  return g_strdup_printf (_("Redeemed %s by %s"), when, clerk);
}

static char *
describe_theirs (const ScConflict *conflict,
                 GTimeZone        *tz)
{
  const ScRedeemedInfo *winner = NULL;
  g_autofree char *when = NULL;
  const char *store = NULL;
  const char *clerk = NULL;

  if (conflict->platform != NULL)
    winner = sc_verdict_get_redeemed (conflict->platform);
  if (winner == NULL)
    {
      if (conflict->redemption->reason != NULL)
        return g_strdup (conflict->redemption->reason);
      return g_strdup (_("Already redeemed elsewhere; the platform sent no details"));
    }

  when = format_when (winner->at, tz);
  store = winner->store_name != NULL ? winner->store_name : winner->store_id;
  clerk = winner->clerk_name != NULL ? winner->clerk_name : winner->clerk_id;
  if (when == NULL)
    when = g_strdup (_("at an unknown time"));

  if (store != NULL && clerk != NULL)
    /* Translators: the platform's record, "Redeemed 13:58 at 示范自提点 by 李四" */
    return g_strdup_printf (_("Redeemed %s at %s by %s"), when, store, clerk);
  if (store != NULL)
    /* Translators: the platform's record, "Redeemed 13:58 at 示范自提点" */
    return g_strdup_printf (_("Redeemed %s at %s"), when, store);
  /* Translators: the platform's record, "Redeemed at 13:58" */
  return g_strdup_printf (_("Redeemed at %s"), when);
}

static void
set_acknowledged (Entry      *entry,
                  gint64      at,
                  GTimeZone  *tz)
{
  g_autofree char *when = format_unix (at, tz);
  g_autofree char *text = NULL;

  entry->acknowledged = TRUE;
  entry->busy = FALSE;
  if (when != NULL)
    /* Translators: when the clerk acknowledged a conflict, "Acknowledged 14:30" */
    text = g_strdup_printf (_("Acknowledged %s"), when);
  else
    text = g_strdup (_("Acknowledged"));
  gtk_label_set_text (entry->done_label, text);
  gtk_widget_set_visible (entry->button, FALSE);
  gtk_widget_set_visible (entry->done, TRUE);
}

static void
update_acknowledge_all (ScConflictsDialog *self)
{
  gboolean any = FALSE;

  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = g_ptr_array_index (self->entries, i);

      any |= !entry->acknowledged && !entry->busy;
    }
  gtk_widget_set_sensitive (self->acknowledge_all_button, any);
}

static Entry *
find_entry (ScConflictsDialog *self,
            const char        *id)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (g_strcmp0 (entry->id, id) == 0)
        return entry;
    }
  return NULL;
}

typedef struct
{
  GCancellable *cancellable;  /* (owned) the dialog's */
  char         *id;           /* (owned) */
} AckCall;

static void
ack_call_free (AckCall *call)
{
  g_clear_object (&call->cancellable);
  g_free (call->id);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AckCall, ack_call_free)

static void
acknowledged_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AckCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  ScConflictsDialog *self;
  Entry *entry;
  gboolean ok;

  ok = sc_counter_acknowledge_conflict_finish (SC_COUNTER (object), result, &error);
  if (g_cancellable_is_cancelled (call->cancellable))
    return;
  self = call_dialog (call->cancellable);
  entry = find_entry (self, call->id);
  if (entry == NULL)
    return;  /* the list was reloaded meanwhile */

  if (!ok)
    {
      g_autofree char *message = sc_counter_error_describe (error, FALSE);

      g_warning ("Cannot acknowledge conflict %s: %s", call->id, error->message);
      entry->busy = FALSE;
      gtk_widget_set_sensitive (entry->button, TRUE);
      gtk_widget_set_tooltip_text (entry->button, message);
      update_acknowledge_all (self);
      return;
    }

  tz = sc_app_session_time_zone (sc_counter_get_session (self->counter));
  set_acknowledged (entry, sc_time_now_unix (), tz);
  update_acknowledge_all (self);
}

static void
acknowledge (ScConflictsDialog *self,
             Entry             *entry)
{
  AckCall *call;

  if (entry->acknowledged || entry->busy)
    return;
  entry->busy = TRUE;
  gtk_widget_set_sensitive (entry->button, FALSE);
  call = g_new0 (AckCall, 1);
  call->cancellable = g_object_ref (self->cancellable);
  call->id = g_strdup (entry->id);
  sc_counter_acknowledge_conflict_async (self->counter, entry->id, self->cancellable,
                                         acknowledged_cb, call);
}

static void
acknowledge_clicked_cb (GtkButton         *button,
                        ScConflictsDialog *self)
{
  Entry *entry = find_entry (self, g_object_get_data (G_OBJECT (button), "id"));

  if (entry != NULL)
    acknowledge (self, entry);
  update_acknowledge_all (self);
}

static void
acknowledge_all_cb (ScConflictsDialog *self)
{
  for (guint i = 0; i < self->entries->len; i++)
    acknowledge (self, g_ptr_array_index (self->entries, i));
  update_acknowledge_all (self);
}

static GtkWidget *
new_label (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* One "who did what" line: icon, caption, text. */
static void
attach_line (GtkGrid    *grid,
             int         line,
             const char *icon_name,
             const char *caption,
             const char *text,
             const char *tooltip)
{
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);
  GtkWidget *caption_label = new_label (caption, "caption-heading");
  GtkWidget *text_label = new_label (text, NULL);

  gtk_widget_add_css_class (icon, "dim-label");
  gtk_widget_add_css_class (caption_label, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (caption_label), FALSE);
  gtk_widget_set_valign (caption_label, GTK_ALIGN_BASELINE);
  gtk_widget_set_valign (text_label, GTK_ALIGN_BASELINE);
  gtk_widget_set_hexpand (text_label, TRUE);
  gtk_label_set_selectable (GTK_LABEL (text_label), FALSE);
  if (tooltip != NULL)
    gtk_widget_set_tooltip_text (text_label, tooltip);
  gtk_grid_attach (grid, icon, 0, line, 1, 1);
  gtk_grid_attach (grid, caption_label, 1, line, 1, 1);
  gtk_grid_attach (grid, text_label, 2, line, 1, 1);
}

static void
add_row (ScConflictsDialog *self,
         const ScConflict  *conflict,
         GTimeZone         *tz)
{
  const ScRedemption *r = conflict->redemption;
  const ScSession *session = sc_counter_get_session (self->counter);
  const ScRedeemedInfo *winner = NULL;
  g_autofree char *code = format_code (r->code);
  g_autofree char *title = NULL;
  g_autofree char *goods = describe_goods (conflict->platform);
  g_autofree char *ours = describe_ours (conflict, session, tz);
  g_autofree char *theirs = describe_theirs (conflict, tz);
  g_autofree char *winner_tooltip = NULL;
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *text_box;
  GtkWidget *grid;
  GtkWidget *done_icon;
  Entry *entry;

  if (conflict->platform != NULL)
    winner = sc_verdict_get_redeemed (conflict->platform);
  if (winner != NULL && winner->redemption_id != NULL)
    /* Translators: tooltip, the platform's id of the other redemption */
    winner_tooltip = g_strdup_printf (_("Platform redemption ID: %s"), winner->redemption_id);

  /* Translators: "<kind> · <code>", "Pickup code · 1234 5678 9012" */
  title = g_strdup_printf (_("%s · %s"), sc_code_kind_get_label (r->kind), code);

  entry = g_new0 (Entry, 1);
  entry->id = g_strdup (r->id);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_box_append (GTK_BOX (box), text_box);
  gtk_box_append (GTK_BOX (text_box), new_label (title, "heading"));
  if (goods != NULL)
    gtk_box_append (GTK_BOX (text_box), new_label (goods, NULL));

  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_widget_set_margin_top (grid, 4);
  /* Translators: caption in the conflicts list: what this counter did */
  attach_line (GTK_GRID (grid), 0, "computer-symbolic", _("This counter"), ours, NULL);
  /* Translators: caption in the conflicts list: the platform's record */
  attach_line (GTK_GRID (grid), 1, "network-server-symbolic", _("Platform"), theirs,
               winner_tooltip);
  gtk_box_append (GTK_BOX (text_box), grid);

  /* Translators: button: the clerk has seen this conflict */
  entry->button = gtk_button_new_with_mnemonic (_("A_cknowledge"));
  sc_a11y_name_button_from_label (GTK_BUTTON (entry->button));
  gtk_widget_set_valign (entry->button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (entry->button), "id", g_strdup (r->id), g_free);
  g_signal_connect_object (entry->button, "clicked", G_CALLBACK (acknowledge_clicked_cb), self,
                           0);
  gtk_box_append (GTK_BOX (box), entry->button);

  entry->done = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_valign (entry->done, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (entry->done, "dim-label");
  done_icon = gtk_image_new_from_icon_name ("object-select-symbolic");
  gtk_box_append (GTK_BOX (entry->done), done_icon);
  entry->done_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_box_append (GTK_BOX (entry->done), GTK_WIDGET (entry->done_label));
  gtk_widget_set_visible (entry->done, FALSE);
  gtk_box_append (GTK_BOX (box), entry->done);

  if (conflict->acknowledged_at > 0)
    set_acknowledged (entry, conflict->acknowledged_at, tz);

  entry->row = row;
  gtk_list_box_append (self->list_box, row);
  g_ptr_array_add (self->entries, entry);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GCancellable) cancellable = user_data;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  ScConflictsDialog *self;
  GtkWidget *child;

  conflicts = sc_counter_list_conflicts_finish (SC_COUNTER (object), result, &error);
  if (g_cancellable_is_cancelled (cancellable))
    return;
  self = call_dialog (cancellable);

  if (self->reload)
    {
      /* Still loading: "loaded" stays FALSE. */
      self->reload = FALSE;
      list_conflicts (self);
      return;
    }

  if (conflicts == NULL)
    {
      g_autofree char *message = sc_counter_error_describe (error, FALSE);

      adw_status_page_set_description (self->error_page, message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      set_load_state (self, TRUE, FALSE);
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  g_ptr_array_set_size (self->entries, 0);

  tz = sc_app_session_time_zone (sc_counter_get_session (self->counter));
  for (guint i = 0; i < conflicts->len; i++)
    add_row (self, g_ptr_array_index (conflicts, i), tz);

  update_acknowledge_all (self);
  gtk_stack_set_visible_child_name (self->stack, conflicts->len > 0 ? "list" : "empty");
  set_load_state (self, TRUE, FALSE);
}

static void
load (ScConflictsDialog *self)
{
  self->reload = FALSE;
  if (self->loading)
    {
      self->reload = TRUE;
      return;
    }
  set_load_state (self, self->loaded, TRUE);
  list_conflicts (self);
}

/* A new conflict while the dialog is open: list again. */
static void
redemption_changed_cb (ScConflictsDialog  *self,
                       const ScRedemption *redemption)
{
  if (redemption->state == SC_REDEMPTION_STATE_CONFLICT &&
      find_entry (self, redemption->id) == NULL)
    load (self);
}

GtkWidget *
sc_conflicts_dialog_new (GtkWindow *parent,
                         ScCounter *counter)
{
  ScConflictsDialog *self;

  g_return_val_if_fail (SC_IS_COUNTER (counter), NULL);

  self = g_object_new (SC_TYPE_CONFLICTS_DIALOG, "transient-for", parent, NULL);
  self->counter = g_object_ref (counter);
  g_signal_connect_object (counter, "redemption-changed", G_CALLBACK (redemption_changed_cb),
                           self, G_CONNECT_SWAPPED);
  load (self);
  return GTK_WIDGET (self);
}

/* ---- GObject ---- */

static void
sc_conflicts_dialog_dispose (GObject *object)
{
  ScConflictsDialog *self = SC_CONFLICTS_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->counter);

  G_OBJECT_CLASS (sc_conflicts_dialog_parent_class)->dispose (object);
}

static void
sc_conflicts_dialog_finalize (GObject *object)
{
  ScConflictsDialog *self = SC_CONFLICTS_DIALOG (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (sc_conflicts_dialog_parent_class)->finalize (object);
}

static void
sc_conflicts_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ScConflictsDialog *self = SC_CONFLICTS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, is_loaded (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_conflicts_dialog_class_init (ScConflictsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sc_conflicts_dialog_dispose;
  object_class->finalize = sc_conflicts_dialog_finalize;
  object_class->get_property = sc_conflicts_dialog_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  sc_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SC_RESOURCE_PATH "/sc-conflicts-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ScConflictsDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, ScConflictsDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, ScConflictsDialog, list_box);
  gtk_widget_class_bind_template_child (widget_class, ScConflictsDialog,
                                        acknowledge_all_button);
  gtk_widget_class_bind_template_callback (widget_class, acknowledge_all_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sc_conflicts_dialog_init (ScConflictsDialog *self)
{
  self->cancellable = g_cancellable_new ();
  g_object_set_data (G_OBJECT (self->cancellable), "dialog", self);
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  sc_a11y_name_mnemonic_buttons (GTK_WIDGET (self));
}
