"""Great Expectations suites for FORMAT.md's rules (issue 4)."""
