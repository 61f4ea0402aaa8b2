"""Workforce training. Built to docs/adding-a-module.md; see the open issues for its scope."""
