"""Board updates and exports. One data model of a report feeds every format."""
