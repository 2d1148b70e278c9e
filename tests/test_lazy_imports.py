"""The light commands start fast because they never import the model stack."""
import pytest

from benchmarks.startup import light_command


@pytest.mark.parametrize("args", [["--help"], ["index", "info"]])
def test_light_commands_do_not_import_torch(args):
    _, imported = light_command(args)
    assert imported == {"torch": False, "sentence_transformers": False, "faiss": False, "discord": False}
