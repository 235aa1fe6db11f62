"""CLI contract: bad arguments exit 2 with one line naming the value and the choices; train/compare outputs."""

import json

import pytest

from core.cli import main


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["train", "--method", "nope"], "nope"),
        (["train", "--noise-rate", "1.5"], "1.5"),
        (["train", "--noise-rate", "-0.1"], "-0.1"),
        (["train", "--epochs", "0"], "0"),
        (["train", "--dataset", "nosuchset"], "nosuchset"),
        (["train", "--noise", "weird"], "weird"),
        (["train", "--model", "transformer"], "transformer"),
        (["train", "--set", "bogus=1"], "bogus"),
        (["compare", "--methods", "ce,nope"], "nope"),
        (["compare", "--noise-rate", "0.2,x"], "'x'"),
        (["compare", "--noise-rate", "0.2,1.0"], "[0, 1)"),
        (["compare", "--noise", "symmetric,weird"], "weird"),
        (["compare", "--backend", "spark"], "spark"),
        (["compare", "--backend", "ray", "--cpus-per-run", "-1"], "-1"),
        (["list", "things"], "things"),
        (["frobnicate"], "frobnicate"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(argv, needle, capsys, tmp_path):
    rc = main(argv + (["--runs-dir", str(tmp_path)] if argv[0] in ("train", "compare") else []))
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert len(err.splitlines()) == 1 and needle in err and "Traceback" not in err
    assert not list(tmp_path.iterdir()), "a bad argument must not create a run"


def test_unknown_method_lists_the_valid_choices(capsys):
    main(["train", "--method", "nope"])
    err = capsys.readouterr().err
    assert "valid choices" in err and "ce" in err and "label_smoothing" in err


def test_train_prints_summary_json_last(capsys, tmp_path):
    rc = main(
        [
            "train",
            "--dataset",
            "wine",
            "--noise",
            "pairflip",
            "--noise-rate",
            "0.2",
            "--method",
            "ce",
            "--model",
            "mlp",
            "--epochs",
            "2",
            "--seed",
            "0",
            "--runs-dir",
            str(tmp_path),
            "--set",
            "probes=[]",
        ]
    )
    out = capsys.readouterr().out.strip().splitlines()
    assert rc == 0
    summary = json.loads(out[-1])
    assert summary["state"] == "completed" and (tmp_path / out[-2]).is_dir()


def test_compare_prints_a_table_with_mean_and_std(capsys, tmp_path):
    rc = main(
        [
            "compare",
            "--dataset",
            "wine",
            "--noise",
            "symmetric",
            "--noise-rate",
            "0.3",
            "--methods",
            "ce,label_smoothing",
            "--seeds",
            "0,1",
            "--epochs",
            "2",
            "--runs-dir",
            str(tmp_path),
            "--no-rlp",
            "--set",
            "probes=[]",
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    assert "label_smoothing" in out and "±" in out and "2/2" in out


def test_compare_json(capsys, tmp_path):
    rc = main(
        [
            "compare",
            "--dataset",
            "wine",
            "--methods",
            "ce",
            "--seeds",
            "0",
            "--epochs",
            "1",
            "--runs-dir",
            str(tmp_path),
            "--json",
            "--no-rlp",
            "--set",
            "probes=[]",
        ]
    )
    data = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert rc == 0 and data["rows"][0]["method"] == "ce" and len(data["run_ids"]) == 1


def test_list_shows_registered_plugins_with_help(capsys):
    for what, name in (("methods", "ce"), ("models", "mlp"), ("datasets", "digits"), ("noise", "symmetric")):
        assert main(["list", what]) == 0
        out = capsys.readouterr().out
        assert name in out


def test_compare_routes_a_method_option_to_its_own_method_only(capsys, tmp_path):
    rc = main(
        [
            "compare",
            "--dataset",
            "wine",
            "--methods",
            "ce,label_smoothing",
            "--seeds",
            "0",
            "--epochs",
            "1",
            "--runs-dir",
            str(tmp_path),
            "--json",
            "--no-rlp",
            "--set",
            "probes=[]",
            "--set",
            "eps=0.3",
        ]
    )
    data = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert rc == 0
    cfgs = {
        json.loads((tmp_path / r / "config.json").read_text())["method"]: json.loads(
            (tmp_path / r / "config.json").read_text()
        )
        for r in data["run_ids"]
    }
    assert cfgs["label_smoothing"]["method_options"]["eps"] == 0.3
    assert "eps" not in cfgs["ce"]["method_options"]


def test_gram_blocks_comparison_keeps_the_same_data_across_seeds(capsys, tmp_path):
    rc = main(
        [
            "compare",
            "--dataset",
            "gram_blocks",
            "--methods",
            "ce",
            "--seeds",
            "0,1",
            "--epochs",
            "1",
            "--model",
            "linear",
            "--runs-dir",
            str(tmp_path),
            "--no-rlp",
            "--set",
            "probes=[]",
            "--set",
            "per_class=20",
        ]
    )
    assert rc == 0, capsys.readouterr().err


def test_compare_over_noise_rates_prints_a_noise_column_and_a_verdict_per_rate(capsys, tmp_path):
    rc = main(
        [
            "compare",
            "--dataset",
            "wine",
            "--methods",
            "ce,label_smoothing",
            "--seeds",
            "0",
            "--noise-rate",
            "0.1,0.3",
            "--epochs",
            "1",
            "--runs-dir",
            str(tmp_path),
            "--no-rlp",
            "--set",
            "probes=[]",
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    assert "symmetric 10%" in out and "symmetric 30%" in out and out.count("1/1") == 4
    assert "label smoothing (label_smoothing): one seed only at 10% and 30%" in out


def test_stop_asks_every_unfinished_run_of_a_comparison(capsys, tmp_path):
    from core.engine.run_config import make_config
    from core.engine.suite import plan_suite

    sid, run_ids = plan_suite(make_config({"dataset": "wine", "epochs": 1}), ["ce"], [0, 1], str(tmp_path))
    assert main(["stop", sid, "--runs-dir", str(tmp_path)]) == 0
    assert all((tmp_path / r / "STOP").exists() for r in run_ids)
    assert main(["stop", "cmp-nope", "--runs-dir", str(tmp_path)]) == 2
    assert "cmp-nope" in capsys.readouterr().err
