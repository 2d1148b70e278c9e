"""The ONNX query path: the same vectors and answers as sentence-transformers, without torch at answer time."""
import json
import os
import shutil
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from bot.batching import MAX_BATCH, Batcher, Batchers
from bot.engine import Engine
from bot.onnx_encoder import FP32, RUN_BATCH, WEIGHTS, OnnxEncoder, _keep_weights_apart, export
from tests.conftest import QUESTIONS, ROOT, SHARED_EVAL, build

EDGE_CASES = ["", "   padded with spaces   ", "Li Bohu " * 300, "李伯虎院士说了什么？", "ÉCOLE, café & naïve façade!"]


def eval_questions() -> list[str]:
    files = [*SHARED_EVAL.glob("dev*.jsonl"), *QUESTIONS.glob("*.jsonl")]
    rows = [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return list(dict.fromkeys(turn["question"] for row in rows for turn in row.get("turns", [row])))


def comparable(answer) -> dict:
    """An answer as JSON, without its timing, and scores rounded past what vectors equal to 1e-5 can move."""
    data = json.loads(answer.to_json())
    data.pop("latency_ms")
    for citation in (*data["citations"], *data.get("related", [])):
        citation["score"] = round(citation["score"], 3)
    return data


@pytest.fixture(scope="module")
def fp32(engine):
    """The shared index answered with the fp32 export: the vectors sentence-transformers gives."""
    fp32 = Engine(engine.settings.model_copy(update={"onnx_int8": False}), engine._model)
    fp32.reload()
    return fp32


def test_the_engine_answers_with_onnx_int8_when_the_index_has_an_export(engine):
    assert isinstance(engine.embedder, OnnxEncoder) and engine.embedder.quantized


def test_onnx_vectors_match_sentence_transformers(fp32, embedder):
    passages = [p.text for p in fp32.store.passages]
    texts = eval_questions() + passages + EDGE_CASES
    assert not fp32.embedder.quantized
    assert np.abs(fp32.embedder.encode(texts) - embedder.encode(texts)).max() < 1e-5
    for text in texts[:40] + EDGE_CASES:  # one at a time, as a quiet question is encoded
        assert np.abs(fp32.embedder.encode([text])[0] - embedder.encode([text])[0]).max() < 1e-5
    assert [fp32.embedder.count_tokens(t) for t in passages] == [embedder.count_tokens(t) for t in passages]


def test_an_index_built_with_one_path_answers_identically_with_the_other(engine, fp32, settings_for):
    questions = eval_questions()
    by_pytorch = Engine(engine.settings.model_copy(update={"onnx": False}), engine._model)
    by_pytorch.reload()
    assert by_pytorch.embedder is engine._model
    many = fp32.ask_many([(q, []) for q in questions])
    assert [comparable(a) for a in many] == [comparable(by_pytorch.ask(q)) for q in questions]

    # Built by the ONNX encoder, answered by PyTorch (same calibration, so abstentions compare too).
    settings = settings_for("built-by-onnx")
    build(settings, fp32.embedder)
    built_by_onnx = Engine(settings.model_copy(update={"onnx": False}), engine._model)
    built_by_onnx.save_calibration(engine.store.manifest["calibration"])
    assert [comparable(built_by_onnx.ask(q)) | {"index_version": None} for q in questions] == \
        [comparable(by_pytorch.ask(q)) | {"index_version": None} for q in questions]


def test_ask_many_answers_each_question_once_in_order_as_ask_does(engine):
    questions = eval_questions()
    questions = questions + questions[:10] + ["", "hello", "Who is Li Bohu?", "what was the theme? and what report was released?"]
    engine.embedder.clear_cache()
    batch = engine.ask_many([(q, []) for q in questions])
    assert [a.question for a in batch] == [engine.ask(q).question for q in questions]
    assert [comparable(a) for a in batch] == [comparable(engine.ask(q)) for q in questions]


def test_ask_many_encodes_the_questions_of_each_batch_in_one_model_call(engine, monkeypatch):
    questions = [f"{q} (asked by user {i})" for i, q in enumerate(eval_questions()[:25] * 4)]  # 100, all distinct
    calls: list[int] = []
    encode_queries = engine.embedder.encode_queries
    monkeypatch.setattr(engine.embedder, "encode_queries", lambda texts: calls.append(len(texts)) or encode_queries(texts))
    engine.ask_many([(q, []) for q in questions])
    assert len(calls) == 2 and max(calls) <= MAX_BATCH  # 64 questions, then 36, less any small talk


def test_ask_many_encodes_the_words_of_a_batch_together_not_one_call_a_question(engine, monkeypatch):
    questions = [f"{q} (asked by user {i})" for i, q in enumerate(eval_questions()[:25] * 4)]
    engine._word_vectors.clear()
    calls: list[int] = []
    encode = engine.embedder.encode
    monkeypatch.setattr(engine.embedder, "encode", lambda texts: calls.append(len(texts)) or encode(texts))
    engine.ask_many([(q, []) for q in questions])
    assert max(calls) > 50 and len(calls) < 25  # questions and words in a few calls; the text's own words as met


def test_the_corpus_words_are_encoded_at_load_not_on_the_first_questions(engine, monkeypatch):
    """Every support check compares a question's words with its paragraph's: those are encoded in one call when
    the index is loaded, so a question of corpus words costs one model call, its own."""
    loaded = Engine.load(engine.settings)
    calls: list[list[str]] = []
    encode = loaded.embedder.encode
    monkeypatch.setattr(loaded.embedder, "encode", lambda texts: calls.append(list(texts)) or encode(texts))
    answer = loaded.ask("what is the smart industrial internet based on?")
    assert not answer.abstained and len(calls) == 1 and len(calls[0]) == 1


def test_an_export_made_with_the_weights_inside_its_graph_is_split_by_the_next_build_with_the_same_vectors(engine, tmp_path):
    import onnx

    folder = tmp_path / engine.embedder.folder.name
    shutil.copytree(engine.embedder.folder, folder)
    assert (folder / (FP32 + WEIGHTS)).stat().st_size > 100 * (folder / FP32).stat().st_size  # as the build left it
    onnx.save_model(onnx.load(str(folder / FP32)), str(folder / FP32))  # one file, as exports used to be
    (folder / (FP32 + WEIGHTS)).unlink()
    questions = eval_questions()
    inline = OnnxEncoder(folder).encode(questions)
    export(engine._model.model, engine.settings.model, tmp_path)  # finds the export, splits it
    assert (folder / (FP32 + WEIGHTS)).exists() and np.array_equal(OnnxEncoder(folder).encode(questions), inline)
    _keep_weights_apart(folder / FP32)  # already apart: left as it is
    assert (folder / (FP32 + WEIGHTS)).stat().st_size > 100 * (folder / FP32).stat().st_size


def test_an_int8_vector_does_not_depend_on_what_it_is_encoded_with(engine, monkeypatch):
    """int8 scales each token's activations on their own: encoded in one call with another user's (longer)
    question, a text's vector is the one it has alone, bit for bit."""
    runs: list[int] = []
    embed = engine.embedder._embed
    monkeypatch.setattr(engine.embedder, "_embed", lambda texts: runs.append(len(texts)) or embed(texts))
    alone = engine.embedder.encode(["what does the article say about the age of industrial internet"])[0]
    together = engine.embedder.encode(["what does the article say about the age of industrial internet",
                                       "who is li bohu and what did he say about the smart industrial internet"])[0]
    assert engine.embedder.quantized and runs == [1, 2] and np.array_equal(alone, together)


def test_a_call_of_several_runs_runs_them_side_by_side_with_the_vectors_of_one_at_a_time(engine, monkeypatch):
    """A batch longer than a run is split into runs encoded on several threads at once; each text keeps its
    vector, in its place."""
    questions = eval_questions()[: 2 * RUN_BATCH + 5]
    threads: set[str] = set()
    embed = engine.embedder._embed
    monkeypatch.setattr(engine.embedder, "_embed",
                        lambda texts: threads.add(threading.current_thread().name) or embed(texts))
    together = engine.embedder.encode(questions)
    one_by_one = np.vstack([engine.embedder.encode([q]) for q in questions])
    assert np.array_equal(together, one_by_one)
    assert any(name.startswith("onnx-run") for name in threads)  # the runs of the batch went to the pool


def test_int8_stays_near_fp32(engine, fp32):
    questions = eval_questions()
    cosines = (engine.embedder.encode(questions) * fp32.embedder.encode(questions)).sum(axis=1)
    assert cosines.min() > 0.97 and cosines.mean() > 0.99  # 0.986 and 0.997 measured over 550 questions


@pytest.mark.parametrize("answerable, unanswerable", [
    ("dev.jsonl", "dev_out_of_scope.jsonl"), ("dev_casual.jsonl", "dev_near_topic.jsonl"),
    ("dev_conversations.jsonl", None), ("dev_multilingual.jsonl", None)])
def test_int8_loses_no_answer_on_a_public_set(engine, fp32, answerable, unanswerable):
    """int8 is the default only because `forumbot eval` finds no loss on any public set."""
    from bot.evaluation import evaluate, load_questions

    rows = load_questions(SHARED_EVAL / answerable)
    out = load_questions(SHARED_EVAL / unanswerable) if unanswerable else []
    int8, fp32_report = evaluate(engine, rows, out)[0], evaluate(fp32, rows, out)[0]
    assert engine.embedder.quantized and not fp32.embedder.quantized
    assert int8.answer_accuracy >= fp32_report.answer_accuracy and int8.hit_at_1 >= fp32_report.hit_at_1
    assert int8.out_of_scope_abstention == fp32_report.out_of_scope_abstention


def test_a_model_with_modules_onnx_cannot_reproduce_stays_on_pytorch(embedder, tmp_path):
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.models import Dense

    with_dense = SentenceTransformer(modules=[embedder.model[0], embedder.model[1], Dense(384, 64)], device="cpu")
    assert export(with_dense, "with-dense", tmp_path) is None


def test_answering_never_imports_torch(engine):
    """`forumbot ask`, and the bot as `forumbot run` starts it, with the ONNX export present."""
    code = ("import sys\nfrom bot import create_bot\nfrom bot.cli import load_engine\n"
            "engine = load_engine()\ncreate_bot(engine=engine)\nassert engine.ask('Who is Li Bohu?').citations\n"
            "sys.argv = ['forumbot', 'ask', '--json', 'What did Yang Xiuling say about Beijing?']\n"
            "from bot.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print({m: m in sys.modules for m in ('torch', 'sentence_transformers', 'transformers')})")
    env = {**os.environ, "FORUMBOT_INDEX_DIR": str(engine.settings.index_dir),
           "FORUMBOT_CORPUS_DIR": str(engine.settings.corpus_dir),
           "FORUMBOT_DATA_DIR": str(engine.settings.data_dir)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    answer, imported = done.stdout.strip().splitlines()[-2:]
    assert json.loads(answer)["citations"]
    assert imported == str({"torch": False, "sentence_transformers": False, "transformers": False})


def test_the_batcher_encodes_concurrent_questions_together_each_exactly_once():
    calls: list[list[str]] = []
    first = threading.Event()

    def encode(texts):
        calls.append(list(texts))
        if not first.is_set():
            first.set()
            time.sleep(0.05)  # the first question holds the model while the others queue up
        return np.array([[float(t.split()[-1])] for t in texts])

    batcher = Batcher(encode)
    results: dict[int, float] = {}
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, batcher(f"question {i}")[0])) for i in range(300)]
    for t in threads:
        t.start()
        first.wait()
    for t in threads:
        t.join()
    assert results == {i: float(i) for i in range(300)}
    encoded = [t for call in calls for t in call]
    assert sorted(encoded) == sorted(f"question {i}" for i in range(300))  # each once
    assert 1 < max(len(c) for c in calls) <= MAX_BATCH


def test_questions_arriving_together_are_encoded_at_once_by_batchers_side_by_side():
    running, most = [0], [0]
    lock, both = threading.Lock(), threading.Barrier(2, timeout=5)

    def encode(texts):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)  # long enough for the other question to arrive while this one runs
        with lock:
            running[0] -= 1
        return np.array([[float(t.split()[-1])] for t in texts])

    batchers = Batchers(encode, 2)
    results: dict[int, float] = {}

    def ask(i: int) -> None:
        both.wait()
        results[i] = batchers(f"question {i}")[0]

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {0: 0.0, 1: 1.0} and most[0] == 2  # one lone batcher would have run them one after the other


def test_a_model_error_reaches_each_question_of_its_batch_once_and_the_next_batch_works():
    fail = threading.Event()
    fail.set()

    def encode(texts):
        if fail.is_set():
            fail.clear()
            raise RuntimeError("model failure (simulated)")
        return np.ones((len(texts), 1))

    batcher = Batcher(encode)
    with pytest.raises(RuntimeError, match="simulated"):
        batcher("first")
    assert batcher("second")[0] == 1.0
