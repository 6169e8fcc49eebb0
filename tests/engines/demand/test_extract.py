"""Salary, experience and month extractors, table-driven over the forms postings use."""

import pytest

from cbec_talent.engines.demand.extract import extract_experience, extract_salary, posting_month
from cbec_talent.engines.demand.matcher import normalise


@pytest.mark.parametrize(
    ("text", "low", "high", "period", "currency"),
    [
        ("薪资6000-8000元/月，包住", 6000, 8000, "month", "CNY"),
        ("1-1.5万/月", 10000, 15000, "month", "CNY"),
        ("salary 8k-12k", 8000, 12000, "month", "CNY"),
        ("8-12K", 8000, 12000, "month", "CNY"),
        ("10万/年", 100000, 100000, "year", "CNY"),
        ("年薪10-15万", 100000, 150000, "year", "CNY"),
        ("月薪5000以上", 5000, None, "month", "CNY"),
        ("底薪4000+提成", 4000, None, "month", "CNY"),
        ("6千-8千/月", 6000, 8000, "month", "CNY"),
        ("$3,000-4,000 per month", 3000, 4000, "month", "USD"),
        ("USD 2000/month", 2000, 2000, "month", "USD"),
        ("待遇：１２０００－１５０００元／月", 12000, 15000, "month", "CNY"),
        ("日薪200元", 200, 200, "day", "CNY"),
    ],
)
def test_salary_forms(text, low, high, period, currency):
    s = extract_salary(normalise(text))
    assert s is not None, text
    assert (s.low, s.high, s.period, s.currency) == (low, high, period, currency)


@pytest.mark.parametrize(
    "text",
    [
        "薪资面议",
        "1-3年工作经验",
        "公司成立于2010年，员工200人",
        "2019-2020 annual report",
        "3 weeks of training",
        "Salary: negotiable",
    ],
)
def test_no_salary_where_none_is_stated(text):
    assert extract_salary(normalise(text)) is None


def test_monthly_conversion_of_a_yearly_salary():
    s = extract_salary(normalise("年薪12-24万"))
    assert s.monthly() == (10000, 20000)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("1-3年外贸经验", 1, 3),
        ("三年以上亚马逊运营经验", 3, None),
        ("经验：2年以上", 2, None),
        ("3+ years of experience in sales", 3, None),
        ("2-5 years experience", 2, 5),
        ("at least 4 years in e-commerce", 4, None),
        ("经验不限，接受应届毕业生", 0, None),
    ],
)
def test_experience_forms(text, low, high):
    e = extract_experience(normalise(text))
    assert e is not None, text
    assert (e.min_years, e.max_years) == (low, high)


def test_no_experience_where_none_is_asked():
    assert extract_experience(normalise("负责亚马逊店铺运营")) is None


@pytest.mark.parametrize(
    ("posted", "year", "month"),
    [
        ("2019-08-27", None, "2019-08"),
        ("08-27", 2019, "2019-08"),
        ("08-27", None, "08"),
        ("2026-11", None, "2026-11"),
        ("", 2019, None),
        ("13-01", 2019, None),
        ("yesterday", 2019, None),
    ],
)
def test_posting_month(posted, year, month):
    assert posting_month(posted, year) == month
