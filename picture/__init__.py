"""The leaders' picture of opinion: rollups, rising topics, forecasts, coverage, directions,
alerts and the weekly brief (issue 8)."""
