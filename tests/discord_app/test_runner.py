"""`forumbot run` as an operator would start it: one clear line and a non-zero exit, never the token."""
import os
import subprocess
import sys

import pytest

from bot.discord_app.runner import checked_token
from bot.errors import ConfigError
from bot.settings import Settings
from tests.conftest import ROOT


def forumbot(*args, tmp_path, **env):
    """From an empty folder (no .env), importing this checkout's `bot`, not whichever one is installed."""
    clean = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN" and not k.startswith("FORUMBOT_")}
    clean["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=tmp_path, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_run_without_a_token_fails_with_one_line(tmp_path):
    result = forumbot("run", tmp_path=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DISCORD_TOKEN is not set" in lines[0] and ".env" in lines[0]


@pytest.mark.parametrize("token", ["hunter2-secret-value", "abc.def", "abc.def.ghi", "MTIz.bad token.with spaces"])
def test_a_token_of_the_wrong_shape_fails_and_is_never_echoed(tmp_path, token):
    result = forumbot("run", tmp_path=tmp_path, DISCORD_TOKEN=token)
    assert result.returncode == 1
    assert "does not look like a bot token" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "only Discord can tell whether one is valid" in result.stderr
    assert token not in result.stdout + result.stderr


def test_token_from_env_file_and_never_in_settings_repr(tmp_path, monkeypatch):
    secret = "MTA5ODc2NTQzMjEwOTg3NjU0.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN={secret}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    settings = Settings()
    assert checked_token(settings) == secret
    assert secret not in repr(settings) and secret not in str(settings.model_dump())


def test_blank_token_counts_as_missing():
    with pytest.raises(ConfigError, match="not set"):
        checked_token(Settings(discord_token=""))
