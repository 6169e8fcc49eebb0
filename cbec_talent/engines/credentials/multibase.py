"""Multibase / multicodec encodings used by Data Integrity: base58btc ('z'), base64url without padding ('u'),
and Ed25519 public keys as ``did:key`` (multicodec 0xed01 + 32 bytes)."""

from __future__ import annotations

import base64

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(B58)}
ED25519_PUB = b"\xed\x01"


def b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(B58[r])
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    n = 0
    for c in text:
        try:
            n = n * 58 + _B58_INDEX[c]
        except KeyError:
            raise ValueError(f"not base58btc: {c!r}") from None
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    pad = len(text) - len(text.lstrip("1"))
    return b"\0" * pad + body


def encode_z(data: bytes) -> str:
    return "z" + b58encode(data)


def decode_z(value: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("z"):
        raise ValueError("expected a base58btc multibase value (starting with 'z')")
    return b58decode(value[1:])


def encode_u(data: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def decode_u(value: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("u"):
        raise ValueError("expected a base64url multibase value (starting with 'u')")
    body = value[1:]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def public_key_multibase(raw_public_key: bytes) -> str:
    if len(raw_public_key) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes")
    return encode_z(ED25519_PUB + raw_public_key)


def public_key_from_multibase(value: str) -> bytes:
    data = decode_z(value)
    if data[:2] != ED25519_PUB or len(data) != 34:
        raise ValueError("not an Ed25519 public key (multicodec 0xed01, 32 bytes)")
    return data[2:]


def did_key(raw_public_key: bytes) -> str:
    return "did:key:" + public_key_multibase(raw_public_key)


def verification_method(raw_public_key: bytes) -> str:
    mb = public_key_multibase(raw_public_key)
    return f"did:key:{mb}#{mb}"


def public_key_from_did_key(method: str) -> bytes:
    """The Ed25519 key a ``did:key:z6Mk...#z6Mk...`` verification method names (fragment must match)."""
    if not isinstance(method, str) or not method.startswith("did:key:"):
        raise ValueError("the verification method is not a did:key")
    did, _sep, fragment = method.partition("#")
    mb = did[len("did:key:") :]
    if fragment and fragment != mb:
        raise ValueError("the did:key fragment does not name the key of the DID")
    return public_key_from_multibase(mb)
