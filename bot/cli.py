"""The `forumbot` command line. Heavy modules (torch, faiss) are imported inside commands, so
`forumbot --help` and `forumbot index info` start fast."""
from __future__ import annotations

import io
import json
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from queue import Empty, Queue
from typing import Annotated, Optional, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from bot.answer import MAX_HISTORY
from bot.errors import ConfigError, ForumbotError, IndexStoreError
from bot.settings import Settings, get_settings
from bot.terminal import paragraph, render, sparkline

app = typer.Typer(help="Answers questions about the 2020 Zhongguancun Forum article, with citations.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
index_app = typer.Typer(help="Build and inspect the search index.", no_args_is_help=True)
app.add_typer(index_app, name="index")
out = Console(highlight=False, soft_wrap=True)  # never break quotes or one-line errors in a pipe
err = Console(stderr=True, highlight=False, soft_wrap=True)

STDIN_BATCH = 256  # questions from a pipe answered together at most: fills model batches, still streams long inputs
# How long a batch waits for the next line: a file's lines follow each other within microseconds, while a program
# that writes a question and waits for its answer must not wait for 255 more.
STDIN_WAIT_S = 0.005
T = TypeVar("T")


class _End:
    """Marks the end of the items a reader thread passes on, with the exception that ended them, if any."""

    def __init__(self, error: BaseException | None = None):
        self.error = error


def _batches_as_they_come(items: Iterable[T], size: int, wait_s: float) -> Iterator[list[T]]:
    """Batches of at most `size` items, read in a thread; a batch is handed on early when no further item
    comes within `wait_s`. At most `size` items are read ahead, so a long input is read as it is answered."""
    queue: Queue[T | _End] = Queue(maxsize=size)

    def read() -> None:
        try:
            for item in items:
                queue.put(item)
        except BaseException as exc:  # raised again in the caller's thread
            queue.put(_End(exc))
        else:
            queue.put(_End())

    threading.Thread(target=read, daemon=True).start()
    batch: list[T] = []
    while True:
        try:
            item = queue.get(timeout=wait_s) if batch else queue.get()
        except Empty:
            yield batch
            batch = []
            continue
        if isinstance(item, _End):
            if batch:
                yield batch
            if item.error is not None:
                raise item.error
            return
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []


def _settings(corpus: Path | None = None, index: Path | None = None) -> Settings:
    updates = {k: v for k, v in {"corpus_dir": corpus, "index_dir": index}.items() if v is not None}
    return get_settings().model_copy(update=updates)


def show(renderable) -> None:
    """Print to stdout, wrapped at word boundaries in a terminal and never in a pipe (a quote stays one line)."""
    out.print(renderable, soft_wrap=not out.is_terminal)


def show_answer(answer) -> None:
    """Styled and wrapped in a terminal; in a pipe the same text, plain, one line per line."""
    if out.is_terminal:
        out.print(render(answer), soft_wrap=False)
    else:
        out.print(answer.to_text(), markup=False, soft_wrap=True)


def _quiet_model_loader() -> None:
    """transformers draws its own "Loading weights 0/103" bar on every model load, which looks like a
    download; our spinner and bars say what is happening. Read once, when transformers is imported."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def _progress():
    """Bars on stderr with counts, elapsed time and ETA; a bar appears only once its step has work (`_bar`)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=err)


def _bar(progress, label: str) -> tuple[Callable[[int], None], Callable[..., None]]:
    """(on_total, on_progress) for one step: no bar at all for zero work, so never a "0/0" or "0/?"."""
    task = None

    def total(count: int) -> None:
        nonlocal task
        if count:
            task = progress.add_task(label, total=count)

    def advance(count: int = 1) -> None:
        if task is not None:
            progress.advance(task, count)

    return total, advance


def _check_corpus(settings: Settings) -> None:
    """Before the model loads, so a wrong --corpus costs no wait."""
    from bot.corpus import check_corpus_folder

    check_corpus_folder(settings.corpus_dir)


def _build(engine, full: bool = False):
    """Rebuild (embedding, then calibrating, each with its bar when it has work) and print the summary."""
    with _progress() as progress:
        embed_total, embedded = _bar(progress, "Embedding passages")
        calibrate_total, calibrated = _bar(progress, "Calibrating")
        report = engine.rebuild(full=full, on_total=embed_total, on_progress=embedded,
                                on_calibrate_total=calibrate_total, on_calibrate_progress=calibrated)
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
        _check_corpus(settings)
        err.print(f"No index at {settings.index_dir}/ yet: building it now.")
        with err.status("Loading model…"):
            engine.load_model()
        _build(engine)
    with err.status("Loading model…"):
        engine.reload()
    return engine


