"""The agents, one per intent, and the backend clients they share."""
