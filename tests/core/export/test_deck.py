"""The meeting deck opened with python-pptx: slide order, the table's numbers from the runs, charts, verdict, Japanese."""

from __future__ import annotations

import io
import json
import os
import time

import numpy as np
import pytest
from PIL import Image
from pptx import Presentation

from core.export.style import EA_FONT
from core.i18n import t
from core.store.record import RunRecord
from core.verdict import verdict


def only(files: dict, suffix: str) -> bytes:
    hits = [v for k, v in files.items() if k.endswith(suffix)]
    assert len(hits) == 1, sorted(files)
    return hits[0]


def _deck(packs, lang):
    return Presentation(io.BytesIO(only(packs[lang].files, ".pptx")))


def _text(slide) -> str:
    out = []
    for sh in slide.shapes:
        if sh.has_text_frame:
            out.append(sh.text_frame.text)
        if sh.has_table:
            out += [c.text for row in sh.table.rows for c in row.cells]
    return "\n".join(out)


def _records(tiny_suite):
    recs = []
    for rid in tiny_suite["run_ids"]:
        d = os.path.join(tiny_suite["runs_dir"], rid)
        with open(os.path.join(d, "config.json")) as f, open(os.path.join(d, "summary.json")) as g:
            recs.append(RunRecord(rid, json.load(f), json.load(g)))
    return recs


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_slides_in_order_with_one_picture_per_chart(packs, lang):
    prs = _deck(packs, lang)
    slides = list(prs.slides)
    pics = [[sh for sh in s.shapes if sh.shape_type == 13] for s in slides]  # 13 = picture
    n_charts = sum(1 for p in pics if p)
    assert n_charts >= 3  # bars, curves, clean-vs-observed (and random-label heads) all have data here
    assert len(slides) == 2 + n_charts + 1
    assert all(len(p) == 1 for p in pics[2:-1]) and not any(pics[:2]) and not pics[-1]
    assert prs.slide_width * 9 == prs.slide_height * 16  # 16:9
    png = Image.open(io.BytesIO(pics[2][0].image.blob))
    assert png.size[0] >= 2 * 1280


def test_title_slide_states_the_setting(packs):
    text = _text(list(_deck(packs, "en").slides)[0])
    for part in ("digits", "symmetric noise 40%", "ce, label_smoothing", "0, 1", time.strftime("%Y-%m-%d")):
        assert part in text


def test_table_holds_the_runs_numbers(packs, tiny_suite):
    table = next(sh.table for sh in list(_deck(packs, "en").slides)[1].shapes if sh.has_table)
    cells = [[c.text for c in row.cells] for row in table.rows]
    head, body = cells[0], {r[0]: r for r in cells[1:]}
    assert set(body) == {"ce", "label_smoothing"}
    col = head.index(t("col.test_acc_final", "en"))  # the shared column spec (core/engine/columns.py)
    for method in body:
        vals = [r.summary["test_acc_final"] for r in _records(tiny_suite) if r.config["method"] == method]
        assert len(vals) == 2
        assert body[method][col] == f"{np.mean(vals):.3f} ± {np.std(vals, ddof=1):.3f}"
        assert body[method][head.index("Runs")] == "2/2"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_takeaways_slide_has_the_verdict(packs, tiny_suite, lang):
    last = _text(list(_deck(packs, lang).slides)[-1])
    assert t("export.takeaways.title", lang) in last
    lines = verdict(_records(tiny_suite), lang)
    assert lines and all(line in last for line in lines)


def test_japanese_deck_has_japanese_text_in_a_cjk_font(packs):
    prs = _deck(packs, "ja")
    text = "\n".join(_text(s) for s in prs.slides)
    for key in ("export.deck.title.suite", "export.fact.dataset", "export.table.title", "export.col.method"):
        assert t(key, "ja") in text
    assert t("export.table.title", "en") not in text
    xml = prs.slides[0].shapes[1]._element.xml
    assert f'typeface="{EA_FONT}"' in xml
