"""The query model as ONNX: exported from the sentence-transformers model when the index is built,
served with onnxruntime and the `tokenizers` fast tokenizer, so answering never imports torch.

sentence-transformers' own `backend="onnx"` needs optimum-onnx, whose releases pin transformers<4.58
while sentence-transformers 6 needs transformers 5: no consistent set installs, so the export is
`torch.onnx.export` of the transformer, and tokenization, pooling and normalisation are redone here
from what the model's own modules say (checked against sentence-transformers to 1e-5 in the tests).

An export lives in `<index>/models/<model>-<hash>/`, keyed by the model's name and a hash of its
weights, tokenizer and module settings: a rebuild with the same model reuses it.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import re
import shutil
import warnings
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path

import numpy as np

from bot.embedding import Encoder

log = logging.getLogger(__name__)
MODELS = "models"  # folder of the index root holding exports
CONFIG, TOKENIZER, FP32, INT8 = "encoder.json", "tokenizer.json", "model.onnx", "model.int8.onnx"
WEIGHTS = ".data"  # after a graph's file name: its weights, in a file of their own (see _keep_weights_apart)
MODULES = ("Transformer", "Pooling", "Normalize")  # the module chain the ONNX path reproduces
POOLING = {"cls", "max", "mean", "mean_sqrt_len_tokens"}
FIELDS = {"input_ids": "ids", "attention_mask": "attention_mask", "token_type_ids": "type_ids"}  # model input -> tokenizers field
OPSET = 17  # old enough for any onnxruntime this project allows, new enough for LayerNormalization
RUN_BATCH = 32  # sequences per onnxruntime call, length-sorted: on CPU larger batches only pad more
# A run on the calling thread alone. A question is ~15 tokens: handing each of a run's ~200 small operators to a
# second thread costs more than it saves (int8, one question, p50 2.0 ms on one thread, 2.7 ms on two), and the
# other core is left to the Python threads answering meanwhile (batches: about the same per question).
RUN_THREADS = 1
# A call of several runs (a batch) uses every core this process may use, a run on each.
PARALLEL_RUNS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
EXPORT_FORMAT = 2  # fused graph, int8 scaled per token: a new recipe gets a folder of its own, never an old one
QUANTIZE_OPSET = 21  # QuantizeLinear's block_size (one scale a token) needs it
INT8_MAX = 127


def onnx_available() -> bool:
    return importlib.util.find_spec("onnxruntime") is not None


def export_folder(root: Path, manifest: dict) -> Path | None:
    """The export this index's queries can be encoded with, if it exists and onnxruntime is installed."""
    key = manifest.get("onnx")
    folder = Path(root) / MODELS / key if key else None
    return folder if folder and (folder / CONFIG).exists() and onnx_available() else None


def _describe(model, name: str) -> dict | None:
    """What the ONNX path must reproduce, read from the model's modules; None if it can't be reproduced."""
    modules = list(model)
    kinds = tuple(type(m).__name__ for m in modules)
    tokenizer = model.tokenizer
    if kinds not in (MODULES, MODULES[:2]) or model.default_prompt_name or not tokenizer.is_fast \
            or not set(tokenizer.model_input_names) <= FIELDS.keys():
        return None
    transformer, pooling = modules[:2]
    modes = [pooling.pooling_mode] if isinstance(pooling.pooling_mode, str) else list(pooling.pooling_mode)
    if not set(modes) <= POOLING:
        return None
    return {"model": name, "dimension": int(model.get_embedding_dimension()), "max_tokens": int(transformer.max_seq_length),
            "lowercase": bool(getattr(transformer, "do_lower_case", False)), "pooling": modes,
            "normalize": kinds == MODULES, "inputs": list(tokenizer.model_input_names),
            "pad_id": tokenizer.pad_token_id, "pad_token": tokenizer.pad_token, "export": EXPORT_FORMAT}


def _tokenizer_json(model) -> str:
    """The fast tokenizer as tokenizer.json, without the padding and truncation state its last call left."""
    tokenizer = json.loads(model.tokenizer.backend_tokenizer.to_str())
    tokenizer["padding"] = tokenizer["truncation"] = None
    return json.dumps(tokenizer, ensure_ascii=False, sort_keys=True)


