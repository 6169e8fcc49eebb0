"""The shipped reference framework (cbec_reference.yaml) matches FRAMEWORK.md and the papers' tables.

Plain pytest, no Django. The stable spec (codes, Table II titles and item counts, Table III courses) is
hard-coded here on purpose: it is what a reviewer checks the data file against. Checks that need the shared
reference data or the seed papers skip with a reason when those are absent.
"""

import csv
import os
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "cbec_talent" / "reference"
YAML_PATH = REFERENCE / "framework" / "cbec_reference.yaml"
CSCO_CSV = REFERENCE / "csco2022" / "csco22.csv"
SHARED_DATA = Path(os.environ.get("CBEC_SHARED_DATA", REPO / ".." / "shared" / "data")).resolve()
SEEDS = SHARED_DATA.parent / "seeds"
ESCO_CSV = SHARED_DATA / "esco-v1.1-occupations" / "occupations_en.csv"

# FRAMEWORK.md, "Areas and competencies": code -> papers that name it ([] for an area).
FRAMEWORK_CODES = {
    "LANG": [],
    "LANG.EN": ["000", "002", "004"],
    "LANG.X": ["004"],
    "LANG.XC": ["003", "004"],
    "TRADE": [],
    "TRADE.PRACTICE": ["001", "003", "004"],
    "TRADE.CUSTOMS": ["000", "001", "002"],
    "TRADE.PAY": ["000", "002", "004"],
    "TRADE.LAW": ["002", "003", "004"],
    "TRADE.RISK": ["003"],
    "OPS": [],
    "OPS.PLATFORM": ["000", "002", "003", "004"],
    "OPS.SUPPLY": ["000", "002", "003"],
    "OPS.LOGISTICS": ["000", "002", "003"],
    "OPS.SERVICE": ["000", "002", "003"],
    "OPS.MANAGE": ["003"],
    "MKT": [],
    "MKT.ONLINE": ["000", "003", "004"],
    "MKT.RESEARCH": ["001", "003", "004"],
    "MKT.SALES": ["002", "003"],
    "MKT.CONTENT": ["002", "003"],
    "MKT.NEGOTIATE": ["002", "003"],
    "DATA": [],
    "DATA.ANALYSIS": ["000", "003"],
    "DATA.MINING": ["003"],
    "TECH": [],
    "TECH.WEB": ["000", "003"],
    "TECH.DESIGN": ["002", "003", "004"],
    "TECH.IT": ["002", "004"],
    "TECH.SYSTEMS": ["003"],
    "GEN": [],
    "GEN.TEAM": ["000", "003"],
    "GEN.LEARN": ["000", "001", "003"],
    "GEN.ATTITUDE": ["000", "002"],
    "GEN.PROBLEM": ["001", "002"],
}

# Paper 003, Table II: (title, number of numbered ability requirements), in the table's order.
TABLE_II = [
    ("Web editor and artist", 3),
    ("PC and mobile web page designer, website developer and maintainer", 4),
    ("Website promotion and planner", 5),
    ("Online marketing specialist", 4),
    ("Market researcher", 4),
    ("Senior sales consultant", 3),
    ("Customer service commissioner", 3),
    ("Data analyst", 4),
    ("Internet marketing manager", 5),
    ("Internet operating manager", 3),
    ("Operating manager", 3),
    ("Risk control specialist", 3),
    ("Business negotiation representative", 3),
]

# Paper 002: the positions found on job sites, verbatim, in the paper's order.
PAPER_002_TITLES = [
    "cross-border e-commerce customer service",
    "cross-border e-commerce sales",
    "cross-border e-commerce product developers",
    "cross-border e-commerce foreign language editing/translation/copywriting/copywriting",
    "warehousing and logistics division",
    "web designer/artist",
    "cross-border payment specialist",
    "customs broker",
    "equipment technician",
    "cross-border e-commerce business manager",
    "cross-border e-commerce operations director",
]

