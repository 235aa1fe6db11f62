"""Dashboard entry: routes to the pages (placeholder until the pages land)."""
import os

import streamlit as st

st.set_page_config(page_title="labelscope", layout="wide")
st.title("labelscope")
st.write(f"Runs folder: {os.environ.get('LABELSCOPE_RUNS', 'runs')}")
