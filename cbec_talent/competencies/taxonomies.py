"""Importers for standard occupation taxonomies kept beside our framework: CSCO 2022 and ESCO occupations.

Each import is all-or-nothing: the whole file is checked first, and every bad row is reported by number and
field; only then is the taxonomy replaced in one transaction.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from cbec_talent.core import audit
from cbec_talent.core.errors import CbecError, Problem

from .models import Occupation

VENDORED_CSCO = Path(__file__).resolve().parent.parent / "reference" / "csco2022" / "csco22.csv"
CSCO_CODE = re.compile(r"^\d-\d{2}-\d{2}-\d{2}$")
ESCO_URI = re.compile(r"^http://data\.europa\.eu/esco/occupation/[0-9a-f-]{36}$")
CSCO_COLUMNS = ("level", "code", "name", "definition")
ESCO_COLUMNS = ("conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description")
MAX_ROWS = 200_000
csv.field_size_limit(10_000_000)


def default_esco_path() -> Path:
    return Path(settings.CBEC_SHARED_DATA) / "esco-v1.1-occupations" / "occupations_en.csv"


def _read_csv(data: bytes, required: tuple[str, ...]) -> list[tuple[int, dict]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CbecError([Problem(_("The file is not a UTF-8 encoded CSV file."))]) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise CbecError([Problem(_("Missing column: %(col)s") % {"col": c}, row=1, field=c) for c in missing])
    rows = []
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS:
            raise CbecError([Problem(_("More rows than the limit of %(n)d.") % {"n": MAX_ROWS}, row=number)])
        rows.append((number, row))
    if not rows:
        raise CbecError([Problem(_("The file has no data rows."))])
    return rows


def _csco_parent(code: str, known: set[str]) -> str:
    """The nearest existing ancestor: small class (X-YY-ZZ-00), then medium (X-YY-00-00), then major."""
    major, medium, minor, _detail = code.split("-")
    for candidate in (f"{major}-{medium}-{minor}-00", f"{major}-{medium}-00-00", f"{major}-00-00-00"):
        if candidate != code and candidate in known:
            return candidate
    return ""


@transaction.atomic
def import_csco(data: bytes, *, actor=None) -> int:
    """CSCO 2022. The published file repeats a few codes (a small class listed again as its only detailed
    occupation, or a row twice); a repeat with the same name is merged, keeping the fuller row; a repeat with a
    different name is an error."""
    rows = _read_csv(data, CSCO_COLUMNS)
    problems: list[Problem] = []
    by_code: dict[str, Occupation] = {}
    for number, row in rows:
        code = (row.get("code") or "").strip()
        name = (row.get("name") or "").strip()
        level_text = (row.get("level") or "").strip()
        if not CSCO_CODE.match(code):
            problems.append(
                Problem(
                    _("Occupation codes should have the form X-XX-XX-XX: %(v)r") % {"v": code}, row=number, field="code"
                )
            )
            continue
        if not name:
            problems.append(Problem(_("Must not be empty."), row=number, field="name"))
        if not level_text.isdigit() or not 1 <= int(level_text) <= 4:
            problems.append(
                Problem(_("The level should be 1 to 4: %(v)r") % {"v": level_text}, row=number, field="level")
            )
            continue
        occupation = Occupation(
            taxonomy=Occupation.Taxonomy.CSCO2022,
            code=code,
            level=int(level_text),
            name=name[:300],
            definition=(row.get("definition") or "").strip(),
            alt_labels=(row.get("alias") or "").strip(),
        )
        earlier = by_code.get(code)
        if earlier is not None:
            if earlier.name != occupation.name:
                problems.append(
                    Problem(_("Duplicate code with a different name: %(v)s") % {"v": code}, row=number, field="code")
                )
                continue
            if (occupation.level, len(occupation.definition)) <= (earlier.level, len(earlier.definition)):
                continue
        by_code[code] = occupation
    if problems:
        raise CbecError(problems)
    objects = list(by_code.values())
    for obj in objects:
        obj.parent_code = _csco_parent(obj.code, set(by_code))
    Occupation.objects.filter(taxonomy=Occupation.Taxonomy.CSCO2022).delete()
    Occupation.objects.bulk_create(objects, batch_size=2000)
    audit.record(audit.IMPORT, None, actor=actor, object_repr="CSCO 2022", after={"occupations": len(objects)})
    return len(objects)


@transaction.atomic
def import_esco(data: bytes, *, actor=None) -> int:
    rows = _read_csv(data, ESCO_COLUMNS)
    problems, objects, seen = [], [], set()
    for number, row in rows:
        uri = (row.get("conceptUri") or "").strip()
        label = (row.get("preferredLabel") or "").strip()
        if not ESCO_URI.match(uri):
            problems.append(
                Problem(_("Not an ESCO occupation URI: %(v)r") % {"v": uri[:80]}, row=number, field="conceptUri")
            )
            continue
        if uri in seen:
            problems.append(Problem(_("Duplicate code: %(v)s") % {"v": uri}, row=number, field="conceptUri"))
        seen.add(uri)
        if not label:
            problems.append(Problem(_("Must not be empty."), row=number, field="preferredLabel"))
        objects.append(
            Occupation(
                taxonomy=Occupation.Taxonomy.ESCO,
                code=uri,
                name=label[:300],
                isco_group=(row.get("iscoGroup") or "")[:10],
                alt_labels=(row.get("altLabels") or "").strip(),
                definition=(row.get("description") or "").strip(),
            )
        )
    if problems:
        raise CbecError(problems)
    Occupation.objects.filter(taxonomy=Occupation.Taxonomy.ESCO).delete()
    Occupation.objects.bulk_create(objects, batch_size=2000)
    audit.record(audit.IMPORT, None, actor=actor, object_repr="ESCO occupations", after={"occupations": len(objects)})
    return len(objects)


ESCO_SKILL_URI = re.compile(r"^http://data\.europa\.eu/esco/skill/[0-9a-f-]{36}$")


def default_esco_skills_path() -> Path:
    return Path(settings.CBEC_SHARED_DATA) / "esco-skills-flat" / "skills.csv"


@transaction.atomic
def import_esco_skills(data: bytes, *, actor=None) -> int:
    """ESCO skills in the flattened form (columns id, description: labels and description in one text)."""
    from .models import TaxonomySkill

    rows = _read_csv(data, ("id", "description"))
    problems, objects, seen = [], [], set()
    for number, row in rows:
        uri = (row.get("id") or "").strip()
        text = (row.get("description") or "").strip()
        if not ESCO_SKILL_URI.match(uri):
            problems.append(Problem(_("Not an ESCO skill URI: %(v)r") % {"v": uri[:80]}, row=number, field="id"))
            continue
        if uri in seen:
            problems.append(Problem(_("Duplicate code: %(v)s") % {"v": uri}, row=number, field="id"))
        seen.add(uri)
        if not text:
            problems.append(Problem(_("Must not be empty."), row=number, field="description"))
        objects.append(TaxonomySkill(taxonomy="esco", code=uri, text=text))
    if problems:
        raise CbecError(problems)
    TaxonomySkill.objects.filter(taxonomy="esco").delete()
    TaxonomySkill.objects.bulk_create(objects, batch_size=2000)
    audit.record(audit.IMPORT, None, actor=actor, object_repr="ESCO skills", after={"skills": len(objects)})
    return len(objects)
