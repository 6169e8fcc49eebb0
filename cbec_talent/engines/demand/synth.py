"""Seeded generator of synthetic job postings (mixed Chinese and English, about 2 KB each) for benchmarks
and tests. Templates and vocabulary are written for this project; nothing is copied from job sites."""

from __future__ import annotations

import random

from cbec_talent.engines.demand.data import Posting

_TITLES = [
    "亚马逊运营专员",
    "外贸业务员",
    "Amazon Operations Specialist",
    "跨境电商客服",
    "速卖通运营助理",
    "Overseas Sales Executive",
    "网店美工",
    "数据分析师",
    "海外社媒运营",
    "报关员",
    "物流专员",
    "外贸经理",
    "Product Developer",
    "英语翻译",
    "运营总监",
    "SEO Specialist",
    "选品专员",
    "Shopee运营",
]
_CITIES = ["深圳-宝安区", "深圳-龙岗区", "广州-天河区", "杭州-滨江区", "义乌", "厦门-思明区", "宁波", "东莞"]
_PLATFORMS = [
    "亚马逊",
    "Amazon",
    "速卖通",
    "AliExpress",
    "eBay",
    "Shopee",
    "虾皮",
    "Lazada",
    "Wish",
    "TikTok Shop",
    "Temu",
    "独立站",
    "Shopify",
    "阿里巴巴国际站",
    "Walmart",
    "美客多",
]
_LANGS = ["英语", "English", "日语", "西班牙语", "德语", "法语", "俄语", "Japanese", "Spanish", "阿拉伯语", "泰语"]
_ZH = [
    "负责{p}店铺的日常运营，包括产品上架、Listing优化和广告投放，提升店铺销量与排名。",
    "熟悉{p}平台规则，能独立完成选品、定价、库存管理和补货计划。",
    "通过{p}、展会及开发信等渠道开发海外客户，跟进询盘直至成交，维护老客户关系。",
    "用{l}回复买家邮件和站内信，处理售后问题、退换货及差评，提高客户满意度。",
    "对销售数据进行统计分析，每周输出运营数据报表，提出优化建议。",
    "负责主图、详情页设计及产品拍摄，熟练使用Photoshop和Illustrator。",
    "对接货代和海外仓，安排头程发货、报关清关，跟踪物流时效。",
    "负责PayPal、Payoneer等收款账户管理，做好结汇和对账工作。",
    "熟悉欧美知识产权法规，确保产品不侵权，防范账号风险。",
    "具有良好的沟通能力和团队合作精神，学习能力强，能承受工作压力。",
    "撰写英文产品标题、五点描述和A+文案，必要时翻译产品说明书。",
    "进行市场调研和竞品分析，研究目标市场的消费者行为。",
    "带领{n}人运营团队，制定月度目标并进行绩效考核，熟练使用ERP系统。",
    "负责Facebook、Instagram、TikTok等社交媒体的内容创作与推广，联系海外红人合作。",
    "有较强的商务谈判能力，能与供应商议价并控制采购成本。",
    "熟悉外贸流程和FOB、CIF等贸易术语，能制作形式发票和外贸单证。",
]
_EN = [
    "Manage our {p} store end to end: listings, pricing, inventory and advertising campaigns.",
    "Develop new customers through {p}, trade shows and cold emails; follow up inquiries to close deals.",
    "Respond to buyer messages in {l} within 24 hours and resolve disputes, returns and refunds.",
    "Analyse sales data in Excel and Power BI and report weekly KPIs to the management team.",
    "Coordinate sea freight and air freight with forwarders and the overseas warehouse.",
    "Write compelling product descriptions and translate marketing materials for local markets.",
    "Conduct market research and competitor analysis to support product selection.",
    "Strong communication skills, a team player, eager to learn and able to work under pressure.",
    "Negotiate prices and payment terms with suppliers; manage the supply chain from factory to customer.",
    "Ensure compliance with platform policies, trademark and intellectual property rules.",
    "Run PPC campaigns and SEO, and grow traffic and conversion rate on social media.",
    "Experience with Shopify, HTML and CSS is a plus; familiarity with Photoshop preferred.",
]
_FOOTERS = [
    "薪资{a}-{b}元/月，{e}及以上学历，{y}年以上相关工作经验。",
    "Salary {ka}k-{kb}k per month, {ee} degree, {y}+ years of experience.",
    "月薪{wa}-{wb}万，五险一金，周末双休，{e}学历，经验{y}-{y2}年。",
    "年薪{ya}-{yb}万，提供住宿，{e}以上学历。",
]
_EDU = ["大专", "本科", "硕士", "中专"]
_EDU_EN = ["Bachelor's", "associate", "Master's"]


def generate_postings(n: int, *, seed: int = 0, target_bytes: int = 2000) -> list[Posting]:
    """``n`` postings of about ``target_bytes`` UTF-8 bytes each, reproducible for a given seed."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        title = rng.choice(_TITLES)
        parts: list[str] = []
        size = len(title.encode("utf-8"))
        while size < target_bytes - 120:
            pool = _ZH if rng.random() < 0.6 else _EN
            s = rng.choice(pool).format(p=rng.choice(_PLATFORMS), l=rng.choice(_LANGS), n=rng.randint(3, 15))
            parts.append(s)
            size += len(s.encode("utf-8")) + 1
        y = rng.randint(1, 5)
        a = rng.randrange(4000, 12000, 500)
        parts.append(
            rng.choice(_FOOTERS).format(
                a=a,
                b=a + rng.randrange(1000, 6000, 500),
                e=rng.choice(_EDU),
                ee=rng.choice(_EDU_EN),
                y=y,
                y2=y + 2,
                ka=a // 1000,
                kb=a // 1000 + rng.randint(2, 6),
                wa=1,
                wb=1.5,
                ya=rng.randint(8, 15),
                yb=rng.randint(16, 30),
            )
        )
        out.append(
            Posting(
                title=title,
                text="\n".join(parts),
                location=rng.choice(_CITIES),
                posted=f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                id=str(i),
            )
        )
    return out
