"""The command line, run in-process with the session's model (one model load per test session)."""
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
import time

import pytest
from typer.testing import CliRunner

from bot import cli, questionlog
from bot.answer import Answer, Kind
from tests.conftest import locked, tmpfs

TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"  # well-formed, never valid


@pytest.fixture
def run_cli(engine, embedder, monkeypatch, tmp_path):
    monkeypatch.setenv("FORUMBOT_INDEX_DIR", str(engine.settings.index_dir))
    monkeypatch.setenv("FORUMBOT_CORPUS_DIR", str(engine.settings.corpus_dir))
    monkeypatch.setattr("bot.engine.Embedder", lambda *a, **k: embedder)
    monkeypatch.setenv("FORUMBOT_DATA_DIR", str(tmp_path / "data"))
    cli.get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args, input=None: runner.invoke(cli.app, list(args), input=input)
    cli.get_settings.cache_clear()


def test_ask_json_prints_one_contract_object(run_cli):
    result = run_cli("ask", "--json", "Who is Li Bohu?")
    assert result.exit_code == 0, result.output
    (line,) = [row for row in result.stdout.splitlines() if row.strip()]
    data = json.loads(line)
    assert data["citations"][0]["paragraph"] == 2
    assert data["citations"][0]["quote"] in data["citations"][0]["text"]
    assert set(data) == {"question", "answer", "abstained", "citations", "latency_ms", "index_version"}


def test_batch_stdin_answers_in_order(run_cli):
    questions = ["Who is Li Bohu?", "What's the best pizza topping?", "", "yang xiuling job title"]
    result = run_cli("ask", "--json", input="\n".join(questions) + "\n")
    assert result.exit_code == 0, result.output
    rows = [json.loads(row) for row in result.stdout.splitlines() if row.strip()]
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


@pytest.fixture
def forumbot(run_cli, monkeypatch, capsys):
    """`forumbot ARGS` through the real entry point: (exit code, stdout, stderr) as an operator sees them."""
    def run(*args):
        monkeypatch.setattr(sys, "argv", ["forumbot", *args])
        with pytest.raises(SystemExit) as exit:
            cli.main()
        captured = capsys.readouterr()
        return exit.value.code, captured.out, captured.err

    return run


def one_line_error(code, err, *words):
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 1 and lines[0].startswith("error:"), err
    assert all(word in lines[0] for word in words), lines[0]


def one_line_after_discord_logs(code, err, *words):
    """discord.py logs its own notices (no voice support) once its logging is set up; then our one line."""
    assert "Traceback" not in err
    one_line_error(code, err.strip().splitlines()[-1], *words)


def test_lines_at_hand_are_batched_and_a_line_with_none_after_it_is_not_held_back():
    assert [len(b) for b in cli._batches_as_they_come(range(600), 256, 0.005)] == [256, 256, 88]

    def slow():
        for i in range(3):
            yield i
            time.sleep(0.2)  # a person, or a program waiting for each answer

    assert list(cli._batches_as_they_come(slow(), 256, 0.005)) == [[0], [1], [2]]


def test_an_error_reading_the_lines_reaches_the_caller_after_the_lines_before_it():
    def failing():
        yield "first"
        raise OSError("stdin went away")

    batches = cli._batches_as_they_come(failing(), 256, 0.005)
    assert next(batches) == ["first"]
    with pytest.raises(OSError, match="stdin went away"):
        next(batches)


def test_a_program_writing_one_question_at_a_time_gets_each_answer_before_the_next_question(engine):
    env = {**os.environ, "FORUMBOT_INDEX_DIR": str(engine.settings.index_dir),
           "FORUMBOT_CORPUS_DIR": str(engine.settings.corpus_dir), "FORUMBOT_DATA_DIR": str(engine.settings.data_dir)}
    ask = subprocess.Popen([sys.executable, "-m", "bot.cli", "ask", "--json"], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True, env=env)
    watchdog = threading.Timer(120, ask.kill)  # an answer held back for more input would hang the test, not fail it
    watchdog.start()
    try:
        for question in ("Who is Li Bohu?", "yang xiuling job title"):
            ask.stdin.write(question + "\n")
            ask.stdin.flush()  # and stdin stays open: the answer must come without it
            assert json.loads(ask.stdout.readline())["question"] == question
    finally:
        watchdog.cancel()
        ask.stdin.close()
        ask.wait(timeout=60)
    assert ask.returncode == 0


