"""`cbec-talent demand tag FILE`: tag postings or bare titles and write JSON Lines.

Input: one title per line, or CSV / TSV / JSON Lines with a title column (title, job_title, 职位, 职位名称,
岗位, 岗位名称) and optionally description, location, posted and id columns; UTF-8, UTF-16 with BOM or GBK
(GB 18030) detected automatically (guess_encoding). Output: one JSON object per posting with competencies
(with evidence), position, CSCO codes (``csco``: the title's ranked CSCO 2022 occupations, best first, and
``occupations``: the same with name, score and evidence), platforms, languages, city, salary, experience,
education and month. `cbec-talent demand code FILE` writes only the occupations (code_main).
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

from cbec_talent.engines.demand.data import Posting, TagResult
from cbec_talent.engines.demand.table import load_keyword_table
from cbec_talent.engines.demand.tagger import tag_batch

_COLUMNS = {
    "title": ("title", "job_title", "jobtitle", "position", "职位", "职位名称", "岗位", "岗位名称", "招聘职位"),
    "text": ("text", "description", "desc", "jd", "job_description", "职位描述", "岗位职责", "任职要求", "描述"),
    "location": ("location", "city", "工作地点", "地点", "城市"),
    "posted": ("posted", "date", "posted_at", "发布日期", "发布时间", "日期"),
    "id": ("id", "posting_id", "编号"),
}


#: Characters of Chinese text: CJK ideographs (with extension A), CJK punctuation, full-width forms.
_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
#: Characters GBK bytes produce when read as UTF-8 by chance and that a posting file hardly holds without
#: any Chinese: C1 controls and the two-byte range after Latin Extended-A (IPA, Greek, Cyrillic, Hebrew, ...).
_ODD_UTF8 = re.compile("[\u0080-\u009f\u0180-\u07ff]")


def _gbk_reads_as_chinese(data: bytes) -> bool:
    """The bytes decode as GB 18030 and at least 90% of the non-ASCII characters are GB 2312 ones (the
    common simplified Chinese characters and punctuation that real GBK text is made of)."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    wide = [ch for ch in text if ord(ch) > 127]
    common = 0
    for ch in wide:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return bool(wide) and common >= 0.9 * len(wide)


