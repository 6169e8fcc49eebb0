"""Demo data for the demand pages: 60 invented CBEC job postings (written for the demo, not scraped), imported
through the ordinary import path and tagged with the reference framework's keywords.

Idempotent: does nothing when a finished import named demo-postings.csv exists. Needs the reference framework.
"""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from cbec_talent.competencies.models import Framework

from . import services
from .models import PostingImport

FILE_NAME = "demo-postings.csv"
JOBS = [
    (
        "亚马逊运营专员",
        "负责亚马逊店铺日常运营、listing优化和广告投放，英语四级以上，能做销售数据分析。",
        "8千-1.2万/月",
    ),
    ("外贸业务员", "开发海外客户，熟悉外贸流程、报价和跟单，英语口语流利。", "6000-9000元/月"),
    ("速卖通客服", "处理速卖通买家咨询与售后纠纷，会俄语或西班牙语优先。", "5000-7000元/月"),
    ("跨境电商美工", "负责产品主图、详情页设计和图片处理，熟练使用Photoshop。", "6000-8000元/月"),
    ("数据分析专员", "负责店铺销售数据分析与报表，熟悉Excel和SQL，有数据挖掘经验优先。", "1-1.5万/月"),
    ("海外仓物流专员", "负责国际物流渠道对接与海外仓发货，熟悉报关和清关流程。", "7000-9000元/月"),
    ("日语运营助理", "协助日本站店铺运营，日语N2以上，了解日本消费习惯。", "6000-8000元/月"),
    ("海外社媒推广专员", "负责Facebook和TikTok账号运营与网红营销，英文文案能力强。", "8000-12000元/月"),
    ("独立站运营", "负责Shopify独立站运营、SEO和Google Ads投放，能分析转化率数据。", "1-1.8万/月"),
    ("跨境电商采购", "负责供应商开发与采购议价，熟悉供应链管理，有团队合作精神。", "6000-8000元/月"),
]
CITIES = ["深圳-宝安区", "广州-天河区", "杭州", "宁波", "义乌", "厦门"]
COMPANIES = ["海帆贸易", "东港进出口", "樱桥电商", "云图科技", "远航国际物流", "星河供应链"]


def demo_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["职位名称", "公司", "职位描述", "工作地点", "薪资", "发布日期", "来源"])
    for i in range(60):
        title, desc, pay = JOBS[i % len(JOBS)]
        company = f"{COMPANIES[(i // len(JOBS)) % len(COMPANIES)]}{'' if i < 36 else '（分公司）'}"
        writer.writerow(
            [title, company, desc, CITIES[i % len(CITIES)], pay, f"2024-{1 + i % 6:02d}-{1 + i % 27:02d}", "示例"]
        )
    return out.getvalue().encode("utf-8")


def create_demo_data() -> PostingImport | None:
    """Import the demo postings once (inline, no worker needed); returns the import, or None without a framework."""
    existing = PostingImport.objects.filter(file_name=FILE_NAME, status=PostingImport.Status.DONE).first()
    if existing is not None:
        return existing
    framework = Framework.objects.filter(is_reference=True).first()
    if framework is None:
        return None
    imp = services.import_create(uploaded_file=SimpleUploadedFile(FILE_NAME, demo_csv()), framework=framework)
    return services.import_start(posting_import=imp, mapping=imp.mapping, keep_good_rows=False, run_inline=True)


SHIFTED_FILE_NAME = "demo-postings-2nd-batch.csv"
SHIFTED_JOBS = [
    (
        "TikTok Shop 直播运营",
        "负责TikTok Shop店铺与直播带货，做短视频内容和网红营销，分析销售数据与转化率，英语流利。",
        "1-1.5万/月",
    ),
    (
        "跨境电商数据分析师",
        "负责TikTok与独立站销售数据分析、报表和数据挖掘，熟练使用Excel和SQL。",
        "1.2-2万/月",
    ),
    (
        "TikTok Ads Specialist",
        "Run TikTok ads and influencer marketing; analyse sales data in Excel and SQL.",
        "1-1.6万/月",
    ),
    ("亚马逊运营专员", "负责亚马逊店铺日常运营和listing优化，能做销售数据分析。", "8千-1.2万/月"),
]


def shifted_csv(n: int = 80) -> bytes:
    """A second batch of invented postings whose demand moved: data analysis and TikTok now dominate (for the
    demand-shift alert in the tour and the tests)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["职位名称", "公司", "职位描述", "工作地点", "薪资", "发布日期", "来源"])
    for i in range(n):
        title, desc, pay = SHIFTED_JOBS[i % len(SHIFTED_JOBS)]
        writer.writerow(
            [
                title,
                f"{COMPANIES[i % len(COMPANIES)]}{i // len(COMPANIES)}",
                f"{desc}（批次2-{i}）",
                CITIES[i % len(CITIES)],
                pay,
                f"2024-{7 + i % 6:02d}-{1 + i % 27:02d}",
                "示例",
            ]
        )
    return out.getvalue().encode("utf-8")