@index_app.command("build")
def index_build(corpus: Annotated[Optional[Path], typer.Option(help="Folder of .txt/.md documents.")] = None,
                out: Annotated[Optional[Path], typer.Option(help="Index folder to write.")] = None,
                full: Annotated[bool, typer.Option(help="Re-embed every document, not just changed ones.")] = False):
    """Chunk and embed the corpus, fit the abstention thresholds, then swap the new index in atomically."""
    from bot.engine import Engine

    settings = _settings(corpus, out)
    _check_corpus(settings)
    if settings.index_dir.exists() and not settings.index_dir.is_dir():
        raise ConfigError(f"{settings.index_dir}: is a file, not a folder; pass --out a folder for the index")
    engine = Engine(settings)
    with err.status("Loading model…"):
        engine.load_model()
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
                  if calibration else UNCALIBRATED)
    out.print(table)
    docs = Table("document", "title", "paragraphs", "passages", "content hash", title="Documents")
    for doc_id, doc in manifest["documents"].items():
        docs.add_row(doc_id, doc["title"], str(doc["paragraphs"]), str(doc["passages"]), doc["content_hash"][:12])
    out.print(docs)


def _parse_line(line: str) -> tuple[str, list[str]]:
    """A stdin line is a question, or a JSON object {"question": ..., "history": [earlier questions]}; an object
    of another shape is a mistake to report (ValueError), not a question to answer."""
    try:
        data = json.loads(line) if line.lstrip().startswith("{") else None
    except ValueError:
        data = None  # "{sic} who is li bohu": not JSON, a question as typed
    if data is None:
        return line, []
    question, history = data.get("question"), data.get("history", [])
    if not isinstance(question, str) or not isinstance(history, list) or not all(isinstance(h, str) for h in history):
        raise ValueError('a JSON line needs {"question": "...", "history": ["earlier question", ...]}')
    return question, history


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


def _stdin_turns() -> Iterator[tuple[str, list[str]]]:
    """One question (or JSON turn) per line of stdin; a line that is not valid text, or a JSON line of the wrong
    shape, is skipped with one line on stderr."""
    _tolerate_undecodable_stdin()
    for number, line in enumerate(sys.stdin, start=1):
        if not _decodable(line):
            err.print(f"stdin line {number} is not valid {sys.stdin.encoding} text; skipped")
        elif line.strip():
            try:
                yield _parse_line(line.rstrip("\n"))
            except ValueError as exc:
                err.print(f"stdin line {number}: {exc}; skipped", markup=False)


ASK_USAGE = ('no question given: pass one (forumbot ask "Who is Li Bohu?"), or pipe questions, one per line '
             "(forumbot ask < questions.txt)")


@app.command()
def ask(question: Annotated[Optional[str], typer.Argument(help="The question; omit to read one per line from stdin.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object per answer.")] = False):
    """Answer a question with numbered citations (or each line of stdin, loading the model once).

    A stdin line may be a JSON object {"question": "...", "history": ["earlier question", ...]}."""
    if question is None and sys.stdin.isatty():  # else it would wait, silently, for typed lines
        raise ConfigError(ASK_USAGE)
    engine = load_engine()
    if question is not None:
        batches: Iterable[list[tuple[str, list[str]]]] = [[(question, [])]]
    else:  # batches of the lines at hand share model calls; a line with none after it is answered at once
        batches = _batches_as_they_come(_stdin_turns(), STDIN_BATCH, STDIN_WAIT_S)
    for answer in (answer for batch in batches for answer in engine.ask_many(batch)):
        if as_json:
            print(answer.to_json(), flush=True)
            continue
        if question is None:  # in a batch, the question heads its answer, so each can be matched to its input
            show(Text(f"Q: {answer.question}", style="bold"))
        show_answer(answer)
        if question is None:
            out.print()


CHAT_HELP = """[bold]Ask anything about the article.[/bold] Follow-ups ("who is he?", "tell me more") use your earlier questions.
  [cyan]/source N[/cyan]   the whole paragraph ¶N (a number from the sources under an answer)
  [cyan]/help[/cyan]       this help
  [cyan]Ctrl-D[/cyan] or [cyan]Ctrl-C[/cyan] (or /quit) to leave; ↑ and ↓ recall earlier questions."""
CHAT_QUIT = ("/quit", "/exit")


