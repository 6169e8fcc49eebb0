"""Verifiable credentials engine: sign and verify an Open Badges 3.0 credential with an eddsa-rdfc-2022 proof
(RDFC-1.0 canonicalisation by pyld with the pinned local contexts, Ed25519 by `cryptography`), against a baseline
measured in the same run: Ed25519 over the credential's sorted-key JSON bytes (what a JCS-style proof would sign,
with no RDF step). The ratio says what the canonicalisation costs per credential.

    .venv/bin/python bench/credentials.py [--n 200]

Ends with one JSON line, headline first (verify_per_s).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cbec_talent.engines.credentials import credential_context, multibase, sign, statuslist, verify_credential
from cbec_talent.engines.credentials.integrity import canonicalize


def _credential(did: str, i: int) -> dict:
    base = "https://college.example"
    return {
        "@context": credential_context(),
        "id": f"urn:uuid:00000000-0000-4000-8000-{i:012d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": "示范职业学院", "url": base + "/"},
        "validFrom": "2026-06-30T00:00:00Z",
        "name": "跨境电子商务专业 双证毕业 Double-certificate graduation",
        "credentialSubject": {
            "id": f"{base}/credentials/subjects/2024{i:04d}",
            "type": ["AchievementSubject"],
            "name": "张同学",
            "identifier": [
                {"type": "IdentityObject", "identityType": "studentId", "identityHash": f"2024{i:04d}", "hashed": False}
            ],
            "achievement": {
                "id": f"{base}/credentials/achievements/graduation/P000-CBEC",
                "type": ["Achievement"],
                "achievementType": "Diploma",
                "name": "Double-certificate graduation",
                "description": "Credits by module, practice certified by school and enterprise, a certificate.",
                "criteria": {
                    "id": f"{base}/credentials/achievements/graduation/P000-CBEC#criteria",
                    "narrative": "修满各模块及总学分；专业实践经学校和企业双方认定；取得认可的职业资格证书。",
                },
            },
        },
        "credentialStatus": {
            "id": f"{base}/credentials/status/1#{i}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(i),
            "statusListCredential": f"{base}/credentials/status/1",
        },
    }


def _median(f, n: int) -> float:
    times = []
    for i in range(n):
        t = time.perf_counter()
        f(i)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    key = Ed25519PrivateKey.generate()
    did = multibase.did_key(key.public_key().public_bytes_raw())
    trusted = {multibase.public_key_multibase(key.public_key().public_bytes_raw())}
    status = sign(
        statuslist.status_list_credential(
            url="https://college.example/credentials/status/1",
            issuer=did,
            valid_from="2026-06-30T00:00:00Z",
            revoked={3},
            contexts=[credential_context()[0]],
        ),
        key,
        created="2026-06-30T00:00:00Z",
    )
    docs = [_credential(did, i) for i in range(args.n)]
    signed = [sign(d, key, created="2026-06-30T00:00:00Z") for d in docs[:5]]  # warm the context cache

    sign_s = _median(lambda i: sign(docs[i], key, created="2026-06-30T00:00:00Z"), args.n)
    signed = [sign(d, key, created="2026-06-30T00:00:00Z") for d in docs]
    verify_s = _median(
        lambda i: verify_credential(signed[i], trusted_keys=trusted, status_resolver=lambda u: status), args.n
    )
    canon_s = _median(lambda i: canonicalize(docs[i]), args.n)
    public = key.public_key()

    def baseline(i: int) -> None:
        data = json.dumps(docs[i], sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        public.verify(key.sign(data), data)

    base_s = _median(baseline, args.n)
    verdicts = [verify_credential(s, trusted_keys=trusted, status_resolver=lambda u: status).state for s in signed]
    tampered = json.loads(json.dumps(signed[0]))
    tampered["credentialSubject"]["name"] = "张同乙"
    caught = verify_credential(tampered, trusted_keys=trusted, status_resolver=lambda u: status).state
    print(f"sign (canonicalise document + proof options, Ed25519):   median {sign_s * 1e3:7.2f} ms")
    print(f"verify (safe-mode expansion, canonicalise, Ed25519, status list): median {verify_s * 1e3:7.2f} ms")
    print(f"RDFC-1.0 canonicalisation of one credential:             median {canon_s * 1e3:7.2f} ms")
    print(f"baseline: Ed25519 sign+verify of sorted-key JSON bytes:  median {base_s * 1e3:7.3f} ms")
    print(
        f"verdicts: {verdicts.count('valid')} valid, {verdicts.count('revoked')} revoked (index 3 is revoked);"
        f" tampered copy -> {caught}"
    )
    print(
        json.dumps(
            {
                "verify_per_s": round(1 / verify_s, 1),
                "median_s": round(verify_s, 6),
                "baseline_median_s": round(base_s, 6),
                "ratio": round(verify_s / base_s, 1),
                "sign_median_s": round(sign_s, 6),
                "canonicalise_median_s": round(canon_s, 6),
                "credentials": args.n,
                "valid": verdicts.count("valid"),
                "revoked": verdicts.count("revoked"),
                "tampered_state": caught,
            }
        )
    )


if __name__ == "__main__":
    main()
