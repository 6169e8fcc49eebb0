"""The credential checks out in a second verifier in another language: Digital Bazaar's jsonld.js (the JSON-LD
reference implementation's RDFC-1.0, in safe mode) and Node's Ed25519 (tests/interop/verify_jsonld_js.js).
Needs node and `npm install --prefix tests/interop` (.ci/run does it); skips with that reason otherwise."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from cbec_talent.engines.credentials.contexts import DATA

INTEROP = Path(__file__).resolve().parents[1] / "interop"
NODE = shutil.which("node")


def _node_verify(path: Path) -> dict:
    if NODE is None or not (INTEROP / "node_modules" / "jsonld").exists():
        pytest.skip("node or jsonld.js is absent: run `npm install --prefix tests/interop`")
    out = subprocess.run(
        [NODE, str(INTEROP / "verify_jsonld_js.js"), str(path), str(DATA)], capture_output=True, text=True, timeout=60
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_jsonld_js_and_node_crypto_agree(tmp_path, reference):
    from cbec_talent.cli import main
    from cbec_talent.cohorts import demo as cohorts_demo
    from cbec_talent.demo import create_demo_users

    create_demo_users()
    cohorts_demo.create_demo_data()
    out = tmp_path / "badge.json"
    from cbec_talent.cohorts.models import Student
    from cbec_talent.credentials.services import attained_competencies

    code = sorted(attained_competencies(Student.objects.get(number="20240003")))[0]
    assert main(["credentials", "issue", "20240003", "--kind", "competency", "--competency", code, "-o", str(out)]) == 0
    assert _node_verify(out)["valid"] is True
    document = json.loads(out.read_text(encoding="utf-8"))
    document["credentialSubject"]["name"] = document["credentialSubject"]["name"][:-1] + "乙"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert _node_verify(tampered)["valid"] is False
