"""Scheduled sweeps over the store (daily agenda, change notices, reminders, outbox drain)."""
