"""The admin area: platform statistics, the users table and the audit trail."""
