"""CLI command groups, one module per concept; :mod:`portfolio.cli` assembles them."""
