"""The front door: one handler says every failure in one line with a hint and a documented exit
code, never a traceback unless asked; a command that fails to import is an error."""

from __future__ import annotations

from pathlib import Path

import pytest

import flows.commands
from flows import cli
from flows.errors import EXIT_CODES, EXIT_INFRASTRUCTURE, EXIT_INTERNAL, EXIT_UNREADABLE
from flows.settings import get_settings
from tests.conftest import SEED
from tests.flows.clirun import free_port, fresh_env, run_xxgk, without_write_permission

DEAD_WAREHOUSE = "postgresql://nobody@127.0.0.1:1/x"
REGISTRY_HEADER = "agency_id,name,level,region_code\n"




def xxgk(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_help_lists_every_command_and_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for name in cli.COMMANDS:
        assert name in out
    for code, meaning in EXIT_CODES:
        assert f"{code:>3}  {meaning}" in out


@pytest.mark.parametrize(
    "body, why",
    [
        ("import xxgk_no_such_module\n", "(ModuleNotFoundError: No module named 'xxgk_no_such_module')"),
        ("raise RuntimeError('half installed')\n", "(RuntimeError: half installed)"),
    ],
)
def test_a_command_that_fails_to_import_is_an_error(
    body: str, why: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "broken.py").write_text(body, encoding="utf-8")
    monkeypatch.setattr(flows.commands, "__path__", [*flows.commands.__path__, str(tmp_path)])
    monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, "broken"))
    code, _, err = xxgk(["rules"], capsys)
    assert code == EXIT_INTERNAL
    assert err.splitlines()[0] == f"xxgk: command 'broken': could not be loaded {why}"
    assert "Traceback" not in err


def test_a_missing_command_module_is_an_error_too(monkeypatch, capsys) -> None:
    monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, "nonesuch"))
    code, _, err = xxgk(["rules"], capsys)
    assert code == EXIT_INTERNAL
    assert err.startswith("xxgk: command 'nonesuch': could not be loaded (ModuleNotFoundError")


@pytest.mark.parametrize("argv", [["ingest", str(SEED)], ["aggregate"], ["backfill", "--dry-run"], ["warehouse", "current"]])
def test_an_unreachable_warehouse(argv, configured, monkeypatch, capsys) -> None:
    monkeypatch.setenv("XXGK_WAREHOUSE_URL", DEAD_WAREHOUSE)
    get_settings.cache_clear()
    code, out, err = xxgk(argv, capsys)
    assert code == EXIT_INFRASTRUCTURE
    first, hint = err.splitlines()
    assert first.startswith(f"xxgk: warehouse {DEAD_WAREHOUSE}: connection failed: ")
    assert "Connection refused" in first
    assert hint.startswith("xxgk: hint: check XXGK_WAREHOUSE_URL, that the database server runs and lets this user in")
    assert out == ""


def test_debug_adds_the_traceback(configured, monkeypatch, capsys) -> None:
    monkeypatch.setenv("XXGK_WAREHOUSE_URL", DEAD_WAREHOUSE)
    get_settings.cache_clear()
    for argv, env in ((["--debug", "warehouse", "current"], None), (["warehouse", "current"], "1")):
        if env:
            monkeypatch.setenv("XXGK_DEBUG", env)
        code, _, err = xxgk(argv, capsys)
        assert code == EXIT_INFRASTRUCTURE
        assert err.startswith("Traceback (most recent call last):")
        assert "sqlalchemy.exc.OperationalError" in err
        assert f"xxgk: warehouse {DEAD_WAREHOUSE}: connection failed" in err


def test_a_path_that_does_not_exist(configured, capsys) -> None:
    missing = configured / "inbox"
    code, _, err = xxgk(["ingest", str(missing)], capsys)
    assert code == EXIT_UNREADABLE
    assert err.splitlines()[0] == f"xxgk: {missing}: no such file or folder"


def _registries(folder: Path) -> dict[str, tuple[Path, str]]:
    """Registry files that cannot be used, and the message each gets."""
    gbk = folder / "gbk.csv"
    gbk.write_bytes((REGISTRY_HEADER + "A01,淮安市人民政府,city,320800\n").encode("gbk"))
    columns = folder / "columns.csv"
    columns.write_text("id,name\n1,甲\n", encoding="utf-8")
    return {
        "missing": (folder / "missing.csv", "no such file or directory"),
        "a folder": (folder, "is a directory"),
        "not UTF-8": (gbk, "not UTF-8 text ('utf-8' codec can't decode byte 0xbb in position 37"),
        "no columns": (columns, "missing column(s) agency_id, level, region_code"),
    }


