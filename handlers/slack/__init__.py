"""The Slack staff console: Bolt listeners over the staff use cases."""
