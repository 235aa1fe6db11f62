"""`RunRecord`: one run as the tables, verdicts and lists read it (id, config, summary, status, folder).

Built in one place (`RunRecord.make`): from a reader (`RunRecord.read`, what `list_runs` lists) or from a `RunData`
snapshot already in memory (`RunData.record`, what the pages and the deck pass to the tables and the verdict).
"""

from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the reader lists runs as records, so this module must not import it at run time
    from core.store.reader import RunReader


@dataclasses.dataclass(frozen=True)
class RunRecord:
    run_id: str
    config: dict
    summary: dict | None = None  # None while the run has written no summary.json
    status: dict | None = None  # as judged by the reader (dead owners read `failed`); None when not read
    dir: str = ""
    created: float = 0.0  # the config's `created`, else the folder's mtime

    @classmethod
    def read(cls, reader: RunReader, with_status: bool = False) -> RunRecord:
        """The record of the run behind `reader`; `with_status` also judges its status (read first, so a
        summary that appears meanwhile is never older than the state it is shown with)."""
        status = reader.status() if with_status else None
        return cls.make(reader.run_id, reader.config, reader.summary(), status, reader.dir)

    @classmethod
    def make(
        cls, run_id: str, config: dict, summary: dict | None, status: dict | None = None, dir: str = ""
    ) -> RunRecord:
        """A record from parts already read (a `RunData` snapshot); `created` is resolved here for every record."""
        created = config.get("created")
        if not isinstance(created, (int, float)):
            created = _mtime(dir) if dir else 0.0
        return cls(run_id, config, summary, status, dir, created)

    @property
    def method(self) -> str | None:
        return self.config.get("method") or (self.summary or {}).get("method")


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0
