"""Tokenize normalized text and match rule patterns on it with spaCy."""
