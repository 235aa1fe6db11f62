"""Noise detection that stays out of sample: scores from probabilities that never saw the sample's label."""
