"""The Telegram channel for participants (python-telegram-bot)."""
