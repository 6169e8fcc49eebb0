"""Regular-expression extractors on normalised (lower-cased, half-width) text: salary, experience, month.

Salary forms: 6000-8000元/月, 1-1.5万/月, 8k-12k, 10万/年, 年薪10-15万, 15k/月, 月薪5000以上, 6千-8千,
$3,000-4,000 per month, usd 2000/month. Amounts are returned in currency units per period.
"""

from __future__ import annotations

import re

from cbec_talent.engines.demand.data import Experience, Salary

_NUM = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
_MULT = r"(k(?![a-z])|千|w(?![a-z])|万)?"
_DASH = r"\s*(?:-|~|～|－|—|–|至|到|to)\s*"
_CUR_BEFORE = r"(?:(¥|￥|\$|us\$|usd|rmb|cny|人民币)\s*)?"
_CUR_AFTER = r"\s*(元|块|rmb|cny|usd|美元|美金|人民币)?"
_PERIOD = (
    r"\s*(?:/|每|per\s+|a\s+|an\s+)?\s*"
    r"(月|个月|month|mo(?![a-z])|年|year|yr|annum|天|日|day|小时|时|hour|hr)?"
)
_SALARY = re.compile(
    r"(?:(月薪|年薪|日薪|时薪|底薪|薪资|薪酬|工资|待遇|salary|pay|compensation)[^\d$¥￥]{0,6}?)?"
    + _CUR_BEFORE
    + _NUM
    + r"\s*"
    + _MULT
    + r"(?:"
    + _CUR_AFTER
    + _DASH
    + _CUR_BEFORE
    + _NUM
    + r"\s*"
    + _MULT
    + r")?"
    + _CUR_AFTER
    + r"(\s*(?:以上|起|\+|or more|and above))?"
    + _PERIOD
)
_SALARY_HINT = re.compile(r"[元万千薪$¥￥]|\d\s*k\b|salary|rmb|usd|cny|/月|per month|/month")

_PERIODS = {
    "月": "month",
    "个月": "month",
    "month": "month",
    "mo": "month",
    "年": "year",
    "year": "year",
    "yr": "year",
    "annum": "year",
    "天": "day",
    "日": "day",
    "day": "day",
    "小时": "hour",
    "时": "hour",
    "hour": "hour",
    "hr": "hour",
}
_KEYWORD_PERIOD = {"月薪": "month", "年薪": "year", "日薪": "day", "时薪": "hour"}
_MULTIPLIER = {None: 1.0, "": 1.0, "k": 1000.0, "千": 1000.0, "w": 10000.0, "万": 10000.0}
_USD = {"$", "us$", "usd", "美元", "美金"}


def _amount(num: str, mult: str | None) -> float:
    return float(num.replace(",", "")) * _MULTIPLIER[mult]


#: Where a salary match can start: a pay keyword, a currency sign or word, or the amount's first digit.
#: Scanning for these (a fast character-set search) and trying _SALARY only there finds the same matches
#: as _SALARY.finditer, several times faster.
_SALARY_START = re.compile(
    r"\d|月薪|年薪|日薪|时薪|底薪|薪资|薪酬|工资|待遇|salary|pay|compensation|¥|￥|\$|us\$|usd|rmb|cny|人民币"
)


def _salary_matches(text: str):
    """The matches of _SALARY.finditer(text), found by trying _SALARY only where a match can start."""
    pos, end = 0, len(text)
    search, match = _SALARY_START.search, _SALARY.match
    while pos < end:
        hit = search(text, pos)
        if hit is None:
            return
        m = match(text, hit.start())
        if m is None:
            pos = hit.start() + 1
        else:
            yield m
            pos = m.end()


def extract_salary(text: str) -> Salary | None:
    """The first stated salary in normalised text, or None (also for "面议"/"negotiable" only)."""
    if not _SALARY_HINT.search(text):
        return None
    for m in _salary_matches(text):
        key, cur1, n1, m1, cur_mid, cur2, n2, m2, cur_after, plus, period = m.groups()
        mult1 = m1 or m2  # "1-1.5万": the unit after the range applies to both ends
        has_period = period is not None and (
            period not in ("年", "天", "日") or "/" in m.group(0) or "每" in m.group(0)
        )
        if period in ("年", "天", "日", "时", "小时") and not has_period:
            continue  # "1-3年" is experience, not pay
        currency_words = {cur1, cur_mid, cur2, cur_after} - {None}
        if not (key or currency_words or m1 or m2 or has_period):
            continue
        low = _amount(n1, mult1)
        high = _amount(n2, m2 or m1) if n2 is not None else None
        if key is None and not currency_words and not has_period and low < 1000:
            continue  # "8k" style needs a plausible amount
        if high is not None and high < low:
            continue
        if not has_period and key in _KEYWORD_PERIOD:
            per = _KEYWORD_PERIOD[key]
        else:
            per = _PERIODS.get(period, "month") if has_period else "month"
        if low < 100 and per in ("month", "year"):
            continue
        currency = "USD" if currency_words & _USD else "CNY"
        if high is None and not plus:
            high = low
        return Salary(low=low, high=high, currency=currency, period=per, evidence=m.group(0).strip())
    return None