def guess_encoding(data: bytes, *, cut_ok: bool = False) -> str:
    """'utf-16' (BOM), 'utf-8-sig' or 'gb18030' for some bytes of a posting file; ``cut_ok``: the bytes
    are a sample that may end inside a character.

    UTF-8 when valid and read as text of this domain. Short GBK text can be valid UTF-8 by chance ("职位" in
    GBK reads as Hebrew and Greek): valid UTF-8 without any Chinese but with such characters, whose bytes
    read as common GBK characters, is GBK. Invalid UTF-8 after Chinese UTF-8 text is a UTF-8 file with a
    broken line (the reader names it), else GB 18030.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if data.isascii():
        return "utf-8-sig"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data[: exc.start].decode("utf-8")
        if not (cut_ok and exc.start >= len(data) - 3 and exc.reason == "unexpected end of data"):
            return "utf-8-sig" if len(_CJK.findall(text)) >= 2 and not _ODD_UTF8.search(text) else "gb18030"
    if not _CJK.search(text) and _ODD_UTF8.search(text) and _gbk_reads_as_chinese(data):
        return "gb18030"
    return "utf-8-sig"


def decode_bytes(data: bytes) -> str:
    """A whole file's text: UTF-16 with BOM, UTF-8 (with or without BOM) or GBK read as GB 18030 (its
    superset), as guess_encoding decides; UnicodeDecodeError when it does not decode."""
    return data.decode(guess_encoding(data))


def _pick(header: list[str], field: str) -> str | None:
    lowered = {h.strip().lower(): h for h in header}
    for name in _COLUMNS[field]:
        if name in lowered:
            return lowered[name]
    return None


def _from_rows(rows: Iterator[dict[str, str]], header: list[str], where: str) -> Iterator[Posting]:
    cols = {f: _pick(header, f) for f in _COLUMNS}
    if cols["title"] is None:
        raise ValueError(f"{where}: no title column; expected one of {', '.join(_COLUMNS['title'])}")
    for row in rows:
        yield Posting(**{f: str(row.get(c) or "") for f, c in cols.items() if c is not None})


def read_postings(text: str, name: str = "") -> list[Posting]:
    """Parse decoded file content into postings (format from the file name, else sniffed)."""
    suffix = Path(name).suffix.lower()
    first = next((line for line in text.splitlines() if line.strip()), "")
    if suffix in (".jsonl", ".ndjson") or (suffix != ".csv" and first.lstrip().startswith("{")):
        postings = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{name or 'input'}: line {n}: not valid JSON ({exc.msg})") from None
            if not isinstance(obj, dict):
                raise ValueError(f"{name or 'input'}: line {n}: expected a JSON object")
            postings.extend(_from_rows(iter([{k: str(v) for k, v in obj.items()}]), list(obj), f"line {n}"))
        return postings
    delimiter = "\t" if suffix == ".tsv" or (suffix != ".csv" and "\t" in first) else ","
    if suffix in (".csv", ".tsv") or (delimiter == "\t" or _pick(next(csv.reader([first])), "title")):
        reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        header = reader.fieldnames or []
        if _pick(header, "title") is not None or suffix in (".csv", ".tsv"):
            return list(_from_rows(reader, header, name or "input"))
    return [Posting(title=line.strip()) for line in text.splitlines() if line.strip()]


def result_json(posting: Posting, result: TagResult) -> dict:
    """The JSON object written for one posting (posting text is not echoed, only id and title)."""
    salary = None
    if result.salary is not None:
        low, high = result.salary.monthly()
        salary = {
            **asdict(result.salary),
            "monthly_low": round(low, 2),
            "monthly_high": None if high is None else round(high, 2),
        }
    return {
        "id": posting.id or None,
        "title": posting.title,
        "position": result.position,
        "position_evidence": result.position_evidence,
        "csco": list(result.csco),
        "occupations": [occupation_json(m) for m in result.occupations],
        "competencies": [{"code": h.code, "evidence": list(h.evidence)} for h in result.competencies],
        "platforms": [{"code": h.code, "evidence": list(h.evidence)} for h in result.platforms],
        "languages": [{"code": h.code, "evidence": list(h.evidence)} for h in result.languages],
        "city": result.city,
        "salary": salary,
        "experience": asdict(result.experience) if result.experience else None,
        "education": result.education,
        "month": result.month,
    }


def occupation_json(match) -> dict:
    """One ranked occupation of a title: code, name, score and evidence."""
    return {"code": match.code, "name": match.name, "score": match.score, "evidence": list(match.evidence)}


def code_main(argv: list[str] | None = None) -> int:
    """``cbec-talent demand code FILE``: CSCO 2022 occupation codes of job titles, one JSON object per title."""
    from .occupation import OccupationCoder, load_cases, load_classification

    parser = argparse.ArgumentParser(
        prog="cbec-talent demand code",
        description="Code job titles (one per line, or CSV/TSV/JSONL with a title column; UTF-8 or GBK) with "
        "ranked CSCO 2022 occupations: JSON Lines with title, csco (codes, best first) and occupations "
        "(code, name, score, evidence).",
    )
    parser.add_argument("file", help="input file, or - for standard input")
    parser.add_argument("-o", "--output", help="output JSON Lines file (default: standard output)")
    parser.add_argument("-n", "--top", type=int, default=5, help="occupations per title (default 5)")
    parser.add_argument("--classification", help="csco22.csv to code against (default: the vendored CSCO 2022)")
    parser.add_argument("--cases", help="job_name,expected_code file of known titles "
        "(default: $CBEC_CSCO_CASES or ../shared/data/csco-title-cases/title_cases_dev.csv)")
    args = parser.parse_args(argv)
    try:
        data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
        postings = read_postings(decode_bytes(data), "" if args.file == "-" else args.file)
        coder = OccupationCoder(
            load_classification(args.classification), load_cases(args.cases) if args.cases else None
        )
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    titles = [p.title for p in postings]
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for posting, matches in zip(postings, coder.code_many(titles, max(1, args.top)), strict=True):
            row = {
                "id": posting.id or None,
                "title": posting.title,
                "csco": [m.code for m in matches],
                "occupations": [occupation_json(m) for m in matches],
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if args.output:
            out.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``main(["postings.csv", "-o", "tags.jsonl"])``. Returns the exit status."""
    parser = argparse.ArgumentParser(prog="cbec-talent demand tag", description=__doc__.splitlines()[0])
    parser.add_argument("file", help="input file, or - for standard input")
    parser.add_argument("-o", "--output", help="output JSON Lines file (default: standard output)")
    parser.add_argument("--keywords", help="keywords.yaml of the framework (default: the reference framework)")
    parser.add_argument("--reference", help="the framework file (default: cbec_reference.yaml beside keywords)")
    parser.add_argument("--year", type=int, help="year for MM-DD posting dates")
    parser.add_argument("--batch", type=int, default=5000, help="postings tagged per batch (default 5000)")
    args = parser.parse_args(argv)
    try:
        data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
        postings = read_postings(decode_bytes(data), "" if args.file == "-" else args.file)
        table = load_keyword_table(args.keywords, args.reference)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for i in range(0, len(postings), max(1, args.batch)):
            chunk = postings[i : i + args.batch]
            for posting, result in zip(chunk, tag_batch(chunk, table, year=args.year), strict=True):
                out.write(json.dumps(result_json(posting, result), ensure_ascii=False) + "\n")
    finally:
        if args.output:
            out.close()
    return 0


def _reference_names() -> dict[str, str]:
    """Code -> "中文 / English" for competencies and positions of the reference framework."""
    import yaml

    from .table import REFERENCE_DIR

    path = REFERENCE_DIR / "cbec_reference.yaml"
    if not path.exists():
        return {}
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = [c for a in doc.get("areas") or [] for c in a.get("competencies") or []] + list(doc.get("positions") or [])
    return {i["code"]: f"{i['name']['zh']} / {i['name']['en']}" for i in items}


def report_main(argv: list[str] | None = None) -> int:
    """``cbec-talent demand report FILE``: tag the postings and write the demand report (Markdown)."""
    from .aggregate import demand_figures, top_skills
    from .report import render_markdown

    parser = argparse.ArgumentParser(
        prog="cbec-talent demand report",
        description="Write the demand report of a "
        "posting file: positions, occupations, top skills, platforms, languages, cities.",
    )
    parser.add_argument("file", help="input file (titles, CSV/TSV/JSONL postings; UTF-8 or GBK)")
    parser.add_argument("-o", "--output", help="Markdown file to write (default: standard output)")
    parser.add_argument("--title", default="Demand report")
    parser.add_argument("--year", type=int, help="year for MM-DD posting dates")
    args = parser.parse_args(argv)
    try:
        postings = read_postings(decode_bytes(Path(args.file).read_bytes()), args.file)
        table = load_keyword_table()
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    results = tag_batch(postings, table, year=args.year)
    text = render_markdown(
        demand_figures(results), title=args.title, top=top_skills(results, n=15), names=_reference_names()
    )
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
