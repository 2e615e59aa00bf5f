/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The counter's own words for the platform's answers (issue 10, rows 9, 10
 * and 11): in Chinese (LANGUAGE=zh_CN), every reason and refusal code the
 * platform sends is worded from its code and details, never with the
 * platform's English; an unknown code falls back to the platform's words;
 * the unreachable message fits the address. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sc-code.h"
#include "sc-net.h"
#include "sc-platform-client.h"
#include "sc-verdict.h"
#include "sc-verdict-words.h"

/* What the platform writes next to a code (its English, for logs). */
#define UPDATE_WORDS "平台无法处理本核销台的请求。核销台可能需要更新。"
#define NOT_RUNNING "本机上的平台程序没有运行。请先启动它，然后重试。"
#define PLATFORM_ENGLISH "PLATFORM ENGLISH: do not show me"

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = json_from_string (json, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* The verdict of a lookup answer @json. */
static ScVerdict *
verdict_from (const char *json)
{
  g_autoptr(JsonObject) object = parse_object (json);
  g_autoptr(GError) error = NULL;
  ScVerdict *verdict = sc_verdict_new_from_json (object, &error);

  g_assert_no_error (error);
  g_assert_nonnull (verdict);
  return verdict;
}

/* Every reason code src/platform/sc-platform-store.c (code_row_status) sends
 * in a lookup answer, with the status it comes with. */
static const struct
{
  const char *status;
  const char *kind;
  const char *code;
  const char *payload;
  const char *reason_code;
  const char *zh;
} lookup_reasons[] = {
  { "not_eligible", "prize", "800000000011", "800000000011", "claim_window_closed",
    "此奖品的兑奖期已结束。" },
  { "not_eligible", "prize", "800000000011", "800000000011", "already_claimed",
    "该中奖者已在本次抽奖中兑过奖。" },
  { "qr_stale", "coupon", "500000000017", "SC1:500000000017:1:00", "token_expired",
    "动态码已失效。请顾客重新打开。" },
  { "qr_stale", "coupon", "500000000017", "SC1:500000000017:1:00", "token_not_genuine",
    "动态码验证未通过。请顾客重新打开。" },
  { "qr_stale", "coupon", "500000000017", "500000000017", "live_code_required",
    "此优惠券需要顾客出示 App 中的动态码。" },
};

static void
test_lookup_reasons (void)
{
  g_test_summary ("Each reason code of a lookup answer is worded by the counter in Chinese, "
                  "not with the platform's English reason");

  for (guint i = 0; i < G_N_ELEMENTS (lookup_reasons); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"code\": \"%s\", \"kind\": \"%s\","
                                               " \"status\": \"%s\", \"payload\": \"%s\","
                                               " \"reason_code\": \"%s\", \"reason\": \"%s\"}",
                                               lookup_reasons[i].code, lookup_reasons[i].kind,
                                               lookup_reasons[i].status,
                                               lookup_reasons[i].payload,
                                               lookup_reasons[i].reason_code,
                                               PLATFORM_ENGLISH);
      g_autoptr(ScVerdict) verdict = verdict_from (json);

      g_test_message ("%s: %s", lookup_reasons[i].reason_code, sc_verdict_get_reason (verdict));
      g_assert_true (sc_verdict_words_knows_reason (lookup_reasons[i].reason_code));
      g_assert_cmpstr (sc_verdict_get_reason (verdict), ==, lookup_reasons[i].zh);
      g_assert_cmpstr (sc_verdict_get_reason_code (verdict), ==, lookup_reasons[i].reason_code);
    }
}

static void
test_unknown_reason (void)
{
  g_autoptr(ScVerdict) verdict = NULL;
  g_autoptr(JsonNode) back = NULL;
  g_autoptr(ScVerdict) again = NULL;

  g_test_summary ("A reason code the counter does not know shows the platform's words; the "
                  "code survives the JSON round trip");

  verdict = verdict_from ("{\"code\": \"800000000011\", \"kind\": \"prize\","
                          " \"status\": \"not_eligible\", \"reason_code\": \"moon_phase\","
                          " \"reason\": \"" PLATFORM_ENGLISH "\"}");
  g_assert_false (sc_verdict_words_knows_reason ("moon_phase"));
  g_assert_cmpstr (sc_verdict_get_reason (verdict), ==, PLATFORM_ENGLISH);
  g_assert_cmpstr (sc_verdict_get_label (verdict), ==, "不符合兑奖条件");

  back = sc_verdict_to_json (verdict);
  again = sc_verdict_new_from_json (json_node_get_object (back), NULL);
  g_assert_nonnull (again);
  g_assert_cmpstr (sc_verdict_get_reason_code (again), ==, "moon_phase");
  g_assert_cmpstr (sc_verdict_get_reason (again), ==, PLATFORM_ENGLISH);

  /* No reason and no code: nothing to say. */
  g_clear_object (&verdict);
  verdict = verdict_from ("{\"code\": \"100000000017\", \"kind\": \"pickup\","
                          " \"status\": \"expired\"}");
  g_assert_null (sc_verdict_get_reason (verdict));
}

