"""The JSON-LD contexts a credential may use, served from the copies shipped in ``data/`` (never fetched).

A verifier that fetched contexts at run time would let whoever serves the URL change what a signed credential
means; the VC 2.0 recommendation asks verifiers to use pinned static copies. Each file's SHA-256 is pinned here,
so an edited copy is refused rather than used.
"""

from __future__ import annotations

import copy
import hashlib
import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data")

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

# URL -> (file in data/, SHA-256 of the file)
PINNED: dict[str, tuple[str, str]] = {
    VC_V2: ("credentials-v2.jsonld", "f9ad70c369c03609732e0f2f3fc5bc83d9fe8aa0919187469006d2648e7f27d8"),
    OB_V3: ("ob-v3p0-context-3.0.3.json", "7f6ae06536864907bb41c2fe5cb7b639fdffb6629c8db5cfe8185defacf3e9fc"),
}


class ContextUnavailable(Exception):
    """A credential names a context this installation does not ship (it is never fetched)."""


@cache
def _document(url: str) -> dict:
    try:
        name, digest = PINNED[url]
    except KeyError:
        raise ContextUnavailable(url) from None
    raw = (DATA / name).read_bytes()
    if hashlib.sha256(raw).hexdigest() != digest:
        raise ContextUnavailable(f"{url} (the shipped copy {name} does not match its pinned SHA-256)")
    return json.loads(raw)


def context_document(url: str) -> dict:
    """The parsed context document for ``url`` (a copy: callers may not change the cached one)."""
    return copy.deepcopy(_document(url))


def document_loader(url: str, options=None) -> dict:
    """A pyld document loader that answers only the pinned contexts and refuses every other URL."""
    return {"contextUrl": None, "documentUrl": url, "document": context_document(url.split("#")[0])}


OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"

# The Open Badges 3.0 terms our credentials use, with the IRIs of the OB 3.0 vocabulary, carried inline after
# the VC 2.0 context. The OB 3.0.3 context copy (data/ob-v3p0-context-3.0.3.json) fails strict JSON-LD 1.1
# processing: its AchievementSubject type-scoped context redefines the protected top-level term `image`
# ("protected term redefinition" in pyld), so no credential with an AchievementSubject can be canonicalised
# with it. The inline terms give the same RDF for what we use (decision 0009); the file stays for reference.
OB_TERMS: dict = {
    "OpenBadgeCredential": {"@id": OB + "OpenBadgeCredential"},
    "Achievement": {"@id": OB + "Achievement"},
    "AchievementSubject": {"@id": OB + "AchievementSubject"},
    "Profile": {"@id": OB + "Profile"},
    "Evidence": {"@id": OB + "Evidence"},
    "Criteria": {"@id": OB + "Criteria"},
    "IdentityObject": {"@id": OB + "IdentityObject"},
    "Alignment": {"@id": SCHEMA + "AlignmentObject"},
    "achievement": {"@id": OB + "achievement-0"},
    "achievementType": {"@id": OB + "achievementType"},
    "activityEndDate": {"@id": OB + "activityEndDate", "@type": XSD + "date"},
    "alignment": {"@id": OB + "alignment", "@container": "@set"},
    "criteria": {"@id": OB + "Criteria", "@type": "@id"},
    "fieldOfStudy": {"@id": OB + "fieldOfStudy"},
    "genre": {"@id": SCHEMA + "genre"},
    "hashed": {"@id": OB + "hashed", "@type": XSD + "boolean"},
    "humanCode": {"@id": OB + "humanCode"},
    "identifier": {"@id": OB + "identifier", "@container": "@set"},
    "identityHash": {"@id": OB + "identityHash"},
    "identityType": {"@id": OB + "identityType"},
    "narrative": {"@id": OB + "narrative"},
    "targetCode": {"@id": OB + "targetCode"},
    "targetFramework": {"@id": SCHEMA + "targetFramework"},
    "targetName": {"@id": SCHEMA + "targetName"},
    "targetType": {"@id": OB + "targetType"},
    "targetUrl": {"@id": SCHEMA + "targetUrl", "@type": XSD + "anyURI"},
    "url": {"@id": SCHEMA + "url", "@type": XSD + "anyURI"},
}


def credential_context() -> list:
    """The @context of an Open Badges credential we issue: VC 2.0, then the OB terms inline."""
    return [VC_V2, copy.deepcopy(OB_TERMS)]
