"""Reading posting files: format and encoding detection, header-based column guessing, streaming rows.

CSV, TSV and JSON Lines are read from disk row by row; Excel (.xlsx) goes through core.excel, which bounds its
size. Encodings: UTF-8 (with or without BOM), UTF-16 with BOM, and GBK read as GB 18030 (its superset). The
upload decides from the first 64 KB (detect_encoding): a BOM; else UTF-8 when the bytes are valid UTF-8 and
read as text of this domain (short GBK files can be valid UTF-8 by chance: "职位" in GBK reads as Hebrew and
Greek); else GB 18030. When those 64 KB are plain ASCII the decision waits for the first line that is not
(RowReader). Before the first row is handed out, the whole file is decoded once: a line that does not decode
stops the import with its line number, before anything is stored.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from cbec_talent.core.errors import CbecError, Problem
from cbec_talent.core.excel import read_workbook
from cbec_talent.engines.demand.cli import guess_encoding

try:
    from cbec_talent.engines.demand._acscan import csv_cuts as _csv_cuts
except ImportError:  # built without a C compiler: rows() only
    _csv_cuts = None

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


def _decide(data: bytes, cut_ok: bool) -> str:
    """'utf-8-sig' or 'gb18030' for non-ASCII bytes without a BOM (the demand engine's guess, shared with
    its command line)."""
    return "gb18030" if guess_encoding(data, cut_ok=cut_ok) == "gb18030" else "utf-8-sig"


def detect_encoding(head: bytes) -> str:
    """The encoding of a file from its first bytes: 'utf-16' (BOM), 'utf-8-sig' (BOM, valid UTF-8 that reads
    as text of this domain, or plain ASCII) or 'gb18030' (GBK and its superset)."""
    return guess_encoding(head, cut_ok=len(head) >= SNIFF_BYTES)


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


BLOCK_BYTES = 1 << 20
HEADER_BLOCK_BYTES = 1 << 16  # reading just the header row (the mapping step) stays small in memory
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_CODEC_NAMES = {"utf-8": "UTF-8", "gb18030": "GBK", "utf-16": "UTF-16"}


def _breaks(data: bytes, end: int | None = None) -> int:
    """Line breaks (LF, CRLF or a lone CR, as csv counts them) in ``data[:end]``."""
    part = data if end is None else data[:end]
    return part.count(b"\n") + part.count(b"\r") - part.count(b"\r\n")


class _Undecodable(Exception):
    def __init__(self, line: int, codec: str):
        super().__init__(line, codec)
        self.line, self.codec = line, codec


class RowReader:
    """Iterates (row_number, {column: text}) over a stored file; ``fraction`` is how far it has read.

    ``encoding`` is detect_encoding's answer for the file's first bytes. For 'utf-8-sig' without a BOM the
    reader decodes plain ASCII lines as they come and settles on UTF-8 or GB 18030 at the first line that
    is not ASCII (the sample's decision when that line starts within it). Text is decoded in blocks of whole
    lines (a line break byte is never part of a UTF-8 or GB 18030 character), so a failure names its line.
    """

    def __init__(self, path: str | Path, file_format: str, encoding: str):
        self.path = Path(path)
        self.file_format = file_format
        self.encoding = encoding
        self.size = max(1, self.path.stat().st_size)
        self._raw: _Counted | None = None
        self._done = 0.0
        self._pos: int | None = None  # bytes handed out by record_blocks
        self.block_codec = ""  # the codec of record_blocks
        self._codec: str | None = None  # settled codec (lazy for ASCII starts)

    @property
    def fraction(self) -> float:
        if self._raw is not None:
            return min(1.0, self._raw.count / self.size)
        if self._pos is not None:
            return min(1.0, self._pos / self.size)
        return self._done

    def headers(self) -> list[str]:
        for _number, row in self.rows(header_only=True):
            return list(row)
        return []

    def rows(self, header_only: bool = False) -> Iterator[tuple[int, dict[str, str]]]:
        if self.file_format == "xlsx":
            yield from self._xlsx(header_only)
            return
        if not header_only:
            self.check_decodes()
        block = HEADER_BLOCK_BYTES if header_only else BLOCK_BYTES
        with open(self.path, "rb") as fh:
            self._raw = _Counted(fh)
            text = self._text(io.BufferedReader(self._raw, block), block)
            try:
                if self.file_format == "jsonl":
                    yield from self._jsonl(text, header_only)
                else:
                    yield from self._delimited(text, "\t" if self.file_format == "tsv" else ",", header_only)
            except _Undecodable as exc:
                raise self._decode_error(exc.line, exc.codec) from None
            except UnicodeDecodeError:
                raise CbecError([Problem(_("The file is not valid UTF-16 text."))]) from None
            except csv.Error as exc:
                raise CbecError([Problem(_("The file is not valid CSV/TSV: %(err)s") % {"err": exc})]) from None

    def can_split(self) -> bool:
        """Whether record_blocks can cut this file (CSV or TSV in UTF-8, GB 18030 or ASCII, the C extension built)."""
        return _csv_cuts is not None and self.file_format in ("csv", "tsv") and self.encoding != "utf-16"

    def record_blocks(self, max_rows: int, max_bytes: int, read_bytes: int = 16 << 20) -> Iterator[RecordBlock]:
        """The file after its header as blocks of whole records, at most ``max_rows`` records or about
        ``max_bytes`` bytes each, cut without decoding or parsing them (the C extension's csv_cuts follows the csv
        module's states); parse_block turns a block into the (row number, row) pairs rows() yields, anywhere
        (in worker processes), which also reports a line that does not decode (BlockUndecodable). When the codec
        is not known from the file's start, the file is decoded once first, as for rows(). Only when
        can_split()."""
        codec = self._known_codec()
        if codec is None:  # the file starts with plain ASCII: the codec is settled at its first other line
            self.check_decodes()
            codec = self._codec or "utf-8"  # None: nothing but ASCII
        self.block_codec = codec
        delimiter = "\t" if self.file_format == "tsv" else ","
        d, q = ord(delimiter), ord('"')
        with open(self.path, "rb") as fh:
            self._pos = 0
            pending = fh.read(read_bytes)
            eof = len(pending) < read_bytes
            if pending.startswith(codecs.BOM_UTF8):
                pending, self._pos = pending[3:], 3
            line, header = 1, None
            while True:
                if header is None:  # one record at a time, from a window at the start
                    window = pending[: 1 << 16]
                    cuts = _csv_cuts(window, d, q, 1, max_bytes, eof and len(window) == len(pending))
                    cuts = cuts or _csv_cuts(pending, d, q, 1, max_bytes, eof)
                    if cuts:
                        end, lines = cuts[0]
                        try:
                            text = pending[:end].decode(codec)
                        except UnicodeDecodeError as exc:
                            raise self._decode_error(undecodable_line(pending[:end], line, exc), codec) from None
                        values = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
                        if any(v.strip() for v in values):
                            header = [v.strip() for v in values]
                        pending, line, self._pos = pending[end:], line + lines, self._pos + end
                        continue
                else:
                    start = lines_before = 0
                    for end, lines in _csv_cuts(pending, d, q, max_rows, max_bytes, eof):
                        yield RecordBlock(pending[start:end], line + lines_before, codec, header, delimiter)
                        self._pos += end - start
                        start, lines_before = end, lines
                    pending, line = pending[start:], line + lines_before
                if eof:
                    return
                more = fh.read(read_bytes)
                eof = len(more) < read_bytes
                pending += more

    def _known_codec(self) -> str | None:
        """The codec the file is read with when it is known before reading on (rows() settles on it the same
        way): a UTF-8 BOM, GB 18030, or a byte beyond ASCII within the upload's sample (which chose UTF-8)."""
        with open(self.path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8"
        if self.encoding not in ("utf-8-sig", "utf-8", ""):
            return "gb18030" if self.encoding == "gb18030" else self.encoding
        return "utf-8" if _NON_ASCII.search(head) else None

    def decode_error(self, line: int, codec: str) -> CbecError:
        """The error of a line that does not decode (as rows() and check_decodes report it)."""
        return self._decode_error(line, codec)

    def check_decodes(self) -> None:
        """Decode the whole file once (C-speed, nothing kept); CbecError naming the first line that does not
        decode. rows() calls it before handing out the first row, so a bad line late in a large file stops
        the import before anything is stored."""
        if self.file_format == "xlsx":
            return
        with open(self.path, "rb") as fh:
            try:
                if self.encoding == "utf-16":
                    text = io.TextIOWrapper(fh, encoding="utf-16", newline="")
                    while text.read(BLOCK_BYTES):
                        pass
                else:
                    for _piece in self._pieces(fh):
                        pass
            except _Undecodable as exc:
                raise self._decode_error(exc.line, exc.codec) from None
            except UnicodeDecodeError:
                raise CbecError([Problem(_("The file is not valid UTF-16 text."))]) from None

    def _decode_error(self, line: int, codec: str) -> CbecError:
        name = _CODEC_NAMES.get(codec, codec)
        return CbecError(
            [
                Problem(
                    _(
                        "Line %(line)d cannot be read as %(encoding)s text, the encoding of the lines before it: "
                        "the file mixes text encodings or holds bytes that are not text. Nothing was imported; "
                        "save the file as UTF-8 and upload it again."
                    )
                    % {"line": line, "encoding": name},
                    row=line,
                )
            ]
        )

    def _text(self, fh, block: int = BLOCK_BYTES) -> Iterator[str]:
        """The file's lines, line ends kept, split like a file opened with newline=""."""
        if self.encoding == "utf-16":
            return io.TextIOWrapper(fh, encoding="utf-16", newline="")
        return (line for piece in self._pieces(fh, block) for line in io.StringIO(piece, newline=""))

    def _pieces(self, fh, block_bytes: int = BLOCK_BYTES) -> Iterator[str]:
        """Decoded text in pieces of whole lines; _Undecodable(line number, codec) at the first bad line."""
        codec = self._codec
        if codec is None and self.encoding not in ("utf-8-sig", "utf-8", ""):
            codec = self._codec = "gb18030" if self.encoding == "gb18030" else self.encoding
        pending, offset, line, first = b"", 0, 1, True
        while True:
            block = fh.read(block_bytes)
            data = pending + block if pending else block
            if first and data:
                first = False
                if data.startswith(codecs.BOM_UTF8):
                    data, offset = data[3:], 3
                    codec = self._codec = "utf-8"
            if block:
                cut = data.rfind(b"\n") + 1 or data.rfind(b"\r", 0, len(data) - 1) + 1  # (old Mac line ends)
                if cut == 0:
                    pending = data
                    continue
                part, pending = data[:cut], data[cut:]
            else:
                part, pending = data, b""
            if part:
                if codec is None:
                    if part.isascii():
                        yield part.decode("ascii")
                        offset, line = offset + len(part), line + _breaks(part)
                        continue
                    at = offset + _NON_ASCII.search(part).start()
                    # the upload's sample held this byte: it chose UTF-8 (GBK would have been stored)
                    codec = self._codec = "utf-8" if at < SNIFF_BYTES else _decide(part, cut_ok=False)
                    if codec == "utf-8-sig":
                        codec = self._codec = "utf-8"
                try:
                    text = part.decode(codec)
                except UnicodeDecodeError as exc:
                    good = max(part.rfind(b"\n", 0, exc.start), part.rfind(b"\r", 0, exc.start)) + 1
                    if good:  # the lines before the bad one, so that a header-only read still succeeds
                        yield part[:good].decode(codec)
                    raise _Undecodable(line + _breaks(part, good), codec) from None
                yield text
                offset, line = offset + len(part), line + _breaks(part)
            if not block:
                return

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
            row = _record(header, values)
            if row is not None:
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


def _record(header: list[str], values: list[str]) -> dict[str, str] | None:
    """One parsed record as {column: text} (None for a blank one); "__extra__" when it has more values than the
    header has columns."""
    if not any(v.strip() for v in values):
        return None
    row = {h: v for h, v in zip(header, values, strict=False) if h}
    if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
        row["__extra__"] = "1"
    return row


@dataclass
class RecordBlock:
    """Whole records of a delimited file (bytes), its first line's number and what parsing them needs."""

    data: bytes
    first_line: int
    codec: str
    header: list[str]
    delimiter: str


class BlockUndecodable(Exception):
    """A line of a RecordBlock that does not decode: its number in the file."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


def undecodable_line(data: bytes, first_line: int, exc: UnicodeDecodeError) -> int:
    """The number of the line holding the byte ``exc`` failed at (data starts at line ``first_line``)."""
    good = max(data.rfind(b"\n", 0, exc.start), data.rfind(b"\r", 0, exc.start)) + 1
    return first_line + _breaks(data, good)


def parse_block(block: RecordBlock) -> list[tuple[int, dict[str, str]]]:
    """The (row number, row) pairs of a RecordBlock, as RowReader.rows() yields them for those lines (csv.Error
    for a record the csv module refuses, BlockUndecodable for a line that does not decode)."""
    try:
        text = block.data.decode(block.codec)
    except UnicodeDecodeError as exc:
        raise BlockUndecodable(undecodable_line(block.data, block.first_line, exc)) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=block.delimiter)
    out, base = [], block.first_line - 1
    header = block.header
    for values in reader:
        row = _record(header, values)
        if row is not None:
            out.append((base + reader.line_num, row))
    return out
