"""One module per area: recommendations, caseloads, court, qa, home."""
