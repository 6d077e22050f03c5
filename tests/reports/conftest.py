"""Fixtures for report tests (helpers live in report_story)."""

from report_story import story_cli, story_factory

__all__ = ["story_cli", "story_factory"]