_CN_NUM = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "半": 0.5,
}
_YEARS = r"(\d+(?:\.\d+)?|[一二两三四五六七八九十半])"
_EXP_PATTERNS = [
    re.compile(_YEARS + r"\s*(?:-|~|～|至|到)\s*" + _YEARS + r"\s*年(?:以上)?(?:的)?(?:[\u4e00-\u9fff]{0,6})?经验"),
    re.compile(r"经验\s*[:：]?\s*" + _YEARS + r"\s*(?:-|~|～|至|到)\s*" + _YEARS + r"\s*年"),
    re.compile(_YEARS + r"\s*年(?:及)?以上(?:的)?(?:[\u4e00-\u9fff/]{0,8})?经验"),
    re.compile(r"经验\s*[:：]?\s*" + _YEARS + r"\s*年(?:及)?以上"),
    re.compile(r"(\d+(?:\.\d+)?)\s*(?:-|~|to)\s*(\d+(?:\.\d+)?)\s*years?"),
    re.compile(r"(\d+(?:\.\d+)?)\s*\+?\s*years?(?:'|’)?\s*(?:of\s+)?(?:[a-z/-]+\s+){0,4}?experience"),
    re.compile(r"(?:at least|minimum(?: of)?|min\.?)\s*(\d+(?:\.\d+)?)\s*years?"),
]
_NO_EXP = re.compile(r"经验不限|无经验|无需经验|不需要经验|零经验|应届|no experience|fresh graduates?|entry[- ]level")


def _years(token: str) -> float:
    return float(_CN_NUM[token]) if token in _CN_NUM else float(token)


#: All the patterns as one alternation, each in a wrapper group: one search finds the leftmost match
#: and, among patterns matching there, the first in list order -- the answer of the loop below when valid.
_EXP_ANY = re.compile("|".join(f"({p.pattern})" for p in _EXP_PATTERNS))


def _outer_groups() -> dict[int, tuple[int, int]]:
    """Group number of pattern i's wrapper in _EXP_ANY -> (first, end) numbers of its own groups."""
    out, number = {}, 1
    for pattern in _EXP_PATTERNS:
        out[number] = (number + 1, number + 1 + pattern.groups)
        number += 1 + pattern.groups
    return out


_EXP_BY_OUTER = _outer_groups()
#: Where an experience match can start: a number (digits or 一..十, 半), 经验, "at least", "min(imum)".
_EXP_START = re.compile(r"[\d一二两三四五六七八九十半]|经验|at least|min")


def _experience_match(text: str) -> re.Match[str] | None:
    """``_EXP_ANY.search(text)``, trying the alternation only where a match can start."""
    search, match, pos = _EXP_START.search, _EXP_ANY.match, 0
    while (hit := search(text, pos)) is not None:
        m = match(text, hit.start())
        if m is not None:
            return m
        pos = hit.start() + 1
    return None


def extract_experience(text: str) -> Experience | None:
    """Years of experience asked in normalised text, or None when the posting says nothing about it."""
    if "经验" not in text and "year" not in text and "应届" not in text and "level" not in text:
        return None
    m = _experience_match(text)
    if m is None:
        m = _NO_EXP.search(text)
        return Experience(min_years=0.0, max_years=None, evidence=m.group(0)) if m else None
    first, end = _EXP_BY_OUTER[m.lastindex]
    groups = [g for g in m.groups()[first - 1 : end - 1] if g is not None]
    low = _years(groups[0])
    high = _years(groups[1]) if len(groups) > 1 else None
    if not (low > 30 or (high is not None and (high < low or high > 40))):
        return Experience(min_years=low, max_years=high, evidence=m.group(m.lastindex))
    return _experience_each(text)  # the leftmost match is implausible: try each pattern on its own


def _experience_each(text: str) -> Experience | None:
    best: tuple[int, Experience] | None = None
    for pattern in _EXP_PATTERNS:
        m = pattern.search(text)
        if m is None:
            continue
        groups = [g for g in m.groups() if g is not None]
        low = _years(groups[0])
        high = _years(groups[1]) if len(groups) > 1 else None
        if low > 30 or (high is not None and (high < low or high > 40)):
            continue
        if best is None or m.start() < best[0]:
            best = (m.start(), Experience(min_years=low, max_years=high, evidence=m.group(0)))
    if best is not None:
        return best[1]
    m = _NO_EXP.search(text)
    if m:
        return Experience(min_years=0.0, max_years=None, evidence=m.group(0))
    return None


_DATE = re.compile(r"^\s*(?:(\d{4})[-/.年])?(\d{1,2})(?:[-/.月](\d{1,2})日?)?\s*$")


def posting_month(posted: str, year: int | None = None) -> str | None:
    """ "YYYY-MM" from YYYY-MM-DD, YYYY-MM, or MM-DD (with ``year``; "MM" when no year is known)."""
    if not posted:
        return None
    m = _DATE.match(posted)
    if not m:
        return None
    y, mm = m.group(1), int(m.group(2))
    if not 1 <= mm <= 12:
        return None
    if y is None and year is not None:
        y = str(year)
    return f"{y}-{mm:02d}" if y else f"{mm:02d}"
