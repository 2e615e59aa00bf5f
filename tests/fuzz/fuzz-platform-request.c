/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "sc-platform-request.h"

/* libFuzzer target for the platform's request readers (issue 9): the first
 * byte picks the call, the rest is its body. Every input must give a
 * request or a refusal of SC_PLATFORM_REQUEST_ERROR, never a crash, a leak
 * or a request with text cut by a NUL. */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static const ScPlatformOp ops[] = {
  SC_PLATFORM_OP_LOGIN,
  SC_PLATFORM_OP_LOOKUP,
  SC_PLATFORM_OP_REDEEM,
  SC_PLATFORM_OP_ADMIN_ADD_ORDERS,
  SC_PLATFORM_OP_ADMIN_TOUCH_ORDERS,
  SC_PLATFORM_OP_MARK_MISSING,
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(ScPlatformRequest) req = NULL;
  g_autoptr(GError) error = NULL;
  const char *code = NULL;

  if (size < 1)
    return 0;

  req = sc_platform_request_read (ops[data[0] % G_N_ELEMENTS (ops)], (const char *) data + 1,
                                  size - 1, G_GINT64_CONSTANT (1767225600), &error);
  if (req == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == SC_PLATFORM_REQUEST_ERROR);
      g_assert_cmpuint (sc_platform_request_error_status (error, &code), <, 500);
      g_assert_nonnull (code);
      return 0;
    }
  g_assert_no_error (error);
  /* What the store will use is whole text. */
  if (req->payload != NULL)
    g_assert_true (g_utf8_validate (req->payload, -1, NULL));
  if (req->pin != NULL)
    g_assert_true (g_utf8_validate (req->pin, -1, NULL));
  return 0;
}
