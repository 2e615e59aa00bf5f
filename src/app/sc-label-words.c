/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-label-words.h"

#include <string.h>

#include <glib/gi18n-lib.h>

/* A Pango attribute that allows no line break inside each of the listed
 * words, wherever they occur in the label's text. */
static void
apply_words (GtkLabel *label)
{
  /* Translators: words that must never be split across two lines, separated
   * by "|": the words for a USB barcode scanner as used in your other
   * messages (e.g. "USB 扫码枪|扫码枪"). Languages that break lines only at
   * spaces can leave this as it is. */
  g_auto(GStrv) words = g_strsplit (_("USB scanner"), "|", -1);
  const char *text = gtk_label_get_text (label);
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

  for (guint i = 0; words[i] != NULL; i++)
    {
      gsize len = strlen (words[i]);

      if (len == 0)
        continue;
      for (const char *at = strstr (text, words[i]); at != NULL; at = strstr (at + len, words[i]))
        {
          PangoAttribute *attr = pango_attr_allow_breaks_new (FALSE);

          attr->start_index = (guint) (at - text);
          attr->end_index = attr->start_index + (guint) len;
          pango_attr_list_insert (attrs, attr);
        }
    }
  gtk_label_set_attributes (label, attrs);
}

void
sc_label_keep_words_whole (GtkLabel *label)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  g_signal_connect (label, "notify::label", G_CALLBACK (apply_words), NULL);
  apply_words (label);
}
