"""Pure statistics of counts over time: what is rising beyond what was expected, and the next
weeks' forecast with an interval (issue 8). No Django; numpy and scipy only."""
