"""Imports every built-in target so that each registers itself."""
