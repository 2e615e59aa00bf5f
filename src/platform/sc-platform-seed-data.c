/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-seed-private.h"

/* The demo data's tables: what the stores sell, and the names of their
 * customers. */

const ScPlatformSeedProduct sc_platform_seed_products[] = {
  { "本地小白菜 500g", 290 },
  { "有机西兰花 1颗", 590 },
  { "土鸡蛋 30枚", 2890 },
  { "红富士苹果 5斤", 2990 },
  { "海南香蕉 3斤", 1290 },
  { "五常大米 10斤", 5990 },
  { "鲜牛奶 1L", 1390 },
  { "猪肋排 500g", 3290 },
  { "精品五花肉 500g", 2290 },
  { "番茄 1kg", 890 },
  { "土豆 2.5kg", 990 },
  { "黄瓜 500g", 390 },
  { "冰鲜三文鱼 200g", 4590 },
  { "砂糖橘 5斤", 2490 },
  { "阳光玫瑰葡萄 1串", 3990 },
  { "老豆腐 2盒", 590 },
  { "花生油 5L", 8990 },
  { "手工水饺 1kg", 2590 },
  { "云南蓝莓 125g×4", 3990 },
  { "鲜虾仁 250g", 3590 },
  { "散养鸭蛋 12枚", 1890 },
  { "生菜 400g", 350 },
};

static const char * const surnames[] = {
  "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴",
  "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗",
};

static const char * const given_names[] = {
  "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
  "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平", "刚",
};

const char *
sc_platform_seed_surname (GRand *rand)
{
  return surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))];
}

const char *
sc_platform_seed_given_name (GRand *rand)
{
  return given_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (given_names))];
}
