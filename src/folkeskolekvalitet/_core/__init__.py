"""Shared machinery of folkeskolekvalitet; imports nothing above it."""
