"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C Data Integrity EdDSA Cryptosuites v1.0).

Signing (section 3.3 of the cryptosuite spec):
  1. the unsecured document (no ``proof``) is canonicalised with RDFC-1.0 (URDNA2015) to N-Quads;
  2. the proof options (``type``, ``cryptosuite``, ``created``, ``verificationMethod``, ``proofPurpose``) get the
     document's ``@context`` and are canonicalised the same way;
  3. hashData = SHA-256(canonical proof options) || SHA-256(canonical document);
  4. proofValue = multibase base58btc of the Ed25519 signature of hashData.

Verification does the same and checks the signature with the key the ``did:key`` verification method names.
Before canonicalising, the document is expanded in "safe mode": a property no context defines would be dropped
silently from the RDF (so changing it would not change the signature), and is therefore refused.
Contexts come only from the pinned local copies (contexts.document_loader): nothing is fetched.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pyld import jsonld

from . import multibase
from .contexts import ContextUnavailable, document_loader

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"


class ProofError(Exception):
    """Why a document's proof does not check out (English; the caller words it for the user)."""


def _options() -> dict:
    return {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": document_loader}


def check_safe(document: dict) -> None:
    """Refuse a document with a property that its contexts do not define (JSON-LD 'safe mode')."""
    dropped: list[str] = []

    def on_dropped(term):
        dropped.append(str(term))

    try:
        jsonld.expand(document, {"documentLoader": document_loader}, on_property_dropped=on_dropped)
    except jsonld.JsonLdError as exc:
        cause = exc
        while cause is not None and not isinstance(cause, ContextUnavailable):
            cause = getattr(cause, "cause", None) or cause.__cause__
        if isinstance(cause, ContextUnavailable):
            raise ProofError(f"context not available offline: {cause}") from None
        raise ProofError(f"not valid JSON-LD: {exc}") from None
    if dropped:
        raise ProofError(f"properties not defined by any context: {', '.join(sorted(set(dropped)))}")


def canonicalize(document: dict) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document (contexts from the pinned copies only)."""
    try:
        return jsonld.normalize(document, _options())
    except jsonld.JsonLdError as exc:
        raise ProofError(f"cannot canonicalise: {exc}") from None


def _hash_data(unsecured: dict, proof_config: dict) -> bytes:
    config = dict(proof_config)
    config["@context"] = unsecured.get("@context")
    return (
        hashlib.sha256(canonicalize(config).encode("utf-8")).digest()
        + hashlib.sha256(canonicalize(unsecured).encode("utf-8")).digest()
    )


def sign(document: dict, private_key: Ed25519PrivateKey, *, created: str, purpose: str = "assertionMethod") -> dict:
    """A copy of ``document`` with an eddsa-rdfc-2022 DataIntegrityProof by ``private_key`` (as did:key)."""
    unsecured = copy.deepcopy(document)
    unsecured.pop("proof", None)
    check_safe(unsecured)
    raw_public = private_key.public_key().public_bytes_raw()
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": multibase.verification_method(raw_public),
        "proofPurpose": purpose,
    }
    proof["proofValue"] = multibase.encode_z(private_key.sign(_hash_data(unsecured, proof)))
    signed = copy.deepcopy(unsecured)
    signed["proof"] = proof
    return signed


@dataclass(frozen=True)
class ProofCheck:
    """The signature checks out; ``public_key`` (raw 32 bytes) is the key that made it."""

    public_key: bytes
    verification_method: str
    created: str


def verify_proof(document: dict, *, purpose: str = "assertionMethod") -> ProofCheck:
    """Check the document's single eddsa-rdfc-2022 proof; raises ProofError saying why it fails."""
    if not isinstance(document, dict):
        raise ProofError("the credential is not a JSON object")
    proof = document.get("proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            raise ProofError("expected exactly one proof")
        proof = proof[0]
    if not isinstance(proof, dict):
        raise ProofError("the credential has no proof")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(f"unsupported proof (need {PROOF_TYPE} with {CRYPTOSUITE})")
    if proof.get("proofPurpose") != purpose:
        raise ProofError(f"the proof purpose is not {purpose}")
    if "@context" in proof and proof["@context"] != document.get("@context"):
        raise ProofError("the proof's @context differs from the credential's")
    try:
        signature = multibase.decode_z(proof.get("proofValue"))
        raw_public = multibase.public_key_from_did_key(proof.get("verificationMethod"))
    except ValueError as exc:
        raise ProofError(str(exc)) from None
    if len(signature) != 64:
        raise ProofError("an Ed25519 signature has 64 bytes")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = {k: v for k, v in proof.items() if k not in ("proofValue", "@context")}
    check_safe(unsecured)
    check_safe({**config, "@context": unsecured.get("@context")})
    try:
        Ed25519PublicKey.from_public_bytes(raw_public).verify(signature, _hash_data(unsecured, config))
    except InvalidSignature:
        raise ProofError(
            "the signature does not match the content (the credential was changed or not signed by this key)"
        ) from None
    return ProofCheck(raw_public, proof["verificationMethod"], str(proof.get("created", "")))


def dumps(document: dict) -> str:
    """The file form of a credential: UTF-8 JSON, Chinese kept readable."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
