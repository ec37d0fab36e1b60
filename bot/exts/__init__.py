"""Extensions: one cog per command family; modules named "_…" are shared helpers, not cogs."""
