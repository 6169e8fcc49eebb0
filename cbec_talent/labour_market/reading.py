"""Reading posting files: format and encoding detection, header-based column guessing, streaming rows.

CSV, TSV and JSON Lines are read from disk row by row (the encoding is decided on the first 64 KB: UTF-8
when valid, else GB 18030, a superset of GBK); Excel (.xlsx) goes through core.excel, which bounds its size.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from cbec_talent.core.errors import CbecError, Problem
from cbec_talent.core.excel import read_workbook

SNIFF_BYTES = 64 * 1024
FORMATS = ("csv", "tsv", "jsonl", "xlsx")

#: Header names (lower case, no spaces) that suggest each target field, in Chinese and English.
HEADER_HINTS = {
    "title": ("title", "jobtitle", "job_title", "position", "job", "职位", "职位名称", "岗位", "岗位名称", "招聘职位"),
    "company": (
        "company",
        "companyname",
        "company_name",
        "employer",
        "公司",
        "公司名称",
        "企业",
        "企业名称",
        "招聘单位",
    ),
    "description": (
        "description",
        "desc",
        "jd",
        "job_description",
        "text",
        "requirements",
        "职位描述",
        "岗位职责",
        "任职要求",
        "职位要求",
        "岗位描述",
        "描述",
        "职责",
    ),
    "location": ("location", "city", "workplace", "工作地点", "地点", "城市", "工作城市", "地区"),
    "salary": ("salary", "pay", "wage", "薪资", "薪水", "工资", "月薪", "薪酬", "待遇"),
    "date": ("date", "posted", "posted_at", "publish_date", "发布日期", "发布时间", "日期", "更新日期"),
    "source": ("source", "site", "platform_source", "来源", "招聘网站", "数据来源"),
    "language": ("language", "lang", "语言", "发布语言"),
}


def detect_format(name: str, head: bytes) -> str:
    """csv, tsv, jsonl or xlsx from the file name, else from the first bytes."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in ("csv", "tsv", "xlsx"):
        return suffix
    if suffix in ("jsonl", "ndjson", "json"):
        return "jsonl"
    if suffix == "txt":
        return "tsv" if b"\t" in head.split(b"\n", 1)[0] else "csv"
    if head.startswith(b"PK"):
        return "xlsx"
    if head.lstrip().startswith(b"{"):
        return "jsonl"
    return "tsv" if b"\t" in head.split(b"\n", 1)[0] else "csv"


def detect_encoding(head: bytes) -> str:
    """'utf-8-sig' when the sample is UTF-8 (a character cut at the sample's end is allowed), else 'gb18030'."""
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3 or len(head) < SNIFF_BYTES:
            return "gb18030"
    return "utf-8-sig"


def _norm_header(h: str) -> str:
    return re.sub(r"[\s_\-:：()（）]+", "", str(h).strip().lower())


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Target field -> file column, guessed from the header names (exact names first, then containment)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    normed = [(h, _norm_header(h)) for h in headers if str(h).strip()]
    for exact in (True, False):
        for target, hints in HEADER_HINTS.items():
            if target in out:
                continue
            keys = [_norm_header(x) for x in hints]
            for h, n in normed:
                if h in used:
                    continue
                hit = n in keys if exact else any(len(k) > 1 and k in n for k in keys)
                if hit:
                    out[target] = h
                    used.add(h)
                    break
    return out


class _Counted(io.RawIOBase):
    """Wraps a binary file and counts the bytes read (for the progress bar)."""

    def __init__(self, fh):
        self.fh = fh
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.fh.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n


class RowReader:
    """Iterates (row_number, {column: text}) over a stored file; ``fraction`` is how far it has read."""

    def __init__(self, path: str | Path, file_format: str, encoding: str):
        self.path = Path(path)
        self.file_format = file_format
        self.encoding = encoding
        self.size = max(1, self.path.stat().st_size)
        self._raw: _Counted | None = None
        self._done = 0.0

    @property
    def fraction(self) -> float:
        if self._raw is not None:
            return min(1.0, self._raw.count / self.size)
        return self._done

    def headers(self) -> list[str]:
        for _number, row in self.rows(header_only=True):
            return list(row)
        return []

    def rows(self, header_only: bool = False) -> Iterator[tuple[int, dict[str, str]]]:
        if self.file_format == "xlsx":
            yield from self._xlsx(header_only)
            return
        with open(self.path, "rb") as fh:
            self._raw = _Counted(fh)
            text = io.TextIOWrapper(io.BufferedReader(self._raw), encoding=self.encoding, newline="")
            try:
                if self.file_format == "jsonl":
                    yield from self._jsonl(text, header_only)
                else:
                    yield from self._delimited(text, "\t" if self.file_format == "tsv" else ",", header_only)
            except UnicodeDecodeError:
                raise CbecError(
                    [Problem(_("The file mixes text encodings: it is neither all UTF-8 nor all GBK."))]
                ) from None
            except csv.Error as exc:
                raise CbecError([Problem(_("The file is not valid CSV/TSV: %(err)s") % {"err": exc})]) from None

    def _delimited(self, text, delimiter: str, header_only: bool):
        reader = csv.reader(text, delimiter=delimiter)
        header = None
        for values in reader:
            if header is None:
                if not any(v.strip() for v in values):
                    continue
                header = [v.strip() for v in values]
                if header_only:
                    yield reader.line_num, dict.fromkeys(header, "")
                    return
                continue
            if not any(v.strip() for v in values):
                continue
            row = {h: v for h, v in zip(header, values, strict=False) if h}
            if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
                row["__extra__"] = "1"
            yield reader.line_num, row

    def _jsonl(self, text, header_only: bool):
        for number, line in enumerate(text, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                if header_only:
                    raise CbecError([Problem(_("Not valid JSON: %(err)s") % {"err": exc.msg}, row=number)]) from None
                yield number, {"__error__": _("Not valid JSON: %(err)s") % {"err": exc.msg}}
                continue
            if not isinstance(obj, dict):
                yield number, {"__error__": _("Expected a JSON object on this line.")}
                continue
            row = {str(k): "" if v is None else str(v) for k, v in obj.items()}
            yield number, row
            if header_only:
                return

    def _xlsx(self, header_only: bool):
        sheets = read_workbook(self.path.read_bytes())
        sheet = next((rows for rows in sheets.values() if rows), [])
        total = max(1, len(sheet))
        for i, (number, record) in enumerate(sheet, start=1):
            row = {str(k): "" if v is None else _cell_text(v) for k, v in record.items() if k != "__extra__"}
            self._done = i / total
            yield number, row
            if header_only:
                return


def _cell_text(value) -> str:
    if hasattr(value, "date") and hasattr(value, "isoformat"):
        return value.date().isoformat() if hasattr(value, "hour") else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
