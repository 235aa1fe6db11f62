"""Charts: one figure module (`figures`) builds every chart for the dashboard and for export."""
