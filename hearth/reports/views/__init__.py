"""The reports app's pages, one module per area (f1, ...); hearth/reports/urls.py maps
them."""
