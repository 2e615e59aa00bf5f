/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-cli-private.h"
#include "sc-decoder.h"

/* --decode FILE...: every code in each picture. No login, no database. */

static void
add_detection_json (JsonBuilder       *out,
                    const ScDetection *d)
{
  json_builder_begin_object (out);
  json_builder_set_member_name (out, "payload");
  json_builder_add_string_value (out, d->payload);
  json_builder_set_member_name (out, "symbology");
  json_builder_add_string_value (out, sc_symbology_to_string (d->symbology));
  json_builder_set_member_name (out, "points");
  json_builder_begin_array (out);
  for (int k = 0; k < d->n_points; k++)
    {
      json_builder_begin_array (out);
      json_builder_add_int_value (out, d->x[k]);
      json_builder_add_int_value (out, d->y[k]);
      json_builder_end_array (out);
    }
  json_builder_end_array (out);
  json_builder_end_object (out);
}

/* {"file", "codes": [...]} or {"file", "error"} */
static void
add_file_json (JsonBuilder  *out,
               const char   *display,
               GPtrArray    *found,
               const GError *error)
{
  json_builder_begin_object (out);
  json_builder_set_member_name (out, "file");
  json_builder_add_string_value (out, display);
  if (found == NULL)
    {
      json_builder_set_member_name (out, "error");
      json_builder_add_string_value (out, error->message);
    }
  else
    {
      json_builder_set_member_name (out, "codes");
      json_builder_begin_array (out);
      for (guint j = 0; j < found->len; j++)
        add_detection_json (out, g_ptr_array_index (found, j));
      json_builder_end_array (out);
    }
  json_builder_end_object (out);
}

static void
print_file (const char   *display,
            GPtrArray    *found,
            const GError *error)
{
  if (found == NULL)
    g_printerr (_("Error: %s\n"), error->message);
  else if (found->len == 0)
    /* Translators: a picture file in which no code was found */
    g_print (_("%s: no code\n"), display);
  for (guint j = 0; found != NULL && j < found->len; j++)
    {
      const ScDetection *d = g_ptr_array_index (found, j);
      g_autofree char *symbology = g_ascii_strup (sc_symbology_to_string (d->symbology), -1);

      g_print ("%s: %s (%s)\n", display, d->payload, symbology);
    }
}

/* Exit 0 when every file could be read, 2 when one could not. */
int
sc_cli_decode (ScCli *cli)
{
  g_autoptr(ScDecoder) decoder = sc_decoder_new ();
  g_autoptr(JsonBuilder) out = NULL;
  int status = 0;

  if (cli->json)
    {
      out = json_builder_new ();
      json_builder_begin_array (out);
    }

  for (guint i = 0; cli->files[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) found = NULL;
      g_autofree char *display = g_filename_display_name (cli->files[i]);

      /* Each file on its own: the same code in two files is two finds. */
      sc_decoder_reset (decoder);
      found = sc_decoder_decode_file (decoder, cli->files[i], &error);
      if (found == NULL)
        status = 2;

      if (cli->json)
        add_file_json (out, display, found, error);
      else
        print_file (display, found, error);
    }

  if (cli->json)
    {
      g_autoptr(JsonNode) root = NULL;

      json_builder_end_array (out);
      root = json_builder_get_root (out);
      sc_cli_print_json (root);
    }

  return status;
}