static const struct
{
  const char *kind;
  const char *label;
  const char *with_name;
  const char *without_name;
} wrong_store[] = {
  { "pickup", "非本店提货码", "此提货码属于东门自提点：请到该店提货。",
    "此提货码属于其他门店：请到该店提货。" },
  { "coupon", "非本店券", "此优惠券属于东门自提点：不能在本店使用。",
    "此优惠券属于其他门店：不能在本店使用。" },
  { "prize", "非本店兑奖券", "此兑奖券属于东门自提点：请到该店兑奖。",
    "此兑奖券属于其他门店：请到该店兑奖。" },
};

static void
test_wrong_store (void)
{
  g_test_summary ("Another store's code is labelled by its kind (非本店提货码 / "
                  "非本店券 / 非本店兑奖券) and names the store that owns it");

  for (guint i = 0; i < G_N_ELEMENTS (wrong_store); i++)
    {
      g_autofree char *named = g_strdup_printf ("{\"code\": \"100000000017\", \"kind\": \"%s\","
                                                " \"status\": \"wrong_store\","
                                                " \"store\": {\"name\": \"东门自提点\"}}",
                                                wrong_store[i].kind);
      g_autofree char *unnamed = g_strdup_printf ("{\"code\": \"100000000017\", \"kind\": "
                                                  "\"%s\", \"status\": \"wrong_store\"}",
                                                  wrong_store[i].kind);
      g_autoptr(ScVerdict) verdict = verdict_from (named);
      g_autoptr(ScVerdict) anonymous = verdict_from (unnamed);

      g_assert_cmpstr (sc_verdict_get_label (verdict), ==, wrong_store[i].label);
      g_assert_cmpstr (sc_verdict_get_reason (verdict), ==, wrong_store[i].with_name);
      g_assert_cmpstr (sc_verdict_get_reason (anonymous), ==, wrong_store[i].without_name);
    }
}

/* Every error code the platform sends (src/platform: the refusals of
 * sc-platform-store.c, the API codes of sc-platform-server.c and
 * sc-platform-request.c), with details where the platform gives them. */
static const struct
{
  const char *code;
  const char *details;
  const char *zh;
} refusals[] = {
  { "already_redeemed",
    "{\"redeemed\": {\"store\": {\"id\": \"1001\", \"name\": \"示范自提点\"},"
    " \"clerk\": {\"id\": \"2\", \"name\": \"李强\"}}}",
    "此码已核销，核销门店：示范自提点，店员：李强。" },
  { "already_redeemed", NULL, "此码已核销。" },
  { "expired", NULL, "此码已过期。" },
  { "not_yet_valid", NULL, "此码未生效。" },
  { "invalidated", NULL, "商家已作废此码。" },
  { "gifting", NULL, "此码正在转赠中。" },
  { "deleted", NULL, "顾客已删除此码。" },
  { "wrong_store", "{\"code\": \"100000000017\", \"kind\": \"pickup\", \"status\": "
    "\"wrong_store\", \"store\": {\"name\": \"东门自提点\"}}",
    "此提货码属于东门自提点：请到该店提货。" },
  { "not_found", "{\"code\": \"100000000017\", \"kind\": \"pickup\", \"status\": "
    "\"not_found\"}", "平台上查无此码。" },
  { "not_found", NULL, "平台上没有这条记录" },
  { "qr_stale", "{\"reason_code\": \"token_not_genuine\"}",
    "动态码验证未通过。请顾客重新打开。" },
  { "qr_stale", NULL, "动态码已失效。请顾客重新打开。" },
  { "needs_network", NULL, "此优惠券只能联网核销。" },
  { "threshold_not_met", "{\"min_spend_fen\": 5000, \"bill_fen\": 3000}",
    "消费金额 ¥30.00 未达到最低消费 ¥50.00" },
  { "threshold_not_met", NULL, "消费金额未达到该优惠券的最低消费。" },
  { "not_eligible", "{\"reason_code\": \"claim_window_closed\"}",
    "此奖品的兑奖期已结束。" },
  { "not_eligible", "{\"reason_code\": \"already_claimed\"}",
    "该中奖者已在本次抽奖中兑过奖。" },
  { "not_eligible", NULL, "此奖品不符合兑奖条件。" },
  { "malformed", NULL, "这不是有效的码。" },
  { "bill_required", NULL, NULL },
  { "undo_window_passed", "{\"undo_window_s\": 120}", "无法撤销：已超过撤销时限" },
  { "session_mismatch", NULL,
    "此核销由其他门店或店员完成：只能由其本人登录后发送。" },
  { "duplicate_redemption_id", NULL, "平台上已有另一笔使用相同编号的核销。" },
  { "session_expired", NULL, "登录已过期：请重新登录" },
  { "bad_credentials", NULL, "门店、店员或 PIN 码错误" },
  { "unauthorized", NULL, "平台不允许本门店或本店员进行此操作" },
  { "too_many_attempts", "{\"retry_after_s\": 30}", "PIN 码错误次数过多：请稍候再试" },
  { "too_large", NULL, "请求过大，平台无法接收。" },
  { "bad_request", NULL, UPDATE_WORDS },
  { "bad_json", NULL, UPDATE_WORDS },
  { "idempotency_key_required", NULL, UPDATE_WORDS },
  { "method_not_allowed", NULL, UPDATE_WORDS },
  { "busy", NULL, "平台繁忙：请稍后重试" },
  { "injected_failure", NULL, "平台繁忙：请稍后重试" },
  { "server_error", NULL, "平台出现问题：请稍后重试" },
};

