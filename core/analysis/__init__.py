"""Analyses computed after (or beside) training from a run's stored artifacts, off the training path."""