# Paper 003, Table III: certificate -> (degree, {direction: [course names in order]}).
TABLE_III = {
    "CERT.CBEE": (
        "bachelor",
        {
            "DIR.RD": [
                "Dynamic Web Design",
                "Web Interface Design and Beautification",
                "E-commerce Security",
                "Mobile APP Planning and Implementation",
            ],
            "DIR.OP": [
                "Online retail practice",
                "online editing practice",
                "business website operation",
                "online customer service and management",
                "online store operation and management",
                "online marketing and planning",
                "international trade practice",
                "cross-border culture and communication",
                "e-commerce law",
            ],
            "DIR.DA": [
                "Database technology",
                "data engineering",
                "commodity information collection and processing",
                "network investigation and analysis",
            ],
        },
    ),
    "CERT.CBEE.SENIOR": (
        "master",
        {
            "DIR.RD": [
                "E-commerce website construction",
                "e-commerce system planning and design",
                "management information system",
                "e-commerce security",
                "data analysis language proficiency",
            ],
            "DIR.OP": [
                "Introduction to E-commerce",
                "Network Operations Management",
                "Enterprise E-commerce Management",
                "Consumer Behavior",
                "International Trade Practice",
                "International Payment and Settlement",
                "Cross-border Logistics and Supply Chain",
            ],
            "DIR.DA": [
                "Business data analysis",
                "data mining technology",
                "big data modeling",
                "business mode planning",
            ],
        },
    ),
}

LEVELS = ["aware", "apply", "master"]
DIRECTIONS = ["DIR.RD", "DIR.OP", "DIR.DA"]
DEGREES = ["bachelor", "master"]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def doc():
    with YAML_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def positions(doc):
    return {p["code"]: p for p in doc["positions"]}


def _competency_codes(doc):
    return [c["code"] for area in doc["areas"] for c in area["competencies"]]


