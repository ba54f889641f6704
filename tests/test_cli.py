"""The real ``casualtyrec`` command in a subprocess: formats, stdin/stdout, exit codes, errors."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import casualtyrec as cr
from casualtyrec.cli import PROGRESS_THRESHOLD, _Progress
from casualtyrec.io import read_claims, read_timeline, write_frame
from casualtyrec.testing import assert_timeline_equal
from tests._support import DATA


def _launchers() -> list[list[str]]:
    found = [[sys.executable, "-m", "casualtyrec"]]
    script = Path(sys.executable).with_name("casualtyrec")
    installed = str(script) if script.exists() else shutil.which("casualtyrec")
    if installed:
        found.append([installed])
    return found


LAUNCHERS = _launchers()
EXTENSIONS = {"csv": ".csv", "parquet": ".parquet", "jsonl": ".jsonl"}


@pytest.fixture(params=LAUNCHERS, ids=lambda launcher: "module" if len(launcher) > 1 else "script")
def run(request, tmp_path):
    def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(  # noqa: S603 - our own interpreter and console script
            [*request.param, *args],
            input=stdin,
            capture_output=True,
            cwd=tmp_path,
            timeout=300,
            check=False,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )

    return _run


def _claims_file(tmp_path: Path, fmt: str, frame: pd.DataFrame | None = None) -> Path:
    path = tmp_path / f"claims{EXTENSIONS[fmt]}"
    write_frame(cr.load_sample() if frame is None else frame, path)
    return path


def _one_error_line(stderr: bytes) -> str:
    text = stderr.decode()
    assert "Traceback" not in text
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert lines[0].startswith("casualtyrec: error: ")
    return lines[0]


@pytest.mark.parametrize(
    ("fmt_in", "fmt_out"),
    [
        ("csv", "csv"),
        ("parquet", "parquet"),
        ("jsonl", "jsonl"),
        ("csv", "parquet"),
        ("parquet", "jsonl"),
        ("jsonl", "csv"),
    ],
)
def test_reconcile_round_trips_every_format(run, tmp_path, fmt_in, fmt_out):
    source = _claims_file(tmp_path, fmt_in)
    out = tmp_path / f"timeline{EXTENSIONS[fmt_out]}"
    done = run("reconcile", source.name, "-o", out.name)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""
    assert done.stdout == b""
    expected = cr.reconcile(read_claims(source))
    assert_timeline_equal(read_timeline(out), expected)


def test_reconcile_from_stdin_to_stdout_as_csv(run, tmp_path):
    source = _claims_file(tmp_path, "csv")
    done = run("reconcile", "-", stdin=source.read_bytes())
    assert done.returncode == 0, done.stderr.decode()
    timeline = read_timeline(io.BytesIO(done.stdout), format="csv")
    assert_timeline_equal(timeline, cr.reconcile(read_claims(source)))


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_stdin_and_stdout_need_and_honour_format(run, tmp_path, fmt):
    source = _claims_file(tmp_path, fmt)
    done = run("reconcile", "-", "-o", "-", "--format", fmt, stdin=source.read_bytes())
    assert done.returncode == 0, done.stderr.decode()
    timeline = read_timeline(io.BytesIO(done.stdout), format=fmt)
    assert_timeline_equal(timeline, cr.reconcile(read_claims(source)))


def test_claims_out_accounts_for_every_row(run, tmp_path):
    source = _claims_file(tmp_path, "csv")
    done = run("reconcile", source.name, "-o", "t.parquet", "--claims-out", "claims.jsonl")
    assert done.returncode == 0, done.stderr.decode()
    claims = read_claims(tmp_path / "claims.jsonl")
    assert claims["claim_id"].tolist() == cr.load_sample()["claim_id"].tolist()
    assert set(claims["status"]) == {"accepted"}


def _with_bad_row() -> pd.DataFrame:
    claims = cr.load_sample()
    claims.loc[3, "figure"] = "casualties reported"
    return claims


def test_rejected_rows_exit_1_with_strict_and_still_write(run, tmp_path):
    source = _claims_file(tmp_path, "csv", _with_bad_row())
    done = run("reconcile", source.name, "-o", "t.csv", "--strict")
    assert done.returncode == 1
    message = done.stderr.decode().strip()
    assert message.startswith("casualtyrec: error: 1 of 36 claims rejected; first: ")
    assert "casualties reported" in message
    assert len(read_timeline(tmp_path / "t.csv")) > 0


def test_rejected_rows_without_strict_warn_and_exit_0(run, tmp_path):
    source = _claims_file(tmp_path, "csv", _with_bad_row())
    done = run("reconcile", source.name, "-o", "t.csv")
    assert done.returncode == 0
    assert done.stderr.decode().startswith("casualtyrec: warning: 1 of 36 claims rejected")


def test_missing_column_is_one_line_exit_2(run, tmp_path):
    source = _claims_file(tmp_path, "csv", cr.load_sample().drop(columns=["place"]))
    done = run("reconcile", source.name, "-o", "t.csv")
    assert done.returncode == 2
    line = _one_error_line(done.stderr)
    assert "SchemaError" in line
    assert "'place'" in line
    assert not (tmp_path / "t.csv").exists()


def test_debug_shows_the_traceback(run, tmp_path):
    source = _claims_file(tmp_path, "csv", cr.load_sample().drop(columns=["place"]))
    done = run("--debug", "reconcile", source.name)
    assert done.returncode == 2
    assert "Traceback (most recent call last)" in done.stderr.decode()
    done = run("reconcile", source.name, "--debug")  # after the subcommand too
    assert "Traceback (most recent call last)" in done.stderr.decode()


def test_naive_times_need_assume_tz(run, tmp_path):
    naive = cr.load_sample()
    naive["reported_at"] = naive["reported_at"].dt.tz_localize(None)
    source = _claims_file(tmp_path, "csv", naive)
    failed = run("reconcile", source.name)
    assert failed.returncode == 2
    assert "assume_tz" in _one_error_line(failed.stderr)
    done = run("reconcile", source.name, "--assume-tz", "UTC", "-o", "t.csv")
    assert done.returncode == 0, done.stderr.decode()
    expected = cr.reconcile(cr.load_sample())
    assert_timeline_equal(read_timeline(tmp_path / "t.csv"), expected)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["reconcile", "absent.csv"], "absent.csv: No such file or directory"),
        (["reconcile", "claims.txt"], "cannot tell the format of 'claims.txt'"),
    ],
)
def test_input_errors_are_one_line_exit_2(run, tmp_path, args, needle):
    (tmp_path / "claims.txt").write_text("source\nx\n")
    done = run(*args)
    assert done.returncode == 2
    assert needle in _one_error_line(done.stderr)


def test_usage_errors_exit_2(run):
    for args in (["bogus"], ["reconcile"], ["reconcile", "x.csv", "--format", "xlsx"], []):
        done = run(*args)
        assert done.returncode == 2, args
        assert b"usage: casualtyrec" in done.stderr
        assert b"Traceback" not in done.stderr


def test_help_lists_commands_and_exit_codes(run):
    done = run("--help")
    assert done.returncode == 0
    text = done.stdout.decode()
    for word in ("demo", "reconcile", "extract", "resolve", "exit codes: 0 ok; 1 rejected"):
        assert word in text


def test_demo_prints_the_sample_timeline(run):
    done = run("demo")
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stdout.decode().splitlines()
    assert lines[0].split()[:3] == ["incident", "place", "category"]
    assert len(lines) == 1 + len(cr.reconcile(cr.load_sample()).timeline)


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_resolve_writes_every_format(run, tmp_path, fmt):
    names = ["Kharkiv", "Blegorod", "Belgorod region", "Pervomaisk"]
    done = run("resolve", *names, "-o", f"places{EXTENSIONS[fmt]}")
    assert done.returncode == 0, done.stderr.decode()
    places = read_claims(tmp_path / f"places{EXTENSIONS[fmt]}")
    expected = cr.resolve_places(pd.Series(names))
    assert places["name"].tolist() == names
    assert places["place_id"].tolist() == expected["place_id"].tolist()
    assert places["status"].astype(str).tolist() == expected["status"].astype(str).tolist()


def test_resolve_country_hint_and_stdout(run):
    done = run("resolve", "Pervomaisk", "Mykolaiv", "--country", "UA")
    assert done.returncode == 0, done.stderr.decode()
    places = read_claims(io.BytesIO(done.stdout), format="csv")
    expected = cr.resolve_places(pd.Series(["Pervomaisk", "Mykolaiv"]), country="UA")
    assert places["place_id"].tolist() == expected["place_id"].tolist()


def test_extract_articles_to_claims(run, tmp_path):
    index = pd.read_csv(DATA / "articles" / "index.csv")
    row = index.iloc[0]
    article = DATA / "articles" / row["text_file"]
    done = run(
        "extract",
        str(article),
        "--reported-at",
        row["reported_at"],
        "--source",
        row["source"],
        "-o",
        "claims.parquet",
    )
    assert done.returncode == 0, done.stderr.decode()
    claims = read_claims(tmp_path / "claims.parquet")
    expected = cr.extract(
        article.read_text(encoding="utf-8"), source=row["source"], reported_at=row["reported_at"]
    )
    assert len(claims) == len(expected) > 0
    assert claims["figure"].tolist() == expected["figure"].tolist()
    assert set(claims["file"]) == {article.name}


def test_extract_several_files_keeps_claim_ids_unique(run, tmp_path):
    index = pd.read_csv(DATA / "articles" / "index.csv")
    files = [str(DATA / "articles" / name) for name in index["text_file"]]
    done = run("extract", *files, "--reported-at", "2023-12-31T12:30:00+02:00", "-o", "c.csv")
    assert done.returncode == 0, done.stderr.decode()
    claims = read_claims(tmp_path / "c.csv")
    assert set(claims["file"]) == {Path(f).name for f in files}
    assert claims["claim_id"].is_unique
    first = claims[claims["file"] == Path(files[0]).name]
    assert set(first["document"]) == {0}  # `document` is in DTYPES (Int64): read back as such


def test_extract_requires_reported_at(run, tmp_path):
    (tmp_path / "a.txt").write_text("Three people were killed in Kharkiv.")
    done = run("extract", "a.txt")
    assert done.returncode == 2
    assert b"--reported-at" in done.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_stages_on_a_terminal_for_large_inputs():
    stream = _Terminal()
    progress = _Progress(stream, stages=3)
    progress.enable_for(PROGRESS_THRESHOLD + 1)
    progress.stage("reconciling")
    progress.stage("writing")
    progress.done("done")
    text = stream.getvalue()
    assert "[1/3]" not in text  # stages are 'i/n' after the bar
    assert "1/3 reconciling" in text
    assert "2/3 writing" in text
    assert "3/3 done" in text
    assert text.endswith("\n")


@pytest.mark.parametrize(
    ("stream", "rows"),
    [(_Terminal(), PROGRESS_THRESHOLD), (io.StringIO(), PROGRESS_THRESHOLD * 2)],
)
def test_progress_is_silent_for_small_inputs_or_pipes(stream, rows):
    progress = _Progress(stream, stages=3)
    progress.enable_for(rows)
    progress.stage("reconciling")
    progress.done("done")
    assert stream.getvalue() == ""