def test_invalid_utf8_on_stdin_skips_that_line_and_answers_the_others(run_cli):
    result = run_cli("ask", "--json", input=b"Who is Li Bohu?\n\xff\xfe caf\xe9?\nyang xiuling job title\n")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["question"] for r in rows] == ["Who is Li Bohu?", "yang xiuling job title"]
    assert "stdin line 2 is not valid utf-8 text; skipped" in result.stderr


def test_a_json_line_of_the_wrong_shape_is_reported_not_answered(run_cli):
    lines = ['{"history": []}', '{"question": 5}', '{"question": "how old is he", "history": "who is li bohu"}',
             '{"question": "how old is he", "history": ["who is li bohu"]}', "{sic} who is li bohu"]
    result = run_cli("ask", "--json", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["question"] for r in rows] == ["how old is he", "{sic} who is li bohu"]
    assert rows[0]["answer"].startswith("The article doesn't give an age. The closest it comes is ¶2")  # "he": Li Bohu
    assert [n for n in (1, 2, 3) if f"stdin line {n}: a JSON line needs" in result.stderr] == [1, 2, 3]


def test_chat_asks_again_after_a_line_of_invalid_utf8(run_cli):
    result = run_cli("chat", input=b"\xff who?\nWho is Li Bohu?\n\n")
    assert result.exit_code == 0, result.output
    assert "not valid utf-8 text; please type it again" in result.stderr and "¶2" in result.stdout


@pytest.mark.parametrize("days", ["0", "-5"])
def test_stats_needs_at_least_one_day(forumbot, days):
    one_line_error(*forumbot("stats", "--days", days)[::2], "--days must be 1 or more")


def test_stats_plot_into_a_missing_folder_is_one_line(forumbot, tmp_path):
    one_line_error(*forumbot("stats", "--plot", str(tmp_path / "missing" / "p.png"))[::2], "No such file or directory")


def test_stats_on_a_damaged_log_is_one_line(forumbot, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "questions.sqlite3").write_bytes(b"not a database " * 100)
    one_line_error(*forumbot("stats")[::2], "file is not a database", "move it aside")


def test_stats_with_a_data_folder_that_cannot_be_created_is_one_line(forumbot, tmp_path, monkeypatch):
    (tmp_path / "blocker").write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setenv("FORUMBOT_DATA_DIR", str(tmp_path / "blocker" / "data"))
    one_line_error(*forumbot("stats")[::2], "cannot write to the data folder", "Not a directory", "FORUMBOT_DATA_DIR")


def test_stats_with_a_read_only_data_folder_is_one_line(forumbot, tmp_path, monkeypatch):
    with tmpfs(tmp_path / "ro", "1m") as disk:
        questionlog.QuestionLog(disk / "data" / "questions.sqlite3").close()
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        monkeypatch.setenv("FORUMBOT_DATA_DIR", str(disk / "data"))
        one_line_error(*forumbot("stats")[::2], "cannot write to the data folder", "read-only", "FORUMBOT_DATA_DIR")


