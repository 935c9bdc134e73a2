"""Digger's lab: a fleet of real OpenSSH servers on one machine, for tests, demos and benchmarks."""
