"""Cross-border person checks: hit or no-hit from partner nodes, no personal data on the wire."""
