"""Markdown pages generated from the catalogue, one module per kind of page."""
