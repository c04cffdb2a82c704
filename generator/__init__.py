"""Consent Atlas: load, validate, render and export the vendor catalogue."""
