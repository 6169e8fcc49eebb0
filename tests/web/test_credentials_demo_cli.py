"""The issue's done-when sequence, literally: a fresh `cbec-talent demo --no-serve`, then for demo student 20240001
`credentials issue --kind graduation -o FILE`, `verify` (valid, exit 0), one character of the subject's name
changed (invalid, non-zero exit), `revoke`, `verify` (revoked). Every step is the installed command line in its
own process on the demo's SQLite file."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the demo runs on its own SQLite file"
)


def _independent_verifier():
    """The verifier written from the specs in test_credentials.py (no code shared with the issuer)."""
    spec = importlib.util.spec_from_file_location("_spec_verifier", Path(__file__).with_name("test_credentials.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.independent_verify


def _cli(var, *args, timeout=300):
    env = {**os.environ, "CBEC_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "cbec_talent.settings.dev"}
    env.pop("DATABASE_URL", None)
    env.pop("CBEC_CREDENTIAL_KEY_FILE", None)
    return subprocess.run(
        [sys.executable, "-m", "cbec_talent.cli", *args],
        cwd=var,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_demo_student_issue_verify_tamper_revoke(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    demo = _cli(var, "demo", "--no-serve", timeout=600)
    assert demo.returncode == 0, demo.stdout + demo.stderr

    diploma = var / "diploma.json"
    issued = _cli(var, "credentials", "issue", "20240001", "--kind", "graduation", "-o", str(diploma))
    assert issued.returncode == 0, issued.stdout + issued.stderr
    document = json.loads(diploma.read_text(encoding="utf-8"))
    assert document["credentialSubject"]["name"] == "张同学"
    assert "OpenBadgeCredential" in document["type"] and document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"

    independent_verify = _independent_verifier()
    assert independent_verify(document)  # the spec-written verifier of test_credentials, not the issuer's code

    valid = _cli(var, "credentials", "verify", str(diploma))
    assert valid.returncode == 0 and valid.stdout.startswith("VALID"), valid.stdout + valid.stderr

    changed = json.loads(json.dumps(document))
    changed["credentialSubject"]["name"] = "张同乙"  # one character
    tampered = var / "tampered.json"
    tampered.write_text(json.dumps(changed, ensure_ascii=False, indent=2), encoding="utf-8")
    invalid = _cli(var, "credentials", "verify", str(tampered))
    assert invalid.returncode != 0 and invalid.stdout.startswith("INVALID"), invalid.stdout + invalid.stderr
    assert "FAIL signature" in invalid.stdout
    assert not independent_verify(changed)

    revoked = _cli(var, "credentials", "revoke", str(diploma), "--reason", "issued in error")
    assert revoked.returncode == 0, revoked.stdout + revoked.stderr
    after = _cli(var, "credentials", "verify", str(diploma))
    assert after.returncode == 3 and after.stdout.startswith("REVOKED"), after.stdout + after.stderr
    assert "ok   signature" in after.stdout and "FAIL status:revocation" in after.stdout
