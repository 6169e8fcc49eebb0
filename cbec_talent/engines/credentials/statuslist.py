"""Bitstring Status List v1.0: a GZIP-compressed bitstring, multibase base64url ('u'), one bit per credential;
bit 0 is the most significant bit of the first byte. The list holds at least 131,072 entries (16 KiB) so that
a list says little about any one holder (the spec's herd-privacy minimum)."""

from __future__ import annotations

import gzip

from . import multibase

MIN_ENTRIES = 131_072


def encode(revoked: set[int] | frozenset[int], size: int = MIN_ENTRIES) -> str:
    size = max(size, MIN_ENTRIES, (max(revoked) + 1) if revoked else 0)
    size += -size % 8
    bits = bytearray(size // 8)
    for index in revoked:
        if index < 0:
            raise ValueError("a status list index is not negative")
        bits[index // 8] |= 0x80 >> (index % 8)
    return multibase.encode_u(gzip.compress(bytes(bits), mtime=0))


def decode(encoded_list: str) -> bytes:
    return gzip.decompress(multibase.decode_u(encoded_list))


def is_set(encoded_list: str, index: int) -> bool:
    bits = decode(encoded_list)
    if not 0 <= index < len(bits) * 8:
        raise ValueError(f"status list index {index} is outside the list ({len(bits) * 8} entries)")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(
    *, url: str, issuer: str, valid_from: str, revoked: set[int], contexts: list[str], purpose: str = "revocation"
) -> dict:
    """The unsigned BitstringStatusListCredential published at ``url``."""
    return {
        "@context": contexts,
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode(revoked),
        },
    }
