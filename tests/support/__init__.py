"""Helpers and fixtures shared by test files."""
