"""Staff use cases: broadcasts, check-ins, schedule edits, the roster and question relay."""
