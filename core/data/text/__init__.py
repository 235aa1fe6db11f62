"""Text columns: which column holds text (`column`), encoders that turn texts into features (`tfidf`, `hf`),
and the cached embedding step (`embed`)."""