def _fingerprint(model, config: dict) -> str:
    """A hash of everything that decides the vectors: module settings, tokenizer, weights."""
    import torch

    digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode())
    digest.update(_tokenizer_json(model).encode())
    for key, tensor in model[0].auto_model.state_dict().items():
        digest.update(key.encode())
        digest.update(tensor.detach().cpu().contiguous().view(-1).view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()[:16]


def export(model, name: str, cache: Path) -> str | None:
    """Export `model` (a SentenceTransformer) into `cache` once; return its key, or None if it can't be served as ONNX."""
    config = _describe(model, name) if onnx_available() else None
    if config is None:
        return None
    key = f"{re.sub(r'[^A-Za-z0-9._-]+', '_', Path(name).name)}-{_fingerprint(model, config)}"
    if (Path(cache) / key / CONFIG).exists():
        for graph in (FP32, INT8):
            _keep_weights_apart(Path(cache) / key / graph)  # an export made before they were
        return key
    Path(cache).mkdir(parents=True, exist_ok=True)
    tmp = Path(cache) / f".{key}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        _export_onnx(model, config["inputs"], tmp / FP32)
        _fuse(model, tmp / FP32)
        _quantize(tmp / FP32, tmp / INT8)
        for graph in (FP32, INT8):
            _keep_weights_apart(tmp / graph)
    except Exception as exc:  # a model the exporter can't trace is still served, by PyTorch
        log.warning("cannot export '%s' to ONNX (%s: %s); questions will use PyTorch", name, type(exc).__name__, exc)
        shutil.rmtree(tmp, ignore_errors=True)
        return None
    (tmp / TOKENIZER).write_text(_tokenizer_json(model), encoding="utf-8")
    (tmp / CONFIG).write_text(json.dumps(config, indent=2), encoding="utf-8")  # written last: marks a complete export
    try:
        os.rename(tmp, Path(cache) / key)
    except OSError:  # another build exported the same model meanwhile
        shutil.rmtree(tmp, ignore_errors=True)
    return key


def _export_onnx(model, inputs: list[str], path: Path) -> None:
    """The transformer alone, token embeddings out, batch and length dynamic."""
    import torch

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self, transformer):
            super().__init__()
            self.transformer = transformer  # a submodule, so its weights export as weights

        def forward(self, *tensors):
            return self.transformer(**dict(zip(inputs, tensors))).last_hidden_state

    sample = model.tokenizer(["a short question", "a somewhat longer sample sentence"], padding=True, return_tensors="pt")
    transformer = model[0].auto_model
    attention = transformer.config._attn_implementation
    # Attention spelt out as matrix products traces to the pattern onnxruntime fuses (see _fuse); the same numbers.
    transformer.set_attn_implementation("eager")
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # tracer notes about Python control flow: the shapes stay dynamic
            # The TorchScript exporter: one self-contained file, and no onnxscript dependency.
            torch.onnx.export(TokenEmbeddings(transformer).eval(), tuple(sample[n] for n in inputs), str(path),
                              input_names=inputs,
                              output_names=["token_embeddings"], opset_version=OPSET, dynamo=False,
                              dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*inputs, "token_embeddings"]})
    finally:
        transformer.set_attn_implementation(attention)


def _fuse(model, path: Path) -> None:
    """onnxruntime's transformer optimizer: each layer's attention, GELU and layer norms become single operators
    (338 nodes to 64 for MiniLM: a question's encode 4.9 -> 3.5 ms). Q, K and V stay separate MatMuls
    (MultiHeadAttention, not Attention), so _quantize reaches them. A model it has no recipe for is left as exported."""
    from onnxruntime.transformers.fusion_options import FusionOptions
    from onnxruntime.transformers.optimizer import MODEL_TYPES, optimize_model

    config = model[0].auto_model.config
    if config.model_type not in MODEL_TYPES:
        return
    options = FusionOptions(config.model_type)
    options.use_multi_head_attention = True
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # it reports each fusion it makes
    try:
        fused = optimize_model(str(path), model_type=config.model_type, num_heads=config.num_attention_heads,
                               hidden_size=config.hidden_size, opt_level=1, optimization_options=options)
    finally:
        root.setLevel(level)
    fused.save_model_to_file(str(path))


