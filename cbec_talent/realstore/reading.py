"""Reading a store's weekly report (CSV or Excel) into validated rows; every problem names its row and column.
The accepted columns (English, Chinese, or the platform report's own headers) are documented in
docs/real-store-columns.md and listed on the store page; COLUMNS below is the one source of both."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from cbec_talent.core.errors import CbecError, Problem
from cbec_talent.core.excel import read_workbook

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000

COLUMNS: dict[str, tuple[str, ...]] = {
    "week_start": ("week_start", "week starting", "week", "date", "周开始日期", "周", "日期"),
    "orders": ("orders", "units ordered", "total order items", "订单数", "订单量"),
    "sales": ("sales", "ordered product sales", "sales amount", "销售额", "成交金额"),
    "currency": ("currency", "币种"),
    "sessions": ("sessions", "visitors", "访客数"),
    "conversion": ("conversion_rate", "conversion rate (%)", "conversion rate", "unit session percentage", "转化率"),
    "rating": ("rating", "store rating", "feedback score", "评分", "店铺评分"),
    "disputes": ("disputes", "claims", "纠纷数", "纠纷"),
}
REQUIRED = ("week_start", "orders", "sales", "rating", "disputes")


@dataclass
class WeekRow:
    row: int
    week_start: dt.date
    orders: int
    sales: Decimal
    currency: str
    sessions: int | None
    conversion: Decimal
    rating: Decimal
    disputes: int


def _records(data: bytes, filename: str) -> tuple[str | None, list[tuple[int, dict]]]:
    if len(data) > MAX_BYTES:
        raise CbecError([Problem(_("The file is larger than 5 MB."))])
    if filename.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        sheets = read_workbook(data)
        sheet = next(iter(sheets), None)
        return sheet, sheets.get(sheet, []) if sheet else []
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise CbecError([Problem(_("The CSV file is neither UTF-8 nor GB18030 text."))])
    reader = csv.reader(io.StringIO(text))
    rows = list(reader)
    if not rows:
        return None, []
    headers = [h.strip() for h in rows[0]]
    out = []
    for number, values in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        out.append((number, {h: v for h, v in zip(headers, values, strict=False) if h}))
    return None, out


def _number(value, *, integer=False) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(_("a value is required"))
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = re.sub(r"[\s,$¥￥€£]|US|RMB|CNY", "", str(value)).rstrip("%")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("not a number: %(v)s") % {"v": str(value)[:30]}) from None
    if number < 0:
        raise ValueError(_("must not be negative"))
    if integer and number != number.to_integral_value():
        raise ValueError(_("must be a whole number"))
    return number


def _week(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        text = str(value or "").strip()
        if not text:
            raise ValueError(_("a date is required"))
        iso = re.fullmatch(r"(\d{4})-?W(\d{1,2})", text, re.I)
        try:
            day = dt.date.fromisocalendar(int(iso[1]), int(iso[2]), 1) if iso else dt.date.fromisoformat(text[:10])
        except ValueError:
            raise ValueError(_("not a date (YYYY-MM-DD or 2026-W10): %(v)s") % {"v": text[:20]}) from None
    return day - dt.timedelta(days=day.weekday())


def read_weeks(data: bytes, filename: str = "") -> list[WeekRow]:
    sheet, records = _records(data, filename)
    return rows_from_records(sheet, records)


def rows_from_records(sheet: str | None, records: list[tuple[int, dict]]) -> list[WeekRow]:
    """Rows as (row number, {header: value}) -> validated weeks (CbecError naming row and column otherwise)."""
    if not records:
        raise CbecError([Problem(_("The file has no rows."), sheet=sheet)])
    if len(records) > MAX_ROWS:
        raise CbecError([Problem(_("At most %(n)d rows.") % {"n": MAX_ROWS}, sheet=sheet)])
    present = {str(h).strip() for _n, r in records for h in r}
    lower = {h.lower(): h for h in present}
    header = {key: next((lower[a] for a in aliases if a in lower), None) for key, aliases in COLUMNS.items()}
    missing = [key for key in REQUIRED if header[key] is None]
    if header["conversion"] is None and header["sessions"] is None:
        missing.append("conversion")
    if missing:
        raise CbecError(
            [
                Problem(
                    _("missing column %(c)s (accepted headers: %(h)s)") % {"c": key, "h": ", ".join(COLUMNS[key])},
                    sheet=sheet,
                    field=key,
                )
                for key in missing
            ]
        )
    problems: list[Problem] = []
    rows: list[WeekRow] = []
    seen: dict[dt.date, int] = {}
    for number, record in records:

        def cell(key, record=record):
            return record.get(header[key]) if header[key] else None

        start = len(problems)
        values = {}
        for key, parse in (
            ("week_start", _week),
            ("orders", lambda v: _number(v, integer=True)),
            ("sales", _number),
            ("rating", _number),
            ("disputes", lambda v: _number(v, integer=True)),
        ):
            try:
                values[key] = parse(cell(key))
            except ValueError as exc:
                problems.append(Problem(str(exc), row=number, field=header[key], sheet=sheet))
        sessions = None
        if header["sessions"] and str(cell("sessions") or "").strip():
            try:
                sessions = int(_number(cell("sessions"), integer=True))
            except ValueError as exc:
                problems.append(Problem(str(exc), row=number, field=header["sessions"], sheet=sheet))
        conversion = None
        if header["conversion"] and str(cell("conversion") or "").strip():
            try:
                conversion = _number(cell("conversion"))
                if conversion > 100:
                    raise ValueError(_("a percentage is between 0 and 100"))
            except ValueError as exc:
                problems.append(Problem(str(exc), row=number, field=header["conversion"], sheet=sheet))
        elif sessions and "orders" in values:
            conversion = (Decimal(values["orders"]) * 100 / Decimal(sessions)).quantize(Decimal("0.01"))
        elif len(problems) == start:
            problems.append(
                Problem(
                    _("give the conversion rate or the sessions"),
                    row=number,
                    field=header["conversion"] or header["sessions"] or "conversion",
                    sheet=sheet,
                )
            )
        if "rating" in values and values["rating"] > 5:
            problems.append(Problem(_("a rating is between 0 and 5"), row=number, field=header["rating"], sheet=sheet))
        currency = str(cell("currency") or "USD").strip().upper() or "USD"
        if not re.fullmatch(r"[A-Z]{3}", currency):
            problems.append(
                Problem(_("a currency is 3 letters (USD, EUR, CNY)"), row=number, field=header["currency"], sheet=sheet)
            )
        if "week_start" in values:
            week = values["week_start"]
            if week in seen:
                problems.append(
                    Problem(
                        _("the week of %(w)s is also on row %(r)d") % {"w": week.isoformat(), "r": seen[week]},
                        row=number,
                        field=header["week_start"],
                        sheet=sheet,
                    )
                )
            seen.setdefault(week, number)
        if len(problems) == start:
            rows.append(
                WeekRow(
                    number,
                    values["week_start"],
                    int(values["orders"]),
                    values["sales"],
                    currency,
                    sessions,
                    Decimal(conversion).quantize(Decimal("0.01")),
                    values["rating"].quantize(Decimal("0.01")),
                    int(values["disputes"]),
                )
            )
    if problems:
        raise CbecError(problems)
    return rows
