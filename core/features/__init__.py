"""Cached feature arrays (frozen-backbone image features, text embeddings), keyed by what produced them."""
