"""`labelscope dashboard` runs this: Streamlit's own command line, with the router (app.py) as the only page source.

Streamlit treats a `pages/` folder next to the main script as its old auto-discovered pages until
the script first calls `st.navigation`; a deep link (`/compare`) to a freshly started server then
runs that page alone, with a raw page list and no language switch. Our pages are `st.navigation`
pages, so the old mode is turned off before the server starts.
"""

from __future__ import annotations

import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli


def main() -> int:
    PagesManager.uses_pages_directory = False  # read once per process, before the first session starts
    return cli.main(prog_name="streamlit")


if __name__ == "__main__":
    sys.exit(main())
