"""The command line, run in-process with the session's model (one model load per test session)."""
import json

import pytest
from typer.testing import CliRunner

from bot import cli


@pytest.fixture
def run_cli(engine, embedder, monkeypatch):
    monkeypatch.setenv("FORUMBOT_INDEX_DIR", str(engine.settings.index_dir))
    monkeypatch.setenv("FORUMBOT_CORPUS_DIR", str(engine.settings.corpus_dir))
    monkeypatch.setattr("bot.engine.Embedder", lambda *a, **k: embedder)
    cli.get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args, input=None: runner.invoke(cli.app, list(args), input=input)
    cli.get_settings.cache_clear()


def test_ask_json_prints_one_contract_object(run_cli):
    result = run_cli("ask", "--json", "Who is Li Bohu?")
    assert result.exit_code == 0, result.output
    (line,) = [l for l in result.stdout.splitlines() if l.strip()]
    data = json.loads(line)
    assert data["citations"][0]["paragraph"] == 2
    assert data["citations"][0]["quote"] in data["citations"][0]["text"]
    assert set(data) == {"question", "answer", "abstained", "citations", "latency_ms", "index_version"}


def test_batch_stdin_answers_in_order(run_cli):
    questions = ["Who is Li Bohu?", "What's the best pizza topping?", "", "yang xiuling job title"]
    result = run_cli("ask", "--json", input="\n".join(questions) + "\n")
    assert result.exit_code == 0, result.output
    rows = [json.loads(l) for l in result.stdout.splitlines() if l.strip()]
    assert [r["question"] for r in rows] == ["Who is Li Bohu?", "What's the best pizza topping?", "yang xiuling job title"]
    assert [r["abstained"] for r in rows] == [False, True, False]


def test_ask_for_a_person_shows_numbered_citations(run_cli):
    result = run_cli("ask", "Who is Li Bohu?")
    assert result.exit_code == 0
    assert "[1]" in result.stdout and "¶2" in result.stdout


def test_index_info_shows_the_manifest(run_cli, engine):
    result = run_cli("index", "info")
    assert result.exit_code == 0
    assert engine.version in result.stdout and "all-MiniLM-L6-v2" in result.stdout
    data = json.loads(run_cli("index", "info", "--json").stdout)
    assert data["index_version"] == engine.version


def test_missing_index_is_built_before_answering(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("FORUMBOT_INDEX_DIR", str(tmp_path / "fresh-index"))
    cli.get_settings.cache_clear()
    result = run_cli("ask", "--json", "Who is Li Bohu?")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "fresh-index" / "current" / "manifest.json").exists()
    assert json.loads(result.stdout.splitlines()[-1])["citations"][0]["paragraph"] == 2
