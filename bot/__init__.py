"""Programme assistant: the domain, free of any chat platform."""
