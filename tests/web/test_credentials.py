"""Verifiable credentials for demo student 20240001: issue (CLI), verify (valid), change one character of the
holder's name (invalid, non-zero exit), revoke (revoked); the same file checked by an independent verifier
written against the specs (own N-Quads serialisation and hashing, PyNaCl for Ed25519, base58 package), and the
public verification page used without signing in."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re

import base58
import nacl.exceptions
import nacl.signing
import pytest
from pyld import jsonld

from cbec_talent.certification import demo as certification_demo
from cbec_talent.certification.audit import graduation_audit
from cbec_talent.cli import main
from cbec_talent.cohorts import demo as cohorts_demo
from cbec_talent.cohorts.models import Student
from cbec_talent.credentials.models import IssuedCredential
from cbec_talent.demo import create_demo_users
from cbec_talent.engines.credentials.contexts import context_document
from cbec_talent.partnerships import demo as partnerships_demo

NUMBER = "20240001"  # graduates in the demo
NOT_YET = "20240002"  # credits still missing
WEAK = "20240004"


@pytest.fixture
def demo(db, reference):
    create_demo_users()
    cohorts_demo.create_demo_data()
    partnerships_demo.create_demo_data()
    certification_demo.create_demo_data()
    return Student.objects.select_related("school_class__cohort__programme").get(number=NUMBER)


def _graduate(student):
    """The certification demo enters 20240001's whole record (plans, grades, practice, a 1+X certificate)."""
    result = graduation_audit(student)
    assert result.passed, result.missing
    assert len(result.courses) == student.school_class.cohort.programme.courses.count()


def _edit_name(document: dict) -> dict:
    changed = json.loads(json.dumps(document))
    name = changed["credentialSubject"]["name"]
    changed["credentialSubject"]["name"] = name[:-1] + ("乙" if name[-1] != "乙" else "甲")
    return changed


def test_graduation_refused_until_the_audit_passes(demo, tmp_path, capsys):
    out = tmp_path / "c.json"
    assert not graduation_audit(Student.objects.get(number=NOT_YET)).passed
    assert main(["credentials", "issue", NOT_YET, "--kind", "graduation", "-o", str(out)]) == 2
    assert "does not pass yet" in capsys.readouterr().err
    assert not out.exists() and not IssuedCredential.objects.exists()


