"""The light commands start fast because they never import the model stack (benchmarks/startup.py times them)."""
import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = ("torch", "sentence_transformers", "faiss", "discord")
RUN = """
import json, runpy, sys
sys.argv = ["forumbot", *{args!r}]
try:
    runpy.run_module("bot.cli", run_name="__main__")
except SystemExit:
    pass
print("\\nHEAVY " + json.dumps({{m: m in sys.modules for m in {heavy!r}}}))
"""


@pytest.mark.parametrize("args", [["--help"], ["index", "info"]])
def test_light_commands_do_not_import_torch(args):
    done = subprocess.run([sys.executable, "-c", RUN.format(args=args, heavy=HEAVY)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    imported = json.loads(done.stdout.split("HEAVY ", 1)[1])
    assert imported == dict.fromkeys(HEAVY, False)
