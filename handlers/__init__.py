"""Thin channel adapters: parse the message, call a use case, render the reply."""
