"""Excel in and out, safely: bounded size, no zip bombs, no formula injection, row-and-field errors.

Writing: any text cell that a spreadsheet could run as a formula (leading = + - @ tab CR) is prefixed with
an apostrophe, and so is text that already starts with one; reading removes exactly one leading apostrophe,
so export followed by import gives back the same text.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .errors import CbecError, Problem

MAX_XLSX_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value):
    """Text that a spreadsheet would evaluate is neutralised; everything else passes unchanged."""
    if isinstance(value, str) and value and (value.startswith(DANGEROUS_PREFIXES) or value.startswith("'")):
        return "'" + value
    return value


def unescape_cell(value):
    if isinstance(value, str) and value.startswith("'"):
        return value[1:]
    return value


@dataclass(frozen=True)
class SheetSpec:
    name: str
    headers: Sequence[str]
    widths: Sequence[int] = ()


def write_workbook(sheets: Iterable[tuple[SheetSpec, Iterable[Sequence]]]) -> bytes:
    """A workbook with one bold, frozen header row per sheet; every text cell escaped."""
    wb = Workbook()
    wb.remove(wb.active)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for spec, rows in sheets:
        ws = wb.create_sheet(spec.name)
        ws.append([escape_cell(h) for h in spec.headers])
        for cell in ws[1]:
            cell.font = header_font
            cell.fill = header_fill
        for row in rows:
            ws.append([escape_cell(v) for v in row])
        ws.freeze_panes = "A2"
        for i, header in enumerate(spec.headers, start=1):
            width = spec.widths[i - 1] if i - 1 < len(spec.widths) else max(12, min(40, len(str(header)) + 4))
            ws.column_dimensions[get_column_letter(i)].width = width
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def check_xlsx_bytes(data: bytes, *, max_bytes: int = MAX_XLSX_BYTES) -> None:
    """Refuse what is not a sane .xlsx before openpyxl sees it: size, zip structure, expansion ratio."""
    if not data:
        raise CbecError([Problem(_("The file is empty."))])
    if len(data) > max_bytes:
        raise CbecError(
            [
                Problem(
                    _("The file is too large: %(size)d bytes; the limit is %(max)d bytes.")
                    % {"size": len(data), "max": max_bytes}
                )
            ]
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            names = {i.filename for i in infos}
    except zipfile.BadZipFile:
        raise CbecError([Problem(_("This is not an Excel (.xlsx) file, or the file is damaged."))]) from None
    if "[Content_Types].xml" not in names:
        raise CbecError([Problem(_("This is not an Excel (.xlsx) file, or the file is damaged."))])
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        raise CbecError([Problem(_("The file is too large once decompressed (possibly a zip bomb) and was rejected."))])


def read_workbook(data: bytes) -> dict[str, list[tuple[int, dict]]]:
    """Sheet name -> list of (excel_row_number, {header: value}); blank rows skipped; values unescaped."""
    check_xlsx_bytes(data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise CbecError([Problem(_("Cannot read the Excel file: %(err)s") % {"err": exc.__class__.__name__})]) from None
    out: dict[str, list[tuple[int, dict]]] = {}
    try:
        for ws in wb.worksheets:
            rows = ws.iter_rows(values_only=True)
            try:
                header = next(rows)
            except StopIteration:
                out[ws.title] = []
                continue
            headers = [str(unescape_cell(h)).strip() if h is not None else "" for h in header]
            records = []
            for number, values in enumerate(rows, start=2):
                if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                record = {}
                for h, v in zip(headers, values, strict=False):
                    if h:
                        record[h] = unescape_cell(v)
                extra = [v for v in values[len(headers) :] if v not in (None, "")]
                if extra:
                    record["__extra__"] = extra
                records.append((number, record))
            out[ws.title] = records
    finally:
        wb.close()
    return out
