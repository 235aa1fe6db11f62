"""labelscope core: data, noise, models, label methods, probes, engine and run store (no Streamlit here)."""

__version__ = "0.1.0"
