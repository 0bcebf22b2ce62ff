"""Portfolio insight: dashboards, progress toward the FY2030 goal, reports and open data."""