def _chat_logging(settings: Settings) -> str:
    return ("Chat questions are logged (FORUMBOT_LOG_CHAT=true), for `forumbot stats`." if settings.log_chat
            else "Chat questions are not logged (set FORUMBOT_LOG_CHAT=true to include them in `forumbot stats`).")


def _show_source(engine, argument: str, last) -> None:
    """`/source N [document]`: paragraph N of the document the last answer cited (else the first one)."""
    number, _, doc_id = argument.partition(" ")
    documents = engine.store.documents
    cited = (last.citations or last.related) if last else ()
    doc = documents.get(doc_id.strip()) or (documents[cited[0].doc] if cited else next(iter(documents.values())))
    if not number.isdigit() or not 1 <= int(number) <= len(doc.paragraphs):
        err.print(f"Usage: /source N, with N from 1 to {len(doc.paragraphs)} (the paragraphs of {doc.title!r}).",
                  markup=False)
        return
    show(paragraph(doc.title, int(number), doc.paragraphs[int(number) - 1]))


@app.command()
def chat():
    """Ask questions interactively in the terminal, answered as the bot would, follow-ups included."""
    from bot.questionlog import open_log

    settings = get_settings()
    log = open_log(settings) if settings.log_chat else None  # a log that cannot be used fails before the model loads
    try:
        _chat(load_engine(settings), settings, log)
    finally:
        if log:
            log.close()


def _chat(engine, settings: Settings, log) -> None:
    if sys.stdin.isatty():
        import readline  # noqa: F401 - input() gains line editing and ↑/↓ history (this session's)
    show(Text(engine.ask("help").answer + "\n"))
    show(Text.from_markup(CHAT_HELP))
    show(Text(_chat_logging(settings) + "\n", style="dim"))
    history: list[str] = []
    last = None
    _tolerate_undecodable_stdin()
    try:
        while True:
            question = input("you> ").strip()
            command = question.lower()  # "/SOURCE 2" is the command, typed with caps lock on
            if not _decodable(question):
                err.print(f"That line is not valid {sys.stdin.encoding} text; please type it again.")
            elif command in CHAT_QUIT:
                return
            elif command == "/help":
                show(Text.from_markup(CHAT_HELP + "\n"))
            elif command.startswith("/source"):
                _show_source(engine, question[len("/source"):].strip(), last)  # a document id keeps its case
                out.print()
            elif question:
                last = engine.ask(question, history)
                show_answer(last)
                out.print()
                if log:
                    log.record(last, os.getuid())
                if last.kind.value in ("answered", "abstained"):
                    history = [*history, question][-MAX_HISTORY:]
    except (EOFError, KeyboardInterrupt):
        out.print()  # the shell's prompt starts on a line of its own


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


UNCALIBRATED = "none: uncalibrated, default thresholds (add labelled questions, then run `forumbot calibrate`)"
QUESTION_FILES = "JSONL files: answerable (gold), unanswerable, or conversations (turns)."


@app.command("eval")
def eval_command(questions: Annotated[list[Path], typer.Argument(help=QUESTION_FILES)],
                 out_of_scope: Annotated[Optional[list[Path]],
                                         typer.Option("--out-of-scope", help="JSONL of questions to abstain on.")] = None,
                 as_json: Annotated[bool, typer.Option("--json")] = False):
    """Measure hit@1/3, MRR, answer accuracy, abstention, follow-up turns, per cause, verbatim quotes, latency."""
    from bot.evaluation import evaluate, load_questions

    rows = [row for path in questions for row in load_questions(path)]  # checked before the model loads
    outside = [row for path in out_of_scope or [] for row in load_questions(path)]
    engine = load_engine()
    with _progress() as progress:
        total, asked = _bar(progress, "Asking")
        total(sum(len(r.get("turns", [r])) for r in rows) + len(outside))
        report, records = evaluate(engine, rows, outside, on_progress=asked)
    if as_json:
        print(json.dumps(report.to_dict()))
        return
    names = ", ".join(str(p) for p in [*questions, *(out_of_scope or [])])
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
    from bot.evaluation import calibration_files

    settings = get_settings()
    if not all(calibration_files(settings.calibration_dir)):  # checked before the model loads
        raise ForumbotError(f"no labelled questions in {settings.calibration_dir}/ "
                            "(in_scope.jsonl and off_topic.jsonl); the index stays uncalibrated")
    engine = load_engine(settings)
    with _progress() as progress:
        calibration = engine.calibrate(*_bar(progress, "Calibrating"))
    out.print(f"Calibrated index {engine.version}: " + ", ".join(f"{k}={v}" for k, v in calibration.items()), markup=False)


