"""How a command runs rather than what it computes: the forked child that shares long
lists of work, the progress bar, phase timings, and the paused garbage collector.

May import `base` only.
"""
