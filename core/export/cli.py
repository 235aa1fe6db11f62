"""`labelscope export RUN_OR_COMPARISON --format ... --out DIR`: writes the files and lists them, one per line."""

from __future__ import annotations

import os
import sys

from core.export.formats import export_files


def run_export(args) -> int:
    res = export_files(args.runs_dir, args.target, args.format, args.lang, args.charts)
    os.makedirs(args.out, exist_ok=True)
    for name, data in res.files.items():
        path = os.path.join(args.out, os.path.basename(name))  # file names are flat: nothing lands outside --out
        with open(path, "wb") as f:
            f.write(data)
        print(path)
    for item in res.skipped:
        print(f"left out: {item}", file=sys.stderr)
    print(f"exported {len(res.files)} file(s) as {args.format} in {res.seconds:.1f} s", file=sys.stderr)
    return 0
