"""`wordnet_glosses`: the bundled text sample (sample_data/wordnet_glosses.csv, real WordNet 3.0 definitions with a
realistic 20% label noise and the clean labels), read like any user CSV with a text column."""

from __future__ import annotations

import os

from core.data.base import DatasetLoader
from core.errors import UserError
from core.registry import register_dataset

SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sample_data", "wordnet_glosses.csv")


@register_dataset("wordnet_glosses")
class WordnetGlosses(DatasetLoader):
    help = "1,500 real WordNet noun definitions (text) in 6 topics; 20% realistic label noise, clean labels known"

    def load(self, cfg, seed):
        from core.data.files import load_file

        path = os.path.normpath(SAMPLE)
        if not os.path.isfile(path):
            raise UserError(f"the text sample '{path}' is missing (it ships in the repository's sample_data folder)")
        ds = load_file(path, {"text_column": "text", "clean_label_column": "label_clean"}, self.cache_dir)
        ds.name, ds.source = "wordnet_glosses", "bundled"
        return ds
