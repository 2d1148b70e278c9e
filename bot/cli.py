"""The `forumbot` command line. Heavy modules (torch, faiss) are imported inside commands, so
`forumbot --help` and `forumbot index info` start fast."""
from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from bot.errors import ConfigError, ForumbotError, IndexStoreError
from bot.settings import Settings, get_settings

app = typer.Typer(help="Answers questions about the 2020 Zhongguancun Forum article, with citations.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
index_app = typer.Typer(help="Build and inspect the search index.", no_args_is_help=True)
app.add_typer(index_app, name="index")
out = Console(highlight=False, soft_wrap=True)  # never break quotes or one-line errors
err = Console(stderr=True, highlight=False, soft_wrap=True)

STDIN_BATCH = 256  # questions read from a pipe before answering: fills model batches, still streams long inputs


def _chunks(items, size: int):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _settings(corpus: Path | None = None, index: Path | None = None) -> Settings:
    updates = {k: v for k, v in {"corpus_dir": corpus, "index_dir": index}.items() if v is not None}
    return get_settings().model_copy(update=updates)


def _build(engine, full: bool = False):
    """Rebuild with a progress bar (with ETA) and print the summary."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    with Progress(TextColumn("[bold]Embedding passages"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=err, transient=False) as bar:
        task = bar.add_task("embed", total=None)
        report = engine.rebuild(full=full, on_total=lambda n: bar.update(task, total=n),
                                on_progress=lambda n: bar.advance(task, n))
    err.print(f"Built index {report.index_version} ({report.index_type}): {report.documents} documents, "
              f"{report.paragraphs} paragraphs, {report.passages} passages ({report.embedded} embedded, "
              f"{report.passages - report.embedded} reused) in {report.seconds:.1f} s")
    return report


def load_engine(settings: Settings | None = None):
    """The engine, building the index first (with progress) if there is none yet."""
    from bot.engine import Engine
    from bot.store import read_manifest

    settings = settings or get_settings()
    engine = Engine(settings)
    try:
        read_manifest(settings.index_dir)
    except IndexStoreError as exc:
        if "no index" not in str(exc):
            raise
        err.print(f"No index at {settings.index_dir}/ yet: building it now.")
        _build(engine)
    with err.status("Loading model…"):
        engine.reload()
    return engine


@index_app.command("build")
def index_build(corpus: Annotated[Optional[Path], typer.Option(help="Folder of .txt/.md documents.")] = None,
                out: Annotated[Optional[Path], typer.Option(help="Index folder to write.")] = None,
                full: Annotated[bool, typer.Option(help="Re-embed every document, not just changed ones.")] = False):
    """Chunk and embed the corpus, then swap the new index in atomically."""
    from bot.engine import Engine

    with err.status("Loading model…"):
        engine = Engine(_settings(corpus, out))
    _build(engine, full)


@index_app.command("info")
def index_info(index: Annotated[Optional[Path], typer.Option(help="Index folder.")] = None,
               as_json: Annotated[bool, typer.Option("--json")] = False):
    """Show the manifest of the current index."""
    from bot.store import read_manifest

    manifest = read_manifest(_settings(index=index).index_dir)
    if as_json:
        out.print_json(data=manifest)
        return
    table = Table(title=f"Index {manifest['index_version']}", show_header=False)
    for key in ("index_version", "format_version", "model", "dimension", "index_type", "built_at"):
        table.add_row(key, str(manifest[key]))
    table.add_row("chunker", ", ".join(f"{k}={v}" for k, v in manifest["chunker"].items()))
    table.add_row("counts", ", ".join(f"{k}={v}" for k, v in manifest["counts"].items()))
    calibration = manifest.get("calibration")
    table.add_row("calibration", ", ".join(f"{k}={v}" for k, v in calibration.items() if k != "fitted_on")
                  if calibration else "none: uncalibrated, default thresholds (add labelled questions, then run `forumbot calibrate`)")
    out.print(table)
    docs = Table("document", "title", "paragraphs", "passages", "content hash", title="Documents")
    for doc_id, doc in manifest["documents"].items():
        docs.add_row(doc_id, doc["title"], str(doc["paragraphs"]), str(doc["passages"]), doc["content_hash"][:12])
    out.print(docs)


def _parse_line(line: str) -> tuple[str, list[str]]:
    """A stdin line is a question, or a JSON object {"question": ..., "history": [earlier questions]}."""
    if line.lstrip().startswith("{"):
        try:
            data = json.loads(line)
            return str(data["question"]), [str(h) for h in data.get("history", [])]
        except (ValueError, KeyError, TypeError):
            pass  # not a conversation turn after all: answer the line as typed
    return line, []


def _tolerate_undecodable_stdin() -> None:
    """Under a strict locale (PYTHONIOENCODING=utf-8) one stray byte would abort the whole batch: keep such
    bytes as lone surrogates instead, so only the line holding them is skipped."""
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="surrogateescape")


def _decodable(line: str) -> bool:
    try:
        line.encode(sys.stdin.encoding or "utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _stdin_lines() -> Iterator[str]:
    """One question per line of stdin; a line that is not valid text is skipped with one line on stderr."""
    _tolerate_undecodable_stdin()
    for number, line in enumerate(sys.stdin, start=1):
        if _decodable(line):
            yield line.rstrip("\n")
        else:
            err.print(f"stdin line {number} is not valid {sys.stdin.encoding} text; skipped")


@app.command()
def ask(question: Annotated[Optional[str], typer.Argument(help="The question; omit to read one per line from stdin.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object per answer.")] = False):
    """Answer a question with numbered citations (or each line of stdin, loading the model once).

    A stdin line may be a JSON object {"question": "...", "history": ["earlier question", ...]}."""
    engine = load_engine()
    if question is not None:
        batches = [[(question, [])]]
    else:  # a pipe is answered in batches, whose questions share model calls; a terminal line by line
        turns = (_parse_line(line) for line in _stdin_lines() if line.strip())
        batches = _chunks(turns, 1 if sys.stdin.isatty() else STDIN_BATCH)
    for answer in (answer for batch in batches for answer in engine.ask_many(batch)):
        if as_json:
            print(answer.to_json(), flush=True)
        else:
            out.print(answer.to_text(), markup=False)
            if question is None:
                out.print()


CHAT_HISTORY = 3  # earlier questions the chat passes on, as the bot does in a thread


@app.command()
def chat():
    """Ask questions interactively in the terminal, answered as the bot would, follow-ups included."""
    engine = load_engine()
    out.print(engine.ask("help").answer, markup=False)
    out.print("Type a question (follow-ups like \"tell me more\" use the earlier ones), or an empty line to quit.\n", style="dim")
    history: list[str] = []
    _tolerate_undecodable_stdin()
    while True:
        try:
            question = input("you> ")
        except (EOFError, KeyboardInterrupt):
            break
        if not _decodable(question):
            err.print(f"That line is not valid {sys.stdin.encoding} text; please type it again.")
            continue
        if not question.strip():
            break
        answer = engine.ask(question, history)
        out.print(answer.to_text() + "\n", markup=False)
        if answer.kind.value in ("answered", "abstained"):
            history = [*history, question][-CHAT_HISTORY:]


@app.command()
def run():
    """Start the Discord bot (needs DISCORD_TOKEN)."""
    from bot.discord_app.runner import run_bot

    run_bot(get_settings(), load_engine)


@app.command()
def sync(guild: Annotated[Optional[int], typer.Option(help="Sync to one server (instant) instead of globally.")] = None):
    """Register the slash commands with Discord (explicit, never on every start)."""
    from bot.discord_app.runner import sync_commands

    count = sync_commands(get_settings(), guild, load_engine)
    out.print(f"Synced {count} slash commands {'to server ' + str(guild) if guild else 'globally (may take up to an hour)'}.")


@app.command("eval")
def eval_command(questions: Annotated[list[Path], typer.Argument(help="JSONL files: answerable (gold), unanswerable, or conversations (turns).")],
                 out_of_scope: Annotated[list[Path], typer.Option("--out-of-scope", help="JSONL of questions to abstain on.")] = [],
                 as_json: Annotated[bool, typer.Option("--json")] = False):
    """Measure hit@1/3, MRR, answer accuracy, abstention, follow-up turns, per cause, verbatim quotes, latency."""
    from rich.progress import Progress

    from bot.evaluation import evaluate, load_questions

    rows = [row for path in questions for row in load_questions(path)]  # checked before the model loads
    outside = [row for path in out_of_scope for row in load_questions(path)]
    engine = load_engine()
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("Asking", total=sum(len(r.get("turns", [r])) for r in rows) + len(outside))
        report, records = evaluate(engine, rows, outside, on_progress=lambda: bar.advance(task))
    if as_json:
        print(json.dumps(report.to_dict()))
        return
    names = ", ".join(str(p) for p in [*questions, *out_of_scope])
    table = Table("metric", "value", title=f"{names} ({report.questions} answerable, {report.out_of_scope} unanswerable)")
    for key, value in report.to_dict().items():
        if key != "causes":
            table.add_row(key, "n/a" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value))
    table.add_row("per cause", ", ".join(f"{k}: {v}" for k, v in sorted(report.causes.items())))
    out.print(table)
    for r in records:
        if r["cause"] != "correct":
            out.print(f"  {r['cause']} {r['id']}: {r['question']} -> {r['paragraphs'] or 'abstained'}", markup=False, style="dim")


@app.command()
def calibrate():
    """Refit the abstention thresholds on the labelled questions in FORUMBOT_CALIBRATION_DIR (index build does this too)."""
    from rich.progress import Progress

    engine = load_engine()
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("Calibrating", total=None)
        calibration = engine.calibrate(on_total=lambda n: bar.update(task, total=n), on_progress=lambda: bar.advance(task))
    if calibration is None:
        raise ForumbotError(f"no labelled questions in {engine.settings.calibration_dir}/ "
                            "(in_scope.jsonl and off_topic.jsonl); the index stays uncalibrated")
    out.print(f"Calibrated index {engine.version}: " + ", ".join(f"{k}={v}" for k, v in calibration.items()), markup=False)


@app.command()
def stats(days: Annotated[int, typer.Option(help="How many days back.")] = 7,
          as_json: Annotated[bool, typer.Option("--json")] = False,
          plot: Annotated[Optional[Path], typer.Option(help="Also draw questions per day and abstention rate to this PNG.")] = None):
    """Questions per day, abstention rate, latency, top questions and gaps from the question log."""
    from bot.questionlog import open_log, plot_stats

    if days < 1:
        raise ConfigError(f"--days must be 1 or more (got {days})")
    settings = get_settings()
    log = open_log(settings)
    try:
        log.prune(settings.log_retention_days)  # a failure is one logged line; the stats are still shown
        result = log.stats(days)
    finally:
        log.close()
    if plot:
        try:
            plot_stats(result, plot)
        except OSError as exc:
            raise ConfigError(f"cannot write the plot to {plot} ({exc.strerror}); pass --plot a file in an existing, writable folder") from None
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    out.print(f"Last {days} days: {result.questions} questions, {result.abstention_rate:.0%} abstained, "
              f"latency p50 {result.latency_p50_ms:.0f} ms / p95 {result.latency_p95_ms:.0f} ms, "
              f"feedback 👍 {result.feedback['up']} 👎 {result.feedback['down']}")
    for title, rows, columns in (("Per day", result.per_day, ("day", "questions", "abstained")),
                                 ("Top questions", result.top_questions, ("count", "question")),
                                 ("Gaps: unanswered or voted down", result.gaps, ("count", "question"))):
        table = Table(*columns, title=title)
        for row in rows:
            table.add_row(*(str(row[c]) for c in columns))
        out.print(table)
    if plot:
        out.print(f"Plot written to {plot}")


def main() -> None:
    """Entry point: any operator error becomes one red line and a non-zero exit."""
    try:
        app()
    except ForumbotError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
