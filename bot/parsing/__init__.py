"""Small pure readers for the words inside commands: mentions, durations, clock
times, time zones, weekdays, switches and dates. Each raises `GrammarError` with
an example; none touches storage or the clock."""
