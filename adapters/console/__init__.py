"""A local terminal chat over the same core: `revans console` and `revans demo`."""