def test_issue_verify_tamper_revoke(demo, tmp_path, capsys):
    _graduate(demo)
    out = tmp_path / "graduation.json"
    assert main(["credentials", "issue", NUMBER, "--kind", "graduation", "-o", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["credentialSubject"]["name"] == demo.name
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    capsys.readouterr()

    assert main(["credentials", "verify", str(out)]) == 0
    assert capsys.readouterr().out.startswith("VALID")

    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(_edit_name(document), ensure_ascii=False), encoding="utf-8")
    assert main(["credentials", "verify", str(tampered)]) == 1
    assert capsys.readouterr().out.startswith("INVALID")

    # an added property that no context defines would vanish from the RDF: refused, not ignored
    added = json.loads(json.dumps(document))
    added["credentialSubject"]["nickname"] = "x"
    tampered.write_text(json.dumps(added, ensure_ascii=False), encoding="utf-8")
    assert main(["credentials", "verify", str(tampered)]) == 1
    assert "nickname" in capsys.readouterr().out

    assert main(["credentials", "revoke", str(out), "--reason", "issued in error"]) == 0
    capsys.readouterr()
    assert main(["credentials", "verify", str(out)]) == 3
    assert capsys.readouterr().out.startswith("REVOKED")
    credential = IssuedCredential.objects.get()
    assert credential.revoked and credential.revocation_reason == "issued in error"
    from cbec_talent.accounts.models import AuditLog

    actions = list(AuditLog.objects.filter(object_type="credentials.IssuedCredential").values_list("action", flat=True))
    assert sorted(actions) == ["create", "update"]


def test_competency_credential_for_an_attained_competency_only(demo, tmp_path, capsys):
    from cbec_talent.credentials.services import attained_competencies

    achiever = Student.objects.get(number="20240003")
    attained = attained_competencies(achiever)
    assert attained, "the demo's 20240003 attains competencies"
    code = sorted(attained)[0]
    out = tmp_path / "comp.json"
    assert main(["credentials", "issue", "20240003", "--kind", "competency", "--competency", code, "-o", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["credentialSubject"]["achievement"]["alignment"][0]["targetCode"] == code
    assert main(["credentials", "verify", str(out)]) == 0
    assert code not in attained_competencies(Student.objects.get(number=WEAK))
    assert main(["credentials", "issue", WEAK, "--kind", "competency", "--competency", code]) == 2


# ---------------------------------------------------------------------------------------------------------------
# An independent verifier, written from the specs (VC Data Integrity, EdDSA Cryptosuites v1.0 eddsa-rdfc-2022,
# RDFC-1.0 / N-Quads, Multibase, did:key, Bitstring Status List). It shares no code with the issuer: pyld is used
# only to turn JSON-LD into RDF triples (to_rdf); serialising those to canonical N-Quads, labelling the blank node,
# hashing, decoding multibase and checking Ed25519 (libsodium via PyNaCl) are done here.


def _loader(url, options=None):
    return {"contextUrl": None, "documentUrl": url, "document": context_document(url)}


def _term(t: dict) -> str:
    if t["type"] == "IRI":
        return f"<{t['value']}>"
    if t["type"] == "blank node":
        return t["value"]
    value = t["value"]
    assert not re.search(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]", value), "literal needs escapes this verifier skips"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if t.get("language"):
        return f'"{escaped}"@{t["language"]}'
    if t.get("datatype") and t["datatype"] != "http://www.w3.org/2001/XMLSchema#string":
        return f'"{escaped}"^^<{t["datatype"]}>'
    return f'"{escaped}"'


def _canonical_nquads(document: dict) -> str:
    """RDFC-1.0 output for a dataset with at most one blank node (label _:c14n0), which is what our credentials
    and proof configurations hold; more blank nodes would need the full algorithm, so the verifier refuses."""
    dataset = jsonld.to_rdf(document, {"documentLoader": _loader})
    quads = []
    blanks = set()
    for graph, triples in dataset.items():
        assert graph == "@default", "named graphs are not expected"
        for t in triples:
            for part in (t["subject"], t["object"]):
                if part["type"] == "blank node":
                    blanks.add(part["value"])
            quads.append(t)
    assert len(blanks) <= 1, f"{len(blanks)} blank nodes: this small verifier handles one"
    label = {b: "_:c14n0" for b in blanks}
    lines = set()
    for t in quads:
        s = (
            label.get(t["subject"]["value"], _term(t["subject"]))
            if t["subject"]["type"] == "blank node"
            else _term(t["subject"])
        )
        o = label[t["object"]["value"]] if t["object"]["type"] == "blank node" else _term(t["object"])
        lines.add(f"{s} <{t['predicate']['value']}> {o} .\n")
    return "".join(sorted(lines))


def independent_verify(document: dict) -> bool:
    proof = dict(document["proof"])
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != "eddsa-rdfc-2022":
        return False
    signature = base58.b58decode(proof.pop("proofValue")[1:])
    method = proof["verificationMethod"]
    did, fragment = method.split("#")
    key_bytes = base58.b58decode(did.removeprefix("did:key:z"))
    assert key_bytes[:2] == b"\xed\x01" and fragment == did.removeprefix("did:key:")
    issuer = document["issuer"]
    if (issuer["id"] if isinstance(issuer, dict) else issuer) != did:
        return False
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof["@context"] = document["@context"]
    hash_data = (
        hashlib.sha256(_canonical_nquads(proof).encode()).digest()
        + hashlib.sha256(_canonical_nquads(unsecured).encode()).digest()
    )
    try:
        nacl.signing.VerifyKey(key_bytes[2:]).verify(hash_data, signature)
    except nacl.exceptions.BadSignatureError:
        return False
    return True


def independent_revoked(status_list: dict, entry: dict) -> bool:
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 >= 131_072
    index = int(entry["statusListIndex"])
    return bool(bits[index // 8] >> (7 - index % 8) & 1)


def test_independent_verifier_agrees(demo, tmp_path, client):
    _graduate(demo)
    out = tmp_path / "graduation.json"
    assert main(["credentials", "issue", NUMBER, "-o", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert independent_verify(document)
    assert not independent_verify(_edit_name(document))

    entry = document["credentialStatus"]
    path = entry["statusListCredential"].split("127.0.0.1:8000", 1)[1]
    status = json.loads(client.get(path).content)  # public: no sign-in
    assert independent_verify(status)
    assert not independent_revoked(status, entry)
    assert main(["credentials", "revoke", str(out)]) == 0
    status = json.loads(client.get(path).content)
    assert independent_verify(status) and independent_revoked(status, entry)


def test_public_verification_page(demo, tmp_path, client):
    _graduate(demo)
    out = tmp_path / "graduation.json"
    assert main(["credentials", "issue", NUMBER, "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert client.get("/credentials/verify/").status_code == 200
    response = client.post("/credentials/verify/", {"text": text})
    assert b'data-state="valid"' in response.content
    assert demo.name in response.content.decode()
    tampered = json.dumps(_edit_name(json.loads(text)), ensure_ascii=False)
    response = client.post("/credentials/verify/", {"text": tampered})
    assert b'data-state="invalid"' in response.content and b'id="unverified-note"' in response.content
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("c.json", text.encode(), content_type="application/json")
    assert b'data-state="valid"' in client.post("/credentials/verify/", {"file": upload}).content
    assert b'data-state="unreadable"' in client.post("/credentials/verify/", {"text": "{not json"}).content


def test_director_issues_and_revokes_in_the_browser_pages(demo, client, role_users):
    _graduate(demo)
    client.force_login(role_users["director"])
    page = f"/credentials/students/{demo.pk}/"
    assert client.get(page).status_code == 200
    assert client.post(f"{page}issue/", {"kind": "graduation"}).status_code == 302
    credential = IssuedCredential.objects.get(student=demo)
    download = client.get(f"/credentials/{credential.uuid}.json")
    assert json.loads(download.content)["id"] == credential.urn
    client.post(f"/credentials/{credential.uuid}/revoke/", {"reason": "test"})
    credential.refresh_from_db()
    assert credential.revoked
    # the student sees and downloads their own credential
    client.force_login(demo.user)
    assert client.get(page).status_code == 200
    assert client.get(f"/credentials/{credential.uuid}.json").status_code == 200
