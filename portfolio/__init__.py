"""portfolio: a funder's portfolio and partnership-lifecycle tracker."""

__version__ = "0.1.0"