static void
test_refusals (void)
{
  g_test_summary ("Each error code the platform sends is worded by the counter in Chinese, "
                  "with its details (store, clerk, amounts), never with the platform's "
                  "English message");

  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autoptr(JsonObject) details = refusals[i].details != NULL
                                      ? parse_object (refusals[i].details) : NULL;
      g_autofree char *words = sc_verdict_words_refusal (refusals[i].code, details,
                                                         PLATFORM_ENGLISH);

      g_test_message ("%s: %s", refusals[i].code, words);
      g_assert_true (sc_verdict_words_knows_refusal (refusals[i].code));
      g_assert_nonnull (words);
      g_assert_cmpstr (words, !=, PLATFORM_ENGLISH);
      /* Chinese words: at least one character outside ASCII. */
      g_assert_false (g_str_is_ascii (words));
      if (refusals[i].zh != NULL)
        g_assert_cmpstr (words, ==, refusals[i].zh);
    }
}

static void
test_unknown_refusal (void)
{
  g_autofree char *words = NULL;

  g_test_summary ("An error code the counter does not know shows the platform's message; "
                  "without one, nothing");

  g_assert_false (sc_verdict_words_knows_refusal ("moon_phase"));
  words = sc_verdict_words_refusal ("moon_phase", NULL, PLATFORM_ENGLISH);
  g_assert_cmpstr (words, ==, PLATFORM_ENGLISH);
  g_clear_pointer (&words, g_free);
  words = sc_verdict_words_refusal (NULL, NULL, NULL);
  g_assert_null (words);
}

static void
test_unreachable (void)
{
  const char * const loopback[] = { "127.0.0.1", "127.12.0.9", "::1", "[::1]", "localhost",
                                    "LocalHost", "localhost.", NULL };
  const char * const remote[] = { "192.168.1.20", "10.0.0.5", "platform.example.com",
                                  "2001:db8::1", "localhost.example.com", "", NULL };

  g_test_summary ("Cannot reach a platform on this computer: its program is not running; "
                  "on another host: the network");

  for (guint i = 0; loopback[i] != NULL; i++)
    {
      g_autofree char *words = sc_platform_describe_unreachable (loopback[i]);

      g_assert_true (sc_net_host_is_loopback (loopback[i]));
      g_assert_cmpstr (words, ==, NOT_RUNNING);
    }
  for (guint i = 0; remote[i] != NULL; i++)
    {
      g_autofree char *words = sc_platform_describe_unreachable (remote[i]);

      g_assert_false (sc_net_host_is_loopback (remote[i]));
      g_assert_cmpstr (words, ==, "无法连接平台。请检查网线或 Wi-Fi。");
    }
  {
    g_autofree char *words = sc_platform_describe_unreachable (NULL);

    g_assert_cmpstr (words, ==, "无法连接平台。请检查网线或 Wi-Fi。");
  }
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("STORE_COUNTER_LOCALEDIR");

  /* The clerk's language: Chinese (DESIGN §11: LANGUAGE under C.UTF-8). */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/verdict-words/lookup-reasons", test_lookup_reasons);
  g_test_add_func ("/verdict-words/unknown-reason", test_unknown_reason);
  g_test_add_func ("/verdict-words/wrong-store", test_wrong_store);
  g_test_add_func ("/verdict-words/refusals", test_refusals);
  g_test_add_func ("/verdict-words/unknown-refusal", test_unknown_refusal);
  g_test_add_func ("/verdict-words/unreachable", test_unreachable);

  return g_test_run ();
}
