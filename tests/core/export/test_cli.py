"""`labelscope export`: files written and listed; bad format, language and target give one line and exit 2."""

from __future__ import annotations

import json
import os

import pandas as pd

from core.cli import main
from core.export import BROWSER_ENV


def test_export_csv_writes_every_applicable_chart(tiny_suite, tmp_path, capsys):
    out = tmp_path / "out"
    rc = main(
        [
            "export",
            tiny_suite["suite_id"],
            "--format",
            "csv",
            "--out",
            str(out),
            "--runs-dir",
            tiny_suite["runs_dir"],
            "--charts",
            "bars,curves",
        ]
    )
    assert rc == 0
    printed = capsys.readouterr().out.split()
    assert sorted(os.path.basename(p) for p in printed) == sorted(os.listdir(out))
    assert len(printed) == 2
    for p in printed:
        assert len(pd.read_csv(p, encoding="utf-8-sig")) > 0


def test_export_of_a_run_in_japanese(tiny_suite, tmp_path):
    rid = tiny_suite["run_ids"][0]
    rc = main(
        [
            "export",
            rid,
            "--format",
            "html",
            "--out",
            str(tmp_path),
            "--runs-dir",
            tiny_suite["runs_dir"],
            "--lang",
            "ja",
            "--charts",
            "curves",
        ]
    )
    assert rc == 0
    html = (tmp_path / f"{rid}_ja_curves.html").read_text(encoding="utf-8")  # the language is in the name
    title = "テスト精度"
    assert title in html or json.dumps(title)[1:-1] in html  # plotly may write it as \\u escapes


def test_bad_arguments_exit_2_with_one_line(tiny_suite, tmp_path, capsys, monkeypatch):
    base = ["--out", str(tmp_path), "--runs-dir", tiny_suite["runs_dir"]]
    cases = [
        ([tiny_suite["suite_id"], "--format", "gif"], "valid choices: png, svg, pdf"),
        ([tiny_suite["suite_id"], "--format", "csv", "--lang", "fr"], "valid choices: en, ja"),
        (["no-such-id", "--format", "csv"], "neither a comparison nor a run"),
        ([tiny_suite["suite_id"], "--format", "csv", "--charts", "nope"], "valid choices"),
    ]
    for args, message in cases:
        assert main(["export", *args, *base]) == 2
        err = capsys.readouterr().err.strip()
        assert message in err and len(err.splitlines()) == 1
    monkeypatch.setenv(BROWSER_ENV, "/nonexistent/chromium")
    assert main(["export", tiny_suite["suite_id"], "--format", "png", *base]) == 2
    assert "apt-get install chromium" in capsys.readouterr().err
    assert not os.listdir(tmp_path)
