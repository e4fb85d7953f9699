"""The spec of each shipped snapshot, and what the mock, the suite and the tools derive from it."""
