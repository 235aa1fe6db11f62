"""What a plug-in produces, declared next to its code, so the engine, probes, charts, views and the translation
table read the declaration and never a key's name.

A method (or monitor) sets `produces = Produces(per_sample=(...), scalars=(...))`:
- per-sample values (N,) keyed by dataset index, each with its meaning: a suspicion SCORE (and whether high or
  low values are suspicious; a WEIGHT is a score where low = suspicious), a CLASS index (a guess of the true
  class, scored by the engine against the truth), or a plain VALUE (shown, never ranked);
- scalars logged per epoch under the plug-in's prefix (`method/<key>` for methods), with their label and axis;
- its help in English and Japanese (`help`, `help_ja` on the plug-in class).
"""

from __future__ import annotations

import dataclasses

SCORE, WEIGHT, CLASS, VALUE = "score", "weight", "class", "value"
MEANINGS = (SCORE, WEIGHT, CLASS, VALUE)
PARTS = ("train", "unlabeled")  # which dataset indices carry the value: labeled training or hidden-label samples


@dataclasses.dataclass(frozen=True)
class PerSample:
    """One per-sample value: `key` as in StepOutput.per_sample / per_sample_unlabeled / end_epoch."""

    key: str
    meaning: str
    label: dict[str, str]  # {"en": ..., "ja": ...}
    high_is_suspicious: bool = True  # SCORE only; a WEIGHT is always low = suspicious
    part: str = "train"
    metric: str = ""  # CLASS only: the metric key the engine logs the guesses' accuracy against the truth under
    any_of: tuple[str, ...] = ()  # CLASS only: the guess is right when this or any of these keys is right (top-k)

    def __post_init__(self):
        if self.meaning not in MEANINGS or self.part not in PARTS:
            raise ValueError(f"per-sample '{self.key}': meaning in {MEANINGS}, part in {PARTS}")
        if self.meaning == CLASS and not self.metric:
            raise ValueError(f"per-sample '{self.key}': a class index needs the metric its accuracy is logged as")
        if not (self.label.get("en") and self.label.get("ja")):
            raise ValueError(f"per-sample '{self.key}': label needs 'en' and 'ja'")

    @property
    def is_suspicion(self) -> bool:
        """Whether the value ranks samples by how likely their label is wrong."""
        return self.meaning in (SCORE, WEIGHT)

    def oriented(self, values):
        """`values` turned so that higher = more suspicious (SCORE and WEIGHT only)."""
        low = self.meaning == WEIGHT or not self.high_is_suspicious
        return -values if low else values


@dataclasses.dataclass(frozen=True)
class Scalar:
    """One scalar logged per epoch (`method/<key>` for a method, the monitor's own key for a monitor)."""

    key: str
    label: dict[str, str]
    unit: str = ""  # "share": a fraction in [0, 1] (the chart fixes the axis); "" otherwise
    summary: bool = False  # copied into the summary as `<key with / as _>_final` (last value)
    column: bool = False  # also a column of the summary table (CLI, Compare page, deck); implies summary

    def __post_init__(self):
        if not (self.label.get("en") and self.label.get("ja")):
            raise ValueError(f"scalar '{self.key}': label needs 'en' and 'ja'")


@dataclasses.dataclass(frozen=True)
class Produces:
    per_sample: tuple[PerSample, ...] = ()
    scalars: tuple[Scalar, ...] = ()
    caption: dict[str, str] = dataclasses.field(default_factory=dict)  # how to read the scalars' view (en, ja)

    def per_sample_by_key(self) -> dict[str, PerSample]:
        return {p.key: p for p in self.per_sample}

    def scalar(self, key: str) -> Scalar | None:
        return next((s for s in self.scalars if s.key == key), None)


# The per-sample training loss most methods report: high = the model disagrees with the label.
LOSS = PerSample("loss", SCORE, {"en": "training loss on the observed label", "ja": "観測ラベルでの学習損失"})


def produces_of(plugin) -> Produces:
    return getattr(plugin, "produces", None) or Produces()
