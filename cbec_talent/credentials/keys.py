"""The college's Ed25519 signing key: a PKCS#8 PEM file (CBEC_CREDENTIAL_KEY_FILE, mode 0600), made on first
use; its public half is registered as an IssuerKey so verifiers here trust it (and keep trusting credentials
signed with it after a rotation)."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

from cbec_talent.engines.credentials import multibase

from .models import IssuerKey


def key_path() -> Path:
    return Path(settings.CBEC_CREDENTIAL_KEY_FILE)


def college_key() -> Ed25519PrivateKey:
    path = key_path()
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 private key")
    else:
        key = Ed25519PrivateKey.generate()
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
    IssuerKey.objects.get_or_create(public_key_multibase=public_multibase(key))
    return key


def public_multibase(key: Ed25519PrivateKey) -> str:
    return multibase.public_key_multibase(key.public_key().public_bytes_raw())


def issuer_did(key: Ed25519PrivateKey) -> str:
    return multibase.did_key(key.public_key().public_bytes_raw())


def trusted_keys() -> set[str]:
    return set(IssuerKey.objects.values_list("public_key_multibase", flat=True))
