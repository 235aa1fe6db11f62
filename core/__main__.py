"""`python -m core` is the `labelscope` command."""

from core.cli import main

raise SystemExit(main())