def test_stats_on_a_locked_log_are_shown_and_pruning_waits_for_next_time(forumbot, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(questionlog, "BUSY_TIMEOUT", 0.05)
    log = questionlog.QuestionLog(tmp_path / "data" / "questions.sqlite3")
    log.record(Answer("Who is Li Bohu?", "text", False, (), 12.0, "v1", Kind.ANSWERED, 0.9), 1)
    log.close()
    with locked(tmp_path / "data" / "questions.sqlite3"):
        code, out, err = forumbot("stats")
    assert code == 0 and "1 questions" in out and err == ""  # the warning goes to logging: stderr outside pytest
    assert caplog.messages == ["question log: pruning failed (database is locked); it is tried again at the next prune"]


def test_run_with_a_damaged_log_is_one_line(forumbot, restore_logging, tmp_path, monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "questions.sqlite3").write_bytes(b"not a database " * 100)
    code, _, err = forumbot("run")
    one_line_after_discord_logs(code, err, "file is not a database")


@pytest.fixture
def restore_logging():
    """`forumbot run` sets up discord.py's logging on the root logger."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level


@pytest.fixture
def discord_unreachable(monkeypatch, restore_logging):
    """Discord's API at a local port where nothing listens: a real ClientConnectorError, no network used."""
    import discord

    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setattr(discord.http.Route, "BASE", "http://127.0.0.1:9/api/v10")


@pytest.mark.parametrize("command", ["run", "sync"])
def test_run_and_sync_without_a_route_to_discord_are_one_line(forumbot, discord_unreachable, command):
    code, _, err = forumbot(command)
    one_line_after_discord_logs(code, err, "cannot reach Discord", "127.0.0.1:9")


# -- errors that come first: checked before the model (or torch) is even imported -----------------------
MODEL_MODULES = ("torch", "sentence_transformers", "transformers", "onnxruntime")
REPORT_IMPORTS = f"""
import sys
from bot.cli import main
try:
    main()
finally:
    print(sorted(m for m in {MODEL_MODULES!r} if m in sys.modules))
"""


def forumbot_process(tmp_path, *args, **env):
    """`forumbot ARGS` in a fresh interpreter (this checkout's `bot`), reporting which model modules it imported."""
    from tests.conftest import ROOT

    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run([sys.executable, "-c", f"import sys; sys.argv = ['forumbot', *{list(args)!r}]\n{REPORT_IMPORTS}"],
                          cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args, env, words", [
    (["eval", "nope.jsonl"], {}, ["nope.jsonl: question file not found"]),
    (["index", "build", "--corpus", "notes.md"], {}, ["notes.md: is a file, not a folder"]),
    (["calibrate"], {"FORUMBOT_CALIBRATION_DIR": "nowhere"}, ["no labelled questions in nowhere/"]),
])
def test_wrong_arguments_fail_in_one_line_before_any_model_import(tmp_path, args, env, words):
    (tmp_path / "notes.md").write_text("a file, not a corpus folder", encoding="utf-8")
    result = forumbot_process(tmp_path, *args, **env)
    one_line_error(result.returncode, result.stderr, *words)
    assert result.stdout.strip() == "[]"  # not one of torch, sentence_transformers, transformers, onnxruntime


def test_a_corrupt_index_is_said_once(tmp_path, engine):
    shutil.copytree(engine.settings.index_dir, tmp_path / "index", symlinks=True)
    (tmp_path / "index" / "current" / "vectors.faiss").write_bytes(b"not an index")
    result = forumbot_process(tmp_path, "ask", "who is li bohu", FORUMBOT_INDEX_DIR=str(tmp_path / "index"),
                              FORUMBOT_DATA_DIR=str(tmp_path / "data"))
    one_line_error(result.returncode, result.stderr, "is corrupt", "forumbot index build")  # no log line repeating it


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_ask_without_a_question_in_a_terminal_says_how_to_use_it(forumbot, monkeypatch):
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(cli, "load_engine", lambda *a: pytest.fail("the model was loaded"))
    code, _, err = forumbot("ask")
    one_line_error(code, err, "no question given", 'forumbot ask "Who is Li Bohu?"', "forumbot ask < questions.txt")


# -- output -------------------------------------------------------------------------------------------------
def test_batch_text_output_repeats_each_question_above_its_answer(run_cli):
    result = run_cli("ask", input="Who is Li Bohu?\nWhat's the best pizza topping?\n")
    assert result.exit_code == 0, result.output
    heads = [line for line in result.stdout.splitlines() if line.startswith("Q: ")]
    assert heads == ["Q: Who is Li Bohu?", "Q: What's the best pizza topping?"]


def test_sources_are_compact_numbered_and_never_repeat_the_answer(run_cli, engine):
    answer = engine.ask("Who is Yang Xiuling?")
    result = run_cli("ask", "Who is Yang Xiuling?")
    assert result.exit_code == 0, result.output
    assert answer.citations[0].title not in result.stdout  # one document: its title is not repeated per source
    for c in answer.citations:
        assert f"[{c.n}] ¶{c.paragraph}" in result.stdout
        assert result.stdout.count(c.quote[:40]) == 1  # said once, by the answer or by its source line


