# `make run` and `make test` are all a new user needs; everything else is a step they call.
VENV   := .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
INDEX  := index/current/manifest.json
EVAL   := ../shared/eval
LOCK   := requirements.lock
TORCH  := 2.13.0

.PHONY: install lock lint run index test eval bench clean

install: $(STAMP)

# CPU PyTorch first (a local wheel on these machines): otherwise pip pulls several GB of CUDA packages.
# Then every other dependency at the exact version in the lock file, then the package itself (no resolving).
# Quiet (-qq: errors only) under the one line that says what is happening.
$(STAMP): pyproject.toml $(LOCK)
	@echo "installing forumbot and its dependencies into $(VENV) (1–2 min)…"
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install -qq --upgrade pip
	@$(PY) -m pip install -qq torch==$(TORCH)
	@$(PY) -m pip install -qq -r $(LOCK)
	@$(PY) -m pip install -qq --no-deps -e .
	@touch $(STAMP)

# Re-resolve the lock file from pyproject.toml (test, lint and plot extras included). torch stays out:
# it is installed above, from the CPU wheel, and the lock must never name a CUDA build or nvidia-* package.
lock: $(STAMP)
	$(PY) -m pip install -q pip-tools
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile -q --strip-extras --extra test --extra lint --extra plot --unsafe-package torch \
		--no-emit-index-url --no-emit-find-links -o $(LOCK) pyproject.toml
	! grep -Eq '^(torch|nvidia-|triton)' $(LOCK)

# The gates CI runs before the tests: lint (pyflakes, pycodestyle, bugbear, complexity) and types.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# A build also fits the abstention thresholds on benchmarks/questions (never on holdout/).
index $(INDEX): | $(STAMP)
	$(BIN)/forumbot index build

# The bot when DISCORD_TOKEN is set (environment or .env), else the local chat. `exec`: the shell must not
# outlive its child, or Ctrl-C, which the chat handles, would still end in make's "*** Interrupt".
run: $(STAMP) $(INDEX)
	@if [ -n "$$DISCORD_TOKEN" ] || grep -qs '^DISCORD_TOKEN=..*' .env; then \
		exec $(BIN)/forumbot run; else \
		echo "DISCORD_TOKEN is not set: starting the local chat instead (see README)."; exec $(BIN)/forumbot chat; fi

test: $(STAMP)
	$(BIN)/pytest -q

# Every public set, then our own held-out sets (never tuned on), each with its per-cause counts.
HELD_OUT := holdout fresh fresh2 fresh3 fresh4 fresh5 fresh6 fresh7 fresh8 fresh9
eval: $(STAMP) $(INDEX)
	$(BIN)/forumbot eval $(EVAL)/dev.jsonl --out-of-scope $(EVAL)/dev_out_of_scope.jsonl
	$(BIN)/forumbot eval $(EVAL)/dev_casual.jsonl $(EVAL)/dev_near_topic.jsonl
	$(BIN)/forumbot eval $(EVAL)/dev_conversations.jsonl
	$(BIN)/forumbot eval $(EVAL)/dev_multilingual.jsonl
	$(BIN)/forumbot eval benchmarks/questions/holdout/multilingual.jsonl
	for held in $(HELD_OUT); do \
		$(BIN)/forumbot eval benchmarks/questions/$$held/casual.jsonl benchmarks/questions/$$held/near_topic.jsonl && \
		$(BIN)/forumbot eval benchmarks/questions/$$held/conversations.jsonl || exit 1; \
	done

clean:
	rm -rf index/current index/versions index/.build-* index/.build.lock .pytest_cache

# Speed and memory as ratios against the bare model; writes benchmarks/RESULTS.md (the 1M-vector HNSW run takes minutes).
bench: $(STAMP) $(INDEX)
	$(PY) -m benchmarks.run
