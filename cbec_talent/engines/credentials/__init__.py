"""Verifiable credentials engine: Open Badges 3.0 / W3C VC 2.0 JSON-LD documents signed with a Data Integrity
proof (eddsa-rdfc-2022: RDFC-1.0 canonicalisation by pyld, Ed25519 by `cryptography`), a Bitstring Status List
for revocation, and a verifier. No Django: documents in, documents and verdicts out.

    signed = sign(credential, private_key, created="2026-12-04T10:00:00Z")
    verdict = verify_credential(signed, trusted_keys={...}, status_resolver=lambda url: status_list_doc)
"""

from .contexts import OB_V3, VC_V2, ContextUnavailable, credential_context, document_loader
from .integrity import CRYPTOSUITE, ProofError, canonicalize, dumps, sign, verify_proof
from .verify import REVOKED, VALID, Verification, verify_credential

__all__ = [
    "CRYPTOSUITE",
    "OB_V3",
    "REVOKED",
    "VALID",
    "VC_V2",
    "ContextUnavailable",
    "ProofError",
    "Verification",
    "canonicalize",
    "credential_context",
    "document_loader",
    "dumps",
    "sign",
    "verify_credential",
    "verify_proof",
]
