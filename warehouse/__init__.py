"""The star-schema warehouse (issue 5)."""
