"""Pure rendering: engine results in, Discord message pieces (plain dicts and strings) out.

Nothing here talks to Discord, so every limit and every escaping rule is tested without a network;
the cogs and the console both print what these modules return.
"""
