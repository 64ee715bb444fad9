"""Safety: the action validator, permissions and the audit trail for computer use."""
