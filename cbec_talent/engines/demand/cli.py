"""`cbec-talent demand tag FILE`: tag postings or bare titles and write JSON Lines.

Input: one title per line, or CSV / TSV / JSON Lines with a title column (title, job_title, 职位, 职位名称,
岗位, 岗位名称) and optionally description, location, posted and id columns; UTF-8 or GBK (GB 18030)
detected automatically. Output: one JSON object per posting with competencies (with evidence), position,
CSCO codes, platforms, languages, city, salary, experience, education and month.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
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


def decode_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM) when valid, else GB 18030 (a superset of GBK and GB 2312)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


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
        "competencies": [{"code": h.code, "evidence": list(h.evidence)} for h in result.competencies],
        "platforms": [{"code": h.code, "evidence": list(h.evidence)} for h in result.platforms],
        "languages": [{"code": h.code, "evidence": list(h.evidence)} for h in result.languages],
        "city": result.city,
        "salary": salary,
        "experience": asdict(result.experience) if result.experience else None,
        "education": result.education,
        "month": result.month,
    }


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
