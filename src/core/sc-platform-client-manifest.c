/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sc-platform-client-manifest.c: ScPlatformClient's calls that fetch lists:
 * manifest pages, the reference platform's demo codes (an admin call), and
 * any GET returning an object (private, for tests).
 */
#include "config.h"

#include "sc-json-reader.h"
#include "sc-platform-client.h"
#include "sc-platform-client-private.h"

/* ------------------------------------------------------------------------ */
/* Manifest pages                                                            */

typedef struct
{
  JsonObject *page;         /* (owned) */
  char       *next_cursor;  /* (owned) (nullable) */
} ManifestPage;

static void
manifest_page_free (ManifestPage *page)
{
  g_clear_pointer (&page->page, json_object_unref);
  g_free (page->next_cursor);
  g_free (page);
}

/* Only the cursor is read here: the cache reads the orders, in one place
 * (sc-cache-manifest.c). */
static gpointer
parse_manifest_page (ScPlatformClient  *self,
                     gpointer           call_data,
                     JsonObject        *root,
                     GError           **error)
{
  const char *next_cursor = NULL;
  ManifestPage *page;

  if (!sc_json_read_string (root, "", "next_cursor", SC_JSON_OPTIONAL, &next_cursor, error))
    return NULL;

  page = g_new0 (ManifestPage, 1);
  page->page = json_object_ref (root);
  page->next_cursor = g_strdup (next_cursor);
  return page;
}

void
sc_platform_client_get_manifest_page_async (ScPlatformClient    *self,
                                            gint64               since,
                                            const char          *cursor,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));

  if (cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);

      path = g_strdup_printf ("/v1/manifest?since=%" G_GINT64_FORMAT "&cursor=%s", since, escaped);
    }
  else
    {
      path = g_strdup_printf ("/v1/manifest?since=%" G_GINT64_FORMAT, since);
    }
  sc_platform_client_send_async (self, "GET", path, sc_platform_client_get_manifest_page_async,
                                 parse_manifest_page, (GDestroyNotify) manifest_page_free,
                                 cancellable, callback, user_data);
}

JsonObject *
sc_platform_client_get_manifest_page_finish (ScPlatformClient  *self,
                                             GAsyncResult      *result,
                                             char             **out_next_cursor,
                                             GError           **error)
{
  ManifestPage *page;
  JsonObject *object;

  page = sc_platform_client_request_finish (self, result,
                                            sc_platform_client_get_manifest_page_async, error);
  if (page == NULL)
    return NULL;

  object = g_steal_pointer (&page->page);
  if (out_next_cursor != NULL)
    *out_next_cursor = g_steal_pointer (&page->next_cursor);
  manifest_page_free (page);
  return object;
}

/* ------------------------------------------------------------------------ */
/* Demo codes (admin)                                                        */

/* An entry without its strings is left out, not an error: the list is
 * for trying codes, and the others still can be. */
static ScDemoCode *
read_demo_code (JsonArray *codes,
                guint      index)
{
  g_autofree char *path = sc_json_path_index ("codes", index);
  g_autoptr(ScDemoCode) code = g_new0 (ScDemoCode, 1);
  JsonObject *entry = NULL;

  if (!sc_json_array_get_object (codes, "codes", index, &entry, NULL) ||
      !sc_json_read_string_dup (entry, path, "payload", SC_JSON_REQUIRED, &code->payload, NULL) ||
      !sc_json_read_string_dup (entry, path, "status", SC_JSON_REQUIRED, &code->status, NULL) ||
      !sc_json_read_string_dup (entry, path, "kind", SC_JSON_REQUIRED, &code->kind, NULL))
    return NULL;
  /* A note of another type is no note. */
  if (!sc_json_read_string_dup (entry, path, "note", SC_JSON_OPTIONAL, &code->note, NULL))
    g_clear_pointer (&code->note, g_free);
  return g_steal_pointer (&code);
}

static gpointer
parse_demo_codes (ScPlatformClient  *self,
                  gpointer           call_data,
                  JsonObject        *root,
                  GError           **error)
{
  g_autoptr(GPtrArray) list = NULL;
  JsonArray *codes = NULL;

  if (!sc_json_read_array (root, "", "codes", SC_JSON_REQUIRED, &codes, error))
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_demo_code_free);
  for (guint i = 0; i < json_array_get_length (codes); i++)
    {
      ScDemoCode *code = read_demo_code (codes, i);

      if (code != NULL)
        g_ptr_array_add (list, code);
    }
  return g_steal_pointer (&list);
}

void
sc_platform_client_get_demo_codes_async (ScPlatformClient    *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));

  sc_platform_client_send_async (self, "GET", "/v1/admin/demo-codes",
                                 sc_platform_client_get_demo_codes_async, parse_demo_codes,
                                 (GDestroyNotify) g_ptr_array_unref,
                                 cancellable, callback, user_data);
}

GPtrArray *
sc_platform_client_get_demo_codes_finish (ScPlatformClient  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  return sc_platform_client_request_finish (self, result,
                                            sc_platform_client_get_demo_codes_async, error);
}

/* ------------------------------------------------------------------------ */
/* Any GET returning an object (sc-platform-client-private.h)               */

static gpointer
parse_any_object (ScPlatformClient  *self,
                  gpointer           call_data,
                  JsonObject        *root,
                  GError           **error)
{
  return json_object_ref (root);
}

void
sc_platform_client_get_json_async (ScPlatformClient    *self,
                                   const char          *path_and_query,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));
  g_return_if_fail (path_and_query != NULL && path_and_query[0] == '/');

  sc_platform_client_send_async (self, "GET", path_and_query, sc_platform_client_get_json_async,
                                 parse_any_object, (GDestroyNotify) json_object_unref,
                                 cancellable, callback, user_data);
}

JsonObject *
sc_platform_client_get_json_finish (ScPlatformClient  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  return sc_platform_client_request_finish (self, result, sc_platform_client_get_json_async,
                                            error);
}