def test_build_shows_no_bar_for_work_it_does_not_do_and_keeps_the_version(run_cli, settings_for, monkeypatch):
    settings = settings_for("cli-build")
    monkeypatch.setenv("FORUMBOT_CALIBRATION_DIR", str(settings.corpus_dir.parent / "no-questions"))
    cli.get_settings.cache_clear()
    first = run_cli("index", "build", "--corpus", str(settings.corpus_dir), "--out", str(settings.index_dir))
    again = run_cli("index", "build", "--corpus", str(settings.corpus_dir), "--out", str(settings.index_dir))
    assert first.exit_code == again.exit_code == 0, first.output + again.output
    embedded = first.stderr.split(" embedded")[0].rsplit("(", 1)[1]  # "... 40 passages (40 embedded, 0 reused)"
    assert "Embedding passages" in first.stderr and f"{embedded}/{embedded}" in first.stderr and int(embedded) > 0
    assert "Embedding passages" not in again.stderr and "0/0" not in again.stderr and "0/?" not in again.stderr
    assert "Calibrating" not in again.stderr  # no labelled questions: nothing to calibrate, no bar
    version = lambda output: output.split("Built index ")[1].split()[0]  # noqa: E731
    assert version(first.stderr) == version(again.stderr)


# -- the chat -----------------------------------------------------------------------------------------------
def test_chat_shows_a_paragraph_on_source_and_help_and_leaves_on_end_of_input(run_cli, engine):
    result = run_cli("chat", input="Who is Li Bohu?\n/SOURCE 3\n/source 99\n/Help\n")
    assert result.exit_code == 0, result.output
    document = engine.store.documents[engine.ask("Who is Li Bohu?").citations[0].doc]
    assert "¶3 of" in result.stdout and document.paragraphs[2] in result.stdout
    assert "Usage: /source N, with N from 1 to 8" in result.stderr
    assert result.stdout.count("/source N") == 2  # the help at the start, and again on /help
    assert result.stdout.endswith("you> \n")  # the shell's prompt gets a line of its own


def test_chat_questions_are_logged_only_when_asked_to(run_cli, monkeypatch, tmp_path):
    run_cli("chat", input="Who is Li Bohu?\n")
    assert not (tmp_path / "data" / "questions.sqlite3").exists()
    monkeypatch.setenv("FORUMBOT_LOG_CHAT", "true")
    cli.get_settings.cache_clear()
    result = run_cli("chat", input="Who is Li Bohu?\nhello\n")
    assert "Chat questions are logged" in result.stdout
    log = questionlog.QuestionLog(tmp_path / "data" / "questions.sqlite3")
    stats = log.stats(days=1)
    assert stats.questions == 2 and stats.small_talk == 1 and stats.top_questions[0]["question"] == "Who is Li Bohu?"


# -- stats --------------------------------------------------------------------------------------------------
def test_stats_with_an_empty_log_say_what_is_logged_and_how_to_get_data(forumbot):
    code, out, _ = forumbot("stats")
    assert code == 0 and "No questions logged in the last 7 days" in out
    assert "Discord" in out and "FORUMBOT_LOG_CHAT=true" in out and "p50" not in out


def test_stats_show_every_day_with_a_sparkline_and_merged_gaps(forumbot, tmp_path, embedder, monkeypatch, engine):
    log = questionlog.QuestionLog(tmp_path / "data" / "questions.sqlite3")
    now = time.time()
    for days_ago, question in [(0, "How many people attended?"), (0, "How many attendees were there?"), (2, "Who is Li Bohu?")]:
        log.record(engine.ask(question), 1, asked_at=now - days_ago * questionlog.DAY)
    log.record(engine.ask("help"), 1, asked_at=now)
    log.close()
    monkeypatch.setattr("bot.embedding.Embedder", lambda *a, **k: embedder)
    code, out, _ = forumbot("stats", "--plot", str(tmp_path / "stats.png"))
    assert code == 0, out
    assert "Per day ····▃·█" in out  # 7 days: 1 question two days ago, 3 today (help included), dots for none
    assert "3 questions, 67% abstained (1 small talk counted apart)" in out
    assert "How many people attended?" in out and "How many attendees were there?" in out  # one gap, both wordings
    assert (tmp_path / "stats.png").read_bytes()[:4] == b"\x89PNG"


def test_plot_without_matplotlib_is_one_line_naming_the_extra(tmp_path, monkeypatch):
    """matplotlib is an optional extra: without it, `stats --plot` says how to install it."""
    import builtins

    from bot.errors import ConfigError
    from bot.questionlog import QuestionLog, plot_stats

    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    stats = QuestionLog(tmp_path / "q.sqlite3", salt="s").stats(days=1)
    with pytest.raises(ConfigError, match=r"pip install '\.\[plot\]'"):
        plot_stats(stats, tmp_path / "plot.png")
