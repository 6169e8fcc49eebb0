"""Fast float32 samplers driven by uniforms from the game's PCG64 stream (one block per round)."""

from __future__ import annotations

import numpy as np

LOGISTIC_SCALE = np.float32(np.sqrt(3.0) / np.pi)  # unit-variance logistic
BIG_LAMBDA = np.float32(30.0)


def unit_noise(u: np.ndarray) -> np.ndarray:
    """Symmetric unit-variance noise from uniforms (logistic quantile, close to a standard normal)."""
    u = np.clip(u, np.float32(1e-7), np.float32(1.0 - 1e-7))
    return np.log(u / (np.float32(1.0) - u)) * LOGISTIC_SCALE


def poisson(u: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """Poisson(lam) by exact CDF inversion of uniforms ``u``; lam above 30 uses the rounded normal limit.

    Inversion walks all cells while many are still climbing the CDF, then only the few left.
    """
    shape = lam.shape
    u = np.ascontiguousarray(u, dtype=np.float32).ravel()
    lam_all = np.ascontiguousarray(lam, dtype=np.float32).ravel()
    big = lam_all > BIG_LAMBDA
    lam = np.where(big, np.float32(0.0), lam_all)
    p = np.exp(-lam)
    F = p.copy()
    k = np.zeros(u.size, np.int32)
    act = u > F
    i = 1
    n = u.size
    while True:
        c = np.count_nonzero(act)
        if c == 0 or c * 8 < n:
            break
        k += act
        p *= lam
        p *= np.float32(1.0 / i)
        F += p
        i += 1
        np.greater(u, F, out=act)
    idx = np.flatnonzero(act)
    if idx.size:
        uu, ll, pp, FF = u[idx], lam[idx], p[idx], F[idx]
        kk = np.zeros(idx.size, np.int32)
        a = uu > FF
        while a.any() and i < 400:
            kk += a
            pp *= ll * np.float32(1.0 / i)
            FF += pp
            i += 1
            np.greater(uu, FF, out=a)
        k[idx] += kk
    if big.any():
        lb = lam_all[big]
        k[big] = np.maximum(np.rint(lb + np.sqrt(lb) * unit_noise(u[big])), 0).astype(np.int32)
    return k.reshape(shape)


def binomial(u: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Binomial(n, p) by exact CDF inversion of uniforms ``u``; cells with variance above 25 use the rounded
    normal limit (clipped to 0..n). Result is int32 and never exceeds ``n``. Only cells with n > 0 are worked."""
    shape = np.broadcast_shapes(u.shape, n.shape, np.shape(p))
    n_all = np.broadcast_to(n, shape).astype(np.int32).ravel()
    out = np.zeros(n_all.size, np.int32)
    nz = np.flatnonzero(n_all)
    if not nz.size:
        return out.reshape(shape)
    uu = np.broadcast_to(u, shape).reshape(-1)[nz].astype(np.float32, copy=False)
    pp = np.clip(np.broadcast_to(p, shape).reshape(-1)[nz].astype(np.float32, copy=False), 0, np.float32(1 - 1e-6))
    nn = n_all[nz]
    nf = nn.astype(np.float32)
    q = np.float32(1) - pp
    var = nf * pp * q
    big = var > 25
    if big.any():
        mean = nf[big] * pp[big]
        noise = unit_noise(uu[big])
        out[nz[big]] = np.clip(np.rint(mean + np.sqrt(var[big]) * noise), 0, nf[big]).astype(np.int32)
        keep = ~big
        nz, uu, pp, nn, nf, q = nz[keep], uu[keep], pp[keep], nn[keep], nf[keep], q[keep]
    prob = np.exp(nf * np.log(q))  # P(X = 0)
    F = prob
    act = uu > F
    idx = np.flatnonzero(act)
    if idx.size:
        u2, n2, r2, p2, F2 = uu[idx], nn[idx], pp[idx] / q[idx], prob[idx], F[idx]
        k2 = np.zeros(idx.size, np.int32)
        a = np.ones(idx.size, bool)
        while a.any():
            k2 += a
            p2 = p2 * ((n2 - k2 + 1).astype(np.float32) / k2) * r2
            F2 = F2 + p2
            a = (u2 > F2) & (k2 < n2)
        out[nz[idx]] = k2
    return out.reshape(shape)
