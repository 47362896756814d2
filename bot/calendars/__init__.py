"""Calendar subscriptions: versioned entries, secret links and the feeds they open."""
