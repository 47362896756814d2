"""Reliable delivery: an outbox of rendered messages, drained through a Sender port."""