def _seed_text(prefix):
    """Whitespace-normalised text of seed paper `prefix` (000..004); skips when the seeds are absent."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not matches:
        pytest.skip(f"seed paper {prefix} not found under {SEEDS}")
    return re.sub(r"\s+", " ", matches[0].read_text(encoding="utf-8"))


def test_header_sources_and_levels(doc):
    assert doc["format"] == "cbec-framework/1"
    assert doc["framework"]["code"] == "CBEC-REF"
    assert [s["code"] for s in doc["framework"]["sources"]] == ["000", "001", "002", "003", "004"]
    assert all(s["title"].strip() and s["citation"].strip() for s in doc["framework"]["sources"])
    titles = {s["code"]: s["title"] for s in doc["framework"]["sources"]}
    assert titles["003"] == (
        "Research on Cross-border E-commerce Professional Capabilities and Training Modes of Talents"
    )
    assert [lv["code"] for lv in doc["levels"]] == LEVELS
    assert [lv["rank"] for lv in doc["levels"]] == [1, 2, 3]


def test_exactly_the_framework_codes_in_order(doc):
    listed = []
    for area in doc["areas"]:
        listed.append(area["code"])
        for comp in area["competencies"]:
            assert comp["code"].split(".")[0] == area["code"], comp["code"]
            listed.append(comp["code"])
    # FRAMEWORK.md lists 7 areas (LANG, TRADE, OPS, MKT, DATA, TECH, GEN) and 28 competencies.
    assert len(FRAMEWORK_CODES) == 35
    assert sum("." in code for code in FRAMEWORK_CODES) == 28
    assert listed == list(FRAMEWORK_CODES)


def test_competency_sources_match_framework(doc):
    for area in doc["areas"]:
        for comp in area["competencies"]:
            assert comp["sources"] == FRAMEWORK_CODES[comp["code"]], comp["code"]


def test_table_ii_positions_in_order_with_verbatim_titles_and_item_counts(doc):
    table_ii = doc["positions"][:13]
    assert [p["code"] for p in table_ii] == [f"POS.{i:02d}" for i in range(1, 14)]
    for pos, (title, count) in zip(table_ii, TABLE_II, strict=True):
        assert pos["source"] == "003 Table II"
        assert pos["source_title"] == title
        assert len(pos["requirements"]) == count, pos["code"]


def test_position_codes_are_consecutive_and_sources_known(doc):
    codes = [p["code"] for p in doc["positions"]]
    assert codes == [f"POS.{i:02d}" for i in range(1, len(codes) + 1)]
    assert all(p["source"] in {"003 Table II", "002", "003 Table I"} for p in doc["positions"])
    kinds = [p["source"] for p in doc["positions"]]
    # 002 positions follow Table II, Table I positions come last.
    assert kinds == sorted(kinds, key=["003 Table II", "002", "003 Table I"].index)


def test_every_paper_002_title_is_a_position_or_merged_once(doc):
    placed = [p["source_title"] for p in doc["positions"] if p["source"] == "002"]
    for pos in doc["positions"]:
        for merged in pos["merged"]:
            assert merged.startswith("002: "), merged
            assert pos["source"] == "003 Table II", pos["code"]
            placed.append(merged.removeprefix("002: "))
    assert sorted(placed) == sorted(PAPER_002_TITLES)
    new_002 = [p["source_title"] for p in doc["positions"] if p["source"] == "002"]
    assert new_002 == [t for t in PAPER_002_TITLES if t in new_002]  # kept in the paper's order


def test_requirements_link_known_competencies_at_known_levels(doc):
    known = set(_competency_codes(doc))
    used = set()
    for pos in doc["positions"]:
        assert pos["requirements"], pos["code"]
        for req in pos["requirements"]:
            assert req["competencies"], (pos["code"], req["text"]["en"])
            for link in req["competencies"]:
                assert link["code"] in known, (pos["code"], link["code"])
                assert link["level"] in LEVELS, (pos["code"], link)
                used.add(link["code"])
            codes = [link["code"] for link in req["competencies"]]
            assert len(codes) == len(set(codes)), (pos["code"], codes)
        if pos["source"] != "003 Table II":
            assert all(req.get("basis", "").strip() for req in pos["requirements"]), pos["code"]
    assert used == known, f"competencies no requirement uses: {sorted(known - used)}"


def test_table_i_cells_and_position_directions_agree(doc, positions):
    cells = doc["table_i"]
    assert [(c["direction"], c["degree"]) for c in cells] == [(d, g) for d in DIRECTIONS for g in DEGREES]
    assert [d["code"] for d in doc["directions"]] == DIRECTIONS
    assert [g["code"] for g in doc["degree_levels"]] == DEGREES
    named_in = {code: set() for code in positions}
    for cell in cells:
        assert cell["positions"], cell
        assert len(cell["positions"]) == len(set(cell["positions"])), cell
        for code in cell["positions"]:
            assert code in positions, code
            named_in[code].add(cell["direction"])
    for code, pos in positions.items():
        assert set(pos["directions"]) == named_in[code], code
        assert len(pos["directions"]) == len(set(pos["directions"])), code
    for pos in positions.values():
        if pos["source"] == "003 Table I":
            assert pos["directions"], pos["code"]


def test_certificates_reproduce_table_iii(doc):
    certs = {c["code"]: c for c in doc["certificates"]}
    assert list(certs) == list(TABLE_III)
    assert certs["CERT.CBEE"]["name"]["zh"] == "跨境电子商务师"
    assert certs["CERT.CBEE.SENIOR"]["name"]["zh"] == "高级跨境电子商务师"
    for code, (degree, courses) in TABLE_III.items():
        cert = certs[code]
        assert cert["degree"] == degree
        assert [g["direction"] for g in cert["courses"]] == DIRECTIONS
        for group in cert["courses"]:
            assert [n["en"] for n in group["names"]] == courses[group["direction"]], (code, group["direction"])
    counts = {code: [len(g["names"]) for g in certs[code]["courses"]] for code in certs}
    assert counts == {"CERT.CBEE": [4, 9, 4], "CERT.CBEE.SENIOR": [5, 7, 4]}


def test_csco_codes_exist_in_vendored_file(doc):
    with CSCO_CSV.open(encoding="utf-8", newline="") as fh:
        occupations = {row["code"] for row in csv.DictReader(fh) if row["level"] == "4"}
    assert "4-01-06-01" in occupations  # 电子商务师: the file is the CSCO 2022 list we expect
    for pos in doc["positions"]:
        assert pos["csco"], pos["code"]
        for code in pos["csco"]:
            assert code in occupations, (pos["code"], code)
    assert "MIT" in (REFERENCE / "csco2022" / "SOURCE.md").read_text(encoding="utf-8")


def test_esco_uris_exist_in_shared_occupations(doc):
    if not ESCO_CSV.is_file():
        pytest.skip(f"ESCO occupations not found at {ESCO_CSV}")
    with ESCO_CSV.open(encoding="utf-8", newline="") as fh:
        uris = {row["conceptUri"] for row in csv.DictReader(fh)}
    without = []
    for pos in doc["positions"]:
        if not pos["esco"]:
            without.append(pos["code"])
        for uri in pos["esco"]:
            assert uri in uris, (pos["code"], uri)
    assert len(without) <= 1, f"positions without an ESCO occupation: {without}"


def _walk_texts(node, path="doc"):
    """Yield (path, mapping) for every {zh, en} text mapping in the document."""
    if isinstance(node, dict):
        if "zh" in node or "en" in node:
            yield path, node
        for key, value in node.items():
            yield from _walk_texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk_texts(value, f"{path}[{i}]")


def test_every_text_is_a_complete_bilingual_pair(doc):
    pairs = list(_walk_texts(doc))
    for path, pair in pairs:
        assert set(pair) == {"zh", "en"}, path
        assert isinstance(pair["zh"], str) and pair["zh"].strip(), path
        assert isinstance(pair["en"], str) and pair["en"].strip(), path
        assert CJK.search(pair["zh"]), f"{path}: Chinese text has no Chinese characters"
        assert not CJK.search(pair["en"]), f"{path}: English text contains Chinese characters"
    required = [doc["framework"]["name"], doc["framework"]["description"]]
    required += [lv[k] for lv in doc["levels"] for k in ("name", "descriptor")]
    required += [a[k] for a in doc["areas"] for k in ("name", "descriptor")]
    required += [c[k] for a in doc["areas"] for c in a["competencies"] for k in ("name", "descriptor")]
    required += [p["name"] for p in doc["positions"]]
    required += [r["text"] for p in doc["positions"] for r in p["requirements"]]
    required += [c["text"] for c in doc["table_i"]] + [c["name"] for c in doc["certificates"]]
    required += [n for c in doc["certificates"] for g in c["courses"] for n in g["names"]]
    found = {id(pair) for _, pair in pairs}
    assert all(isinstance(t, dict) and id(t) in found for t in required)


def test_source_text_is_verbatim_in_the_papers(doc):
    paper_003 = _seed_text("003")
    paper_002 = _seed_text("002")
    for pos in doc["positions"]:
        seed = paper_002 if pos["source"] == "002" else paper_003
        assert pos["source_title"] in seed, pos["code"]
        if pos["source"] == "003 Table II":
            for req in pos["requirements"]:
                assert req["text"]["en"] in paper_003, (pos["code"], req["text"]["en"])
        for merged in pos["merged"]:
            assert merged.removeprefix("002: ") in paper_002, merged
    for cell in doc["table_i"]:
        assert cell["text"]["en"] in paper_003, cell["text"]["en"]
    for cert in doc["certificates"]:
        assert cert["source_title"] in paper_003
        for group in cert["courses"]:
            assert group["source_direction"] in paper_003
            for name in group["names"]:
                assert name["en"] in paper_003, name["en"]
