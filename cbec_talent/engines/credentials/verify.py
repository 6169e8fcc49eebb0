"""Verifying a credential as a relying party would: the proof, the issuer behind the key, the validity period,
the revocation status (its status list credential verified too). No network: the caller passes the trusted
issuer keys and a function that returns the status list credential for a URL (or None when it cannot)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from . import multibase, statuslist
from .integrity import ProofError, verify_proof

VALID = "valid"
INVALID = "invalid"
REVOKED = "revoked"
UNTRUSTED = "untrusted"
NOT_YET_VALID = "not_yet_valid"
EXPIRED = "expired"
STATUS_UNKNOWN = "status_unknown"


@dataclass(frozen=True)
class Verification:
    state: str  # one of the constants above
    reason_en: str
    reason_zh: str
    subject_name: str = ""
    credential_name: str = ""
    issuer_name: str = ""
    credential_id: str = ""
    checks: tuple[tuple[str, bool], ...] = field(default_factory=tuple)

    @property
    def valid(self) -> bool:
        return self.state == VALID


def _issuer_id(document: dict) -> str:
    issuer = document.get("issuer")
    return issuer.get("id", "") if isinstance(issuer, dict) else str(issuer or "")


def _issuer_name(document: dict) -> str:
    issuer = document.get("issuer")
    return str(issuer.get("name", "")) if isinstance(issuer, dict) else ""


def _parse_time(value) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _entries(document: dict) -> list[dict]:
    status = document.get("credentialStatus")
    if status is None:
        return []
    return [s for s in (status if isinstance(status, list) else [status]) if isinstance(s, dict)]


def verify_credential(
    document,
    *,
    trusted_keys: set[str],
    status_resolver: Callable[[str], dict | None],
    now: dt.datetime | None = None,
) -> Verification:
    """``trusted_keys``: the publicKeyMultibase values of the issuers this verifier trusts."""
    now = now or dt.datetime.now(dt.UTC)
    checks: list[tuple[str, bool]] = []
    meta = {}
    if isinstance(document, dict):
        subject = document.get("credentialSubject")
        meta = {
            "subject_name": str(subject.get("name", "")) if isinstance(subject, dict) else "",
            "credential_name": str(document.get("name", "")),
            "issuer_name": _issuer_name(document),
            "credential_id": str(document.get("id", "")),
        }
    try:
        proof = verify_proof(document)
    except ProofError as exc:
        checks.append(("signature", False))
        return Verification(
            INVALID, str(exc), "签名校验未通过：凭证已被改动或并非由该密钥签发", checks=tuple(checks), **meta
        )
    checks.append(("signature", True))
    did = multibase.did_key(proof.public_key)
    if _issuer_id(document) != did:
        checks.append(("issuer_key", False))
        return Verification(
            INVALID, "the proof's key is not the issuer's", "签名密钥与签发者不符", checks=tuple(checks), **meta
        )
    checks.append(("issuer_key", True))
    trusted = multibase.public_key_multibase(proof.public_key) in trusted_keys
    checks.append(("trusted_issuer", trusted))
    if not trusted:
        return Verification(
            UNTRUSTED,
            "the signature is intact, but the key is not one of this college's issuer keys",
            "签名完整，但签名密钥不是本校的签发密钥",
            checks=tuple(checks),
            **meta,
        )
    valid_from, valid_until = _parse_time(document.get("validFrom")), _parse_time(document.get("validUntil"))
    if valid_from is None or valid_from > now:
        checks.append(("valid_from", False))
        return Verification(NOT_YET_VALID, "not valid yet (validFrom)", "尚未生效", checks=tuple(checks), **meta)
    if valid_until is not None and valid_until <= now:
        checks.append(("valid_until", False))
        return Verification(EXPIRED, "expired (validUntil)", "已过期", checks=tuple(checks), **meta)
    for entry in _entries(document):
        url = entry.get("statusListCredential")
        purpose = entry.get("statusPurpose")
        try:
            index = int(entry.get("statusListIndex"))
        except (TypeError, ValueError):
            return Verification(INVALID, "bad statusListIndex", "状态列表索引无效", checks=tuple(checks), **meta)
        listing = status_resolver(url) if isinstance(url, str) else None
        if listing is None:
            checks.append(("status", False))
            return Verification(
                STATUS_UNKNOWN,
                f"the status list {url} cannot be read",
                "无法读取撤销状态列表",
                checks=tuple(checks),
                **meta,
            )
        try:
            list_proof = verify_proof(listing)
        except ProofError as exc:
            checks.append(("status", False))
            return Verification(
                STATUS_UNKNOWN,
                f"the status list's proof fails: {exc}",
                "撤销状态列表的签名无效",
                checks=tuple(checks),
                **meta,
            )
        subject = listing.get("credentialSubject") or {}
        if (
            list_proof.public_key != proof.public_key
            or listing.get("id") != url
            or subject.get("statusPurpose") != purpose
        ):
            checks.append(("status", False))
            return Verification(
                STATUS_UNKNOWN,
                "the status list is not the issuer's list for this purpose",
                "撤销状态列表与凭证不符",
                checks=tuple(checks),
                **meta,
            )
        try:
            flagged = statuslist.is_set(subject.get("encodedList", ""), index)
        except (ValueError, OSError) as exc:
            return Verification(STATUS_UNKNOWN, str(exc), "撤销状态列表无法解码", checks=tuple(checks), **meta)
        checks.append((f"status:{purpose}", not flagged))
        if flagged:
            return Verification(
                REVOKED,
                f"the issuer has set its {purpose} status",
                "该凭证已被签发者撤销",
                checks=tuple(checks),
                **meta,
            )
    return Verification(
        VALID,
        "valid: signature, issuer, validity period and status check out",
        "有效：签名、签发者、有效期和撤销状态均通过校验",
        checks=tuple(checks),
        **meta,
    )
