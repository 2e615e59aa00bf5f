/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-a11y.h"

#include <glib/gi18n-lib.h>

/* ---- buttons with a label ---- */

static void
reset_button_label_cb (GtkButton *button)
{
  /* GtkButton sets its accessible label to the raw text ("_Redeem") and is
   * labelled by its label widget as well ("Redeem"): GTK 4.8 joins both.
   * Without the first, the name is the label widget's text, which has no
   * underscore and follows translations. */
  if (gtk_button_get_label (button) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

void
sc_a11y_name_button_from_label (GtkButton *button)
{
  g_return_if_fail (GTK_IS_BUTTON (button));

  if (g_object_get_data (G_OBJECT (button), "sc-a11y-label") == NULL)
    {
      g_object_set_data (G_OBJECT (button), "sc-a11y-label", GINT_TO_POINTER (TRUE));
      g_signal_connect (button, "notify::label", G_CALLBACK (reset_button_label_cb), NULL);
      g_signal_connect (button, "notify::use-underline", G_CALLBACK (reset_button_label_cb),
                        NULL);
    }
  reset_button_label_cb (button);
}

void
sc_a11y_name_button_without_mnemonic (GtkButton *button)
{
  const char *label;
  GString *name;

  g_return_if_fail (GTK_IS_BUTTON (button));

  label = gtk_button_get_label (button);
  if (label == NULL)
    return;
  name = g_string_new (NULL);
  for (const char *p = label; *p != '\0'; p++)
    {
      /* "_x" is x with a mnemonic, "__" an underscore. */
      if (*p == '_' && p[1] != '\0')
        p++;
      g_string_append_c (name, *p);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  name->str, -1);
  g_string_free (name, TRUE);
}

void
sc_a11y_name_mnemonic_buttons (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root) &&
      (gtk_button_get_use_underline (GTK_BUTTON (root)) ||
       gtk_button_get_label (GTK_BUTTON (root)) != NULL))
    sc_a11y_name_button_from_label (GTK_BUTTON (root));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    sc_a11y_name_mnemonic_buttons (child);
}

/* ---- icon-only buttons ---- */

static void
name_icon_button_cb (GtkButton *button)
{
  const char *fallback = g_object_get_data (G_OBJECT (button), "sc-a11y-fallback");
  const char *tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (button));
  const char *name = tooltip != NULL && *tooltip != '\0' ? tooltip : fallback;

  if (name != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);
}

void
sc_a11y_name_icon_buttons (GtkWidget  *root,
                           const char *fallback)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root) && gtk_button_get_label (GTK_BUTTON (root)) == NULL &&
      GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (root))))
    {
      if (g_object_get_data (G_OBJECT (root), "sc-a11y-icon") == NULL)
        {
          g_object_set_data (G_OBJECT (root), "sc-a11y-icon", GINT_TO_POINTER (TRUE));
          g_signal_connect (root, "notify::tooltip-text", G_CALLBACK (name_icon_button_cb), NULL);
        }
      g_object_set_data_full (G_OBJECT (root), "sc-a11y-fallback", g_strdup (fallback), g_free);
      name_icon_button_cb (GTK_BUTTON (root));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    sc_a11y_name_icon_buttons (child, fallback);
}

/* ---- toasts ---- */

static void
toast_children_changed_cb (GListModel *children,
                           guint       position,
                           guint       removed,
                           guint       added)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GtkWidget) child = g_list_model_get_item (children, i);

      /* libadwaita's private AdwToastWidget: its title, an action button,
       * a close button. */
      if (child == NULL || g_strcmp0 (G_OBJECT_TYPE_NAME (child), "AdwToastWidget") != 0)
        continue;
      sc_a11y_name_mnemonic_buttons (child);
      /* Translators: accessible name of the button that closes a
       * notification (toast) */
      sc_a11y_name_icon_buttons (child, _("Dismiss"));
    }
}

void
sc_a11y_watch_toasts (AdwToastOverlay *overlay)
{
  GListModel *children;

  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));

  children = gtk_widget_observe_children (GTK_WIDGET (overlay));
  g_signal_connect (children, "items-changed", G_CALLBACK (toast_children_changed_cb), NULL);
  g_object_set_data_full (G_OBJECT (overlay), "sc-a11y-children", children, g_object_unref);
}

/* ---- announcements ---- */

/* Sets @property of @widget to @text; an unchanged value is cleared first,
 * since GTK tells nothing for a value that stays the same. */
static void
update_again (GtkWidget             *widget,
              GtkAccessibleProperty  property,
              const char            *key,
              const char            *text)
{
  if (g_strcmp0 (g_object_get_data (G_OBJECT (widget), key), text) == 0)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), property);
  g_object_set_data_full (G_OBJECT (widget), key, g_strdup (text), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), property, text, -1);
}

void
sc_a11y_announce (GtkWidget  *status,
                  const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (status));
  g_return_if_fail (text != NULL);

  update_again (status, GTK_ACCESSIBLE_PROPERTY_LABEL, "sc-a11y-announced", text);
}

void
sc_a11y_describe (GtkWidget  *widget,
                  const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (text == NULL)
    {
      g_object_set_data (G_OBJECT (widget), "sc-a11y-described", NULL);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }
  update_again (widget, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "sc-a11y-described", text);
}
