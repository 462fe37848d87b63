"""Integrations with other tools: the GitHub Action's logic (:mod:`.github_action`)."""