def _keep_weights_apart(graph: Path) -> None:
    """Move the weights out of the graph file into <graph>WEIGHTS beside it: onnxruntime maps such a file instead of
    parsing the whole model and copying the weights out, and the token-embedding table, half the model, is
    then resident only for the rows questions use (the bot: 281 -> 210 MB here). The same numbers in another
    file: the vectors do not change. The graph is replaced in one rename, so a process loading it meanwhile
    reads the old file or the new pair, whole."""
    import onnx
    from onnx.external_data_helper import uses_external_data

    model = onnx.load(str(graph), load_external_data=False)
    if any(uses_external_data(tensor) for tensor in model.graph.initializer):
        return
    weights = graph.with_name(graph.name + WEIGHTS)
    weights.unlink(missing_ok=True)  # left by an interrupted attempt
    partial = graph.with_name(f".{graph.name}-{os.getpid()}")
    onnx.save_model(model, str(partial), save_as_external_data=True, all_tensors_to_one_file=True, location=weights.name)
    shutil.copymode(graph, weights)  # onnx writes it owner-only: the bot may run as another user
    os.replace(partial, graph)


def _quantize(source: Path, target: Path) -> None:
    """int8 weights (one scale an output column) times int8 activations (one scale a token, found at run time).

    onnxruntime's quantize_dynamic scales a call's activations as a whole, so a question's vector would depend
    on the other questions encoded with it and questions could only be encoded one a call. Scaled a token at a
    time, a text's vector is the same alone or in any batch, bit for bit, and nearer fp32 (cosine to fp32 over
    550 questions: min 0.986, mean 0.997; quantize_dynamic's 0.87, 0.97). Each MatMul by a constant weight W
    becomes: s = max|x| / 127 a token, q = QuantizeLinear(x, s, 128), MatMulIntegerToFloat(q, Wq, s, w, 128)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper, version_converter

    model = onnx.load(str(source))
    if next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx")) < QUANTIZE_OPSET:
        model = version_converter.convert_version(model, QUANTIZE_OPSET)
    graph = model.graph
    weights = {w.name: w for w in graph.initializer}
    added = [numpy_helper.from_array(np.array(v, dtype), name) for name, v, dtype in (
        ("q_last_axis", [-1], np.int64), ("q_per_step", 1 / INT8_MAX, np.float32), ("q_tiny", 1e-12, np.float32),
        ("q_middle", 128, np.uint8))]
    nodes: list = []
    per_token: dict[str, tuple[str, str]] = {}  # activation -> (its uint8 values, its scales), once for all its MatMuls

    def node(op: str, inputs: list[str], output: str, **attributes) -> str:
        nodes.append(helper.make_node(op, inputs, [output], **attributes))
        return output

    for original in graph.node:
        w = weights.get(original.input[1]) if original.op_type == "MatMul" else None
        if w is None or len(w.dims) != 2 or w.data_type != TensorProto.FLOAT:
            nodes.append(original)
            continue
        x, name = original.input[0], original.output[0]
        if x not in per_token:
            peak = node("ReduceMax", [node("Abs", [x], f"{x}/abs"), "q_last_axis"], f"{x}/peak", keepdims=1)
            scale = node("Add", [node("Mul", [peak, "q_per_step"], f"{x}/step"), "q_tiny"], f"{x}/scale")
            middle = node("Expand", ["q_middle", node("Shape", [scale], f"{x}/blocks")], f"{x}/zero")  # one a block
            per_token[x] = node("QuantizeLinear", [x, scale, middle], f"{x}/int8", axis=-1, block_size=w.dims[0]), scale
        values, scale = per_token[x]
        matrix = numpy_helper.to_array(w)
        column_scale = np.maximum(np.abs(matrix).max(axis=0), np.float32(1e-12)) / INT8_MAX
        added += [numpy_helper.from_array(np.clip(np.round(matrix / column_scale), -INT8_MAX, INT8_MAX).astype(np.int8),
                                          f"{name}/w_int8"),
                  numpy_helper.from_array(column_scale.astype(np.float32), f"{name}/w_scale")]
        node("MatMulIntegerToFloat", [values, f"{name}/w_int8", scale, f"{name}/w_scale", "q_middle"], name,
             domain="com.microsoft")
    used = {i for n in nodes for i in n.input}
    kept = [w for w in graph.initializer if w.name in used]
    del graph.node[:], graph.initializer[:]
    graph.node.extend(nodes)
    graph.initializer.extend([*kept, *added])
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(model, str(target))


class OnnxEncoder(Encoder):
    """The exported model with onnxruntime: the same vectors as sentence-transformers, without torch."""

    parallel_calls = PARALLEL_RUNS  # a run takes one core (RUN_THREADS): a question a core at once

    def __init__(self, folder: Path, quantized: bool = False, cache_size: int = 512):
        super().__init__(cache_size)
        import onnxruntime
        from tokenizers import Tokenizer

        self.folder, self.quantized = Path(folder), quantized
        self.config = json.loads((self.folder / CONFIG).read_text(encoding="utf-8"))
        self.name, self.dimension, self.max_tokens = self.config["model"], self.config["dimension"], self.config["max_tokens"]
        self._tokenizer = Tokenizer.from_file(str(self.folder / TOKENIZER))
        self._tokenizer.enable_truncation(self.max_tokens)
        self._tokenizer.enable_padding(pad_id=self.config["pad_id"], pad_token=self.config["pad_token"])
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = RUN_THREADS
        self._session = onnxruntime.InferenceSession(str(self.folder / (INT8 if quantized else FP32)), options,
                                                     providers=["CPUExecutionProvider"])
        # A call's runs, side by side (a session runs concurrently, each run on its own thread); threads start on use.
        self._runs = ThreadPoolExecutor(PARALLEL_RUNS, thread_name_prefix="onnx-run")

    def export_onnx(self, cache: Path) -> str:
        """This export, copied into another index's cache if it isn't there yet."""
        if not (Path(cache) / self.folder.name / CONFIG).exists():
            shutil.copytree(self.folder, Path(cache) / self.folder.name, dirs_exist_ok=True)
        return self.folder.name

    @cached_property
    def _counting_tokenizer(self):
        """An untruncated copy, made only when this encoder builds an index, never to answer."""
        from tokenizers import Tokenizer

        return Tokenizer.from_file(str(self.folder / TOKENIZER))

    def count_tokens(self, text: str) -> int:
        return len(self._counting_tokenizer.encode(text).ids)

    def encode(self, texts) -> np.ndarray:
        texts = [t.strip().lower() if self.config["lowercase"] else t.strip() for t in texts]  # as sentence-transformers does
        order = np.argsort([len(t) for t in texts], kind="stable")  # similar lengths share a run: less padding
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        # An int8 export older than EXPORT_FORMAT 2 scales a call's activations as a whole: one text a call, so
        # a text's vector never depends on what it was encoded with (another user's question).
        run_size = 1 if self.quantized and self.config.get("export", 1) < EXPORT_FORMAT else RUN_BATCH
        runs = [order[start:start + run_size] for start in range(0, len(order), run_size)]
        embedded = self._runs.map(lambda run: self._embed([texts[i] for i in run]), runs) if len(runs) > 1 else \
            [self._embed([texts[i] for i in run]) for run in runs]
        for run, run_vectors in zip(runs, embedded):
            vectors[run] = run_vectors
        return vectors

    def _embed(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        feed = {name: np.array([getattr(e, FIELDS[name]) for e in encodings], dtype=np.int64) for name in self.config["inputs"]}
        tokens = self._session.run(None, feed)[0]
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)[:, :, None]
        pooled = np.concatenate([_pool(mode, tokens, mask) for mode in self.config["pooling"]], axis=1)
        if self.config["normalize"]:
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled


def _pool(mode: str, tokens: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sentence-transformers' Pooling modes over right-padded token embeddings."""
    if mode == "cls":
        return tokens[:, 0]
    if mode == "max":
        return np.where(mask > 0, tokens, -np.inf).max(axis=1)
    counts = np.maximum(mask.sum(axis=1), 1e-9)
    return (tokens * mask).sum(axis=1) / (counts if mode == "mean" else np.sqrt(counts))