def _lazy_encoder(settings: Settings):
    """The sentence model's encode, loaded on the first call only: stats loads it just when there are gaps to group."""
    model = None

    def encode(texts):
        nonlocal model
        if model is None:
            from bot.embedding import Embedder

            with err.status("Loading the model to group similar gaps…"):
                model = Embedder(settings.model, settings.device)
        return model.encode(texts)

    return encode


def _empty_log_note(settings: Settings, days: int) -> str:
    chat = ("chat questions too (FORUMBOT_LOG_CHAT=true)" if settings.log_chat
            else "not chat questions unless FORUMBOT_LOG_CHAT=true")
    return (f"No questions logged in the last {days} days in {settings.data_dir / 'questions.sqlite3'}. "
            f"Questions asked on Discord are logged, {chat}. To get data, run the bot (`forumbot run`, "
            "or `make run` with DISCORD_TOKEN set), or set FORUMBOT_LOG_CHAT=true and ask in `forumbot chat`.")


@app.command()
def stats(days: Annotated[int, typer.Option(help="How many days back, today included (UTC days).")] = 7,
          as_json: Annotated[bool, typer.Option("--json")] = False,
          plot: Annotated[Optional[Path], typer.Option(help="Also draw questions per day and the gaps to this PNG.")] = None):
    """Questions per day, abstention rate, latency, top questions and gaps (similar ones merged) from the question log."""
    from bot.questionlog import open_log, plot_stats

    if days < 1:
        raise ConfigError(f"--days must be 1 or more (got {days})")
    if plot and not plot.parent.is_dir():
        raise ConfigError(f"cannot write the plot to {plot} (No such file or directory); "
                          "pass --plot a file in an existing folder")
    settings = get_settings()
    log = open_log(settings)
    try:
        log.prune(settings.log_retention_days)  # a failure is one logged line; the stats are still shown
        result = log.stats(days, encode=_lazy_encoder(settings))
    finally:
        log.close()
    if plot:
        try:
            plot_stats(result, plot)
        except OSError as exc:
            raise ConfigError(f"cannot write the plot to {plot} ({exc.strerror}); "
                              "pass --plot a file in an existing, writable folder") from None
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    if not result.questions:
        show(Text(_empty_log_note(settings, days)))
    else:
        _show_stats(result)
    if plot:
        show(Text(f"Plot written to {plot}"))


def _show_stats(result) -> None:
    per_day = result.per_day
    asked = result.questions - result.small_talk - result.other_language
    kinds = ((result.small_talk, "small talk"), (result.other_language, "in another language"))
    apart = [f"{n} {what}" for n, what in kinds if n]
    show(Text(f"Last {result.days} days (UTC): {asked} questions, {result.abstention_rate:.0%} abstained"
              + (f" ({' and '.join(apart)} counted apart)" if apart else "")
              + f". Latency p50 {result.latency_p50_ms:.0f} ms / p95 {result.latency_p95_ms:.0f} ms, "
              f"votes 👍 {result.feedback['up']} 👎 {result.feedback['down']}."))
    show(Text.assemble("Per day ", (sparkline([d["questions"] for d in per_day]), "bold cyan"),
                       f"  {per_day[0]['day']} → {per_day[-1]['day']}, most {max(d['questions'] for d in per_day)}"))
    table = Table("day", "questions", "abstained", "small talk", title="Per day (UTC)")
    for d in per_day:
        table.add_row(d["day"], *(str(d[k]) if d[k] else "·" for k in ("questions", "abstained", "small_talk")))
    show(table)
    top = Table("count", "question", title="Top questions")
    for row in result.top_questions:
        top.add_row(str(row["count"]), row["question"])
    show(top)
    gaps = Table("count", "question", "also asked as", title="Gaps: unanswered or voted down (similar questions merged)")
    for row in result.gaps:
        gaps.add_row(str(row["count"]), row["question"], "\n".join(row["variants"]))
    show(gaps if result.gaps else Text("Gaps: none, every question in this window was answered."))


def main() -> None:
    """Entry point: any operator error becomes one red line and a non-zero exit."""
    _quiet_model_loader()
    try:
        app()
    except ForumbotError as exc:
        # One line; in a terminal wrapped at word boundaries rather than cut mid-word at its edge.
        err.print(Text.assemble(("error:", "red"), f" {exc}"), soft_wrap=not err.is_terminal)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
