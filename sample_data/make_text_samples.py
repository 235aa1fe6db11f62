"""Builds the labelled text files from WordNet 3.0 noun glosses (Princeton's database, as Debian's
`wordnet-base` package installs it under /usr/share/wordnet), deterministically.

Each row is one real gloss (definition plus its example sentences); its clean label is the noun's
WordNet lexicographer file ("supersense": animal, food, person, ...). The `label` column adds a
realistic label noise: a share of the rows (seeded) is moved to a class a tired annotator would confuse
it with (animal -> plant, food -> substance, ...), the rest of the wrong labels to a random class.

Run: python sample_data/make_text_samples.py                       # sample_data/wordnet_glosses.csv
     python sample_data/make_text_samples.py --rows 10000 --classes 10 --out /tmp/glosses10k.csv
"""

from __future__ import annotations

import argparse
import csv
import os
import sys

import numpy as np

SEED = 0
WORDNET = "/usr/share/wordnet"
# WordNet's lexicographer file numbers of the classes used, in the order `--classes N` takes them.
CLASSES = {
    5: "animal",
    13: "food",
    18: "person",
    20: "plant",
    15: "location",
    6: "artifact",
    27: "substance",
    8: "body",
    10: "communication",
    4: "act",
}
# The class an annotator most often confuses each class with (the noise goes there 70% of the time).
NEAR = {
    "animal": "plant",
    "plant": "food",
    "food": "substance",
    "substance": "artifact",
    "artifact": "substance",
    "person": "communication",
    "communication": "act",
    "act": "communication",
    "location": "artifact",
    "body": "animal",
}
NEAR_SHARE = 0.7


def read_glosses(folder: str) -> dict[str, list[str]]:
    """{class: [gloss, ...]} of every noun synset in the chosen lexicographer files, in file order."""
    out: dict[str, list[str]] = {n: [] for n in CLASSES.values()}
    with open(os.path.join(folder, "data.noun"), encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("  ") or "|" not in line:  # the licence header lines start with two spaces
                continue
            head, gloss = line.split("|", 1)
            lex = int(head.split()[1])
            text = " ".join(gloss.split())
            if lex in CLASSES and len(text) >= 12:
                out[CLASSES[lex]].append(text)
    return out


def make(rows: int, n_classes: int, rate: float, folder: str, seed: int = SEED) -> list[tuple[str, str, str]]:
    """(text, noisy label, clean label) rows, the same number per class, shuffled."""
    rng = np.random.default_rng(seed)
    names = list(CLASSES.values())[:n_classes]
    glosses = read_glosses(folder)
    per = rows // n_classes
    picked = []
    for c in names:
        pool = glosses[c]
        if len(pool) < per:
            sys.exit(f"class '{c}' has {len(pool)} glosses, fewer than {per}")
        picked += [(pool[i], c) for i in sorted(rng.choice(len(pool), per, replace=False))]
    order = rng.permutation(len(picked))
    out = []
    for i in order:
        text, clean = picked[i]
        noisy = clean
        if rng.random() < rate:
            near = NEAR.get(clean)
            if near in names and rng.random() < NEAR_SHARE:
                noisy = near
            else:
                noisy = names[(names.index(clean) + 1 + rng.integers(n_classes - 1)) % n_classes]
        out.append((text, noisy, clean))
    return out


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=1500)
    p.add_argument("--classes", type=int, default=6, choices=range(2, len(CLASSES) + 1))
    p.add_argument("--noise", type=float, default=0.2, help="share of rows whose `label` is wrong")
    p.add_argument("--wordnet", default=WORDNET, help="folder holding WordNet's data.noun")
    p.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "wordnet_glosses.csv"))
    a = p.parse_args(argv)
    rows = make(a.rows, a.classes, a.noise, a.wordnet)
    with open(a.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["text", "label", "label_clean"])
        w.writerows(rows)
    wrong = sum(r[1] != r[2] for r in rows) / len(rows)
    print(f"wrote {a.out}: {len(rows)} rows, {a.classes} classes, {wrong:.1%} wrong labels")


if __name__ == "__main__":
    main()