@pytest.mark.parametrize("case", ["missing", "a folder", "not UTF-8", "no columns"])
def test_an_unreadable_registry(case: str, configured, capsys) -> None:
    path, why = _registries(configured)[case]
    code, _, err = xxgk(["ingest", str(SEED), "--registry", str(path)], capsys)
    assert code == EXIT_UNREADABLE
    assert err.splitlines()[0].startswith(f"xxgk: registry {path}: {why}")
    assert err.splitlines()[1].startswith("xxgk: hint: ")
    if case != "no columns":  # `registry load` lists a refused file's problems, one per line
        xxgk(["warehouse", "upgrade"], capsys)
        code, _, err = xxgk(["registry", "load", str(path)], capsys)
        assert code == EXIT_UNREADABLE
        assert err.splitlines()[0].startswith(f"xxgk: registry {path}: {why}")


def test_ingest_refuses_a_registry_with_a_bad_email_before_it_starts(configured, capsys) -> None:
    """A newline in an e-mail field raised inside the outbox mid-run; now the ingest is refused."""
    path = configured / "bad-email.csv"
    path.write_text(
        "agency_id,name,level,region_code,email\n"
        'A01,Office A,city,320800,"gk@a.example\nBcc: x@evil.example"\n',
        encoding="utf-8",
    )
    code, out, err = xxgk(["ingest", str(SEED), "--registry", str(path)], capsys)
    assert code == EXIT_UNREADABLE and out == ""
    assert err.splitlines()[0] == (
        f"xxgk: registry {path}: line 2: email 'gk@a.example\\nBcc: x@evil.example' holds a line break, "
        "a space or another control character"
    )
    assert len(err.splitlines()) == 2 and "Traceback" not in err


def test_permission_denied_on_xxgk_home(tmp_path: Path) -> None:
    prefix = without_write_permission()
    if prefix is None:
        pytest.skip("running as root without setpriv: folder permissions cannot be made to hold")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    env = fresh_env(tmp_path, XXGK_HOME=str(locked / "xxgk-data"))
    done = run_xxgk(["ingest", str(SEED)], env, tmp_path, timeout=120, prefix=prefix)
    assert done.returncode == EXIT_INFRASTRUCTURE, done.stderr
    assert done.stderr.splitlines()[0] == f"xxgk: XXGK_HOME {locked / 'xxgk-data'}: permission denied"
    assert "Traceback" not in done.stderr


@pytest.mark.slow  # starts Prefect in a subprocess
def test_prefect_that_does_not_start_in_time(tmp_path: Path) -> None:
    """A brand-new PREFECT_HOME and too little time for the first start: said, with what to do."""
    env = fresh_env(tmp_path, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="1")
    done = run_xxgk(["aggregate", "--year", "2023"], env, tmp_path, timeout=300)
    assert done.returncode == EXIT_INFRASTRUCTURE, done.stderr
    first, hint = done.stderr.splitlines()[:2]
    assert first == "xxgk: Prefect's temporary API: did not answer within 1 s"
    assert "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS" in hint and env["PREFECT_HOME"] in hint
    assert "Traceback" not in done.stderr


@pytest.mark.slow  # starts Prefect in a subprocess
def test_a_prefect_server_that_does_not_answer(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/api"
    done = run_xxgk(["aggregate", "--year", "2023"], fresh_env(tmp_path, PREFECT_API_URL=url), tmp_path, timeout=300)
    assert done.returncode == EXIT_INFRASTRUCTURE, done.stderr
    assert done.stderr.splitlines()[0] == f"xxgk: Prefect server {url}: does not answer ([Errno 111] Connection refused)"
    assert "Traceback" not in done.stderr


@pytest.mark.slow  # starts Prefect in a subprocess
def test_permission_denied_on_prefect_home(tmp_path: Path) -> None:
    """A home Prefect cannot create its folder in: said at once, not after the startup timeout
    (the temporary server would exit and be restarted until then)."""
    prefix = without_write_permission()
    if prefix is None:
        pytest.skip("running as root without setpriv: folder permissions cannot be made to hold")
    env = fresh_env(tmp_path)
    del env["PREFECT_HOME"]  # Prefect's default: ~/.prefect
    locked = Path(env["HOME"])
    locked.chmod(0o500)
    done = run_xxgk(["aggregate", "--year", "2023"], env, tmp_path, timeout=120, prefix=prefix)
    assert done.returncode == EXIT_INFRASTRUCTURE, done.stderr
    assert done.stderr.splitlines()[0] == f"xxgk: PREFECT_HOME {locked / '.prefect'}: permission denied"
    assert "Traceback" not in done.stderr and "Warning" not in done.stderr
